// A treatment's submitted forms (clinician): the list and one submission's answers, read by
// Flaggor's Inskickade svar and by Se historik (Hantera, Tidslinje). The keys are under the prefix
// live updates invalidate (api/live.ts).
import { queryOptions } from '@tanstack/react-query';
import { api } from '../api/client';
import { request } from './api';
import { treatmentKeys } from './treatment';

export const formKeys = {
  submissions: (treatmentId: string) => queryOptions({
    queryKey: [...treatmentKeys.forms(treatmentId), 'list'],
    queryFn: () => request(api.GET('/api/treatments/{id}/forms', { params: { path: { id: treatmentId } } })),
  }),
  /** One submission's answers; the first read marks it (and its flag) read and puts it on the timeline. */
  submission: (treatmentId: string, submissionId: string) => queryOptions({
    queryKey: [...treatmentKeys.forms(treatmentId), submissionId],
    queryFn: () => request(api.GET('/api/treatments/{id}/forms/{submissionId}', { params: { path: { id: treatmentId, submissionId } } })),
  }),
};
