// A treatment's conversations (clinician). The key's prefix is the one live updates invalidate.
import { queryOptions } from '@tanstack/react-query';
import { api } from '../../api/client';
import { request } from '../../lib/api';

export const messagesKeys = {
  conversations: (treatmentId: string) => queryOptions({
    queryKey: ['conversations', treatmentId],
    queryFn: () => request(api.GET('/api/treatments/{id}/conversations', { params: { path: { id: treatmentId }, query: { pageSize: 100 } } })),
  }),
  /** The flags a message marks read, by their api/live.ts prefix. */
  flags: (treatmentId: string) => ['flags', treatmentId],
};
