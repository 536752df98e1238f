// A treatment's flags and submitted forms (clinician). The keys' prefixes are the ones live
// updates invalidate (api/live.ts).
import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import type { paths } from '../../api/schema';
import { api } from '../../api/client';
import { request } from '../../lib/api';
import { treatmentKeys, whenSettled } from '../../lib/treatment';

export const flagsKeys = {
  flags: (treatmentId: string) => queryOptions({
    queryKey: treatmentKeys.flags(treatmentId),
    queryFn: async ({ client }) => {
      // A read of the conversations in flight marks message flags read: show the list after it.
      await whenSettled(client, treatmentKeys.conversations(treatmentId));
      return request(api.GET('/api/flags', { params: { query: { treatmentId, pageSize: 200 } } }));
    },
  }),
  submissions: (treatmentId: string) => queryOptions({
    queryKey: [...treatmentKeys.forms(treatmentId), 'list'],
    queryFn: () => request(api.GET('/api/treatments/{id}/forms', { params: { path: { id: treatmentId } } })),
  }),
  /** One submission's answers; the first read marks it (and its flag) read. */
  submission: (treatmentId: string, submissionId: string) => queryOptions({
    queryKey: [...treatmentKeys.forms(treatmentId), submissionId],
    queryFn: () => request(api.GET('/api/treatments/{id}/forms/{submissionId}', { params: { path: { id: treatmentId, submissionId } } })),
  }),
};

export type FlagQueueQuery = NonNullable<paths['/api/flags']['get']['parameters']['query']>;

/** The work queue (Flaggor, every treatment): under the overview's prefix, which live events and treatment commands invalidate. */
export const flagQueueKeys = {
  queue: (query: FlagQueueQuery) => queryOptions({
    queryKey: [...treatmentKeys.lists, 'flag-queue', query],
    queryFn: () => request(api.GET('/api/flags', { params: { query } })),
    placeholderData: keepPreviousData,
  }),
};
