// A treatment's flags and submitted forms (clinician). The keys' prefixes are the ones live
// updates invalidate (api/live.ts).
import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import type { paths } from '../../api/schema';
import { api } from '../../api/client';
import { request } from '../../lib/api';
import { formKeys } from '../../lib/forms';
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
  submissions: formKeys.submissions,
  /** One submission's answers; the first read marks it (and its flag) read. */
  submission: formKeys.submission,
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
