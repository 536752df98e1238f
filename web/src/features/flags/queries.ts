// A treatment's flags and submitted forms (clinician). The keys' prefixes are the ones live
// updates invalidate (api/live.ts).
import { queryOptions } from '@tanstack/react-query';
import { api } from '../../api/client';
import { request } from '../../lib/api';

export const flagsKeys = {
  flags: (treatmentId: string) => queryOptions({
    queryKey: ['flags', treatmentId],
    queryFn: () => request(api.GET('/api/flags', { params: { query: { treatmentId, pageSize: 200 } } })),
  }),
  submissions: (treatmentId: string) => queryOptions({
    queryKey: ['forms', treatmentId],
    queryFn: () => request(api.GET('/api/treatments/{id}/forms', { params: { path: { id: treatmentId } } })),
  }),
  /** One submission's answers; the first read marks it (and its flag) read. */
  submission: (treatmentId: string, submissionId: string) => queryOptions({
    queryKey: ['forms', treatmentId, submissionId],
    queryFn: () => request(api.GET('/api/treatments/{id}/forms/{submissionId}', { params: { path: { id: treatmentId, submissionId } } })),
  }),
};
