// A treatment's conversations (clinician). The key's prefix is the one live updates invalidate.
import { queryOptions } from '@tanstack/react-query';
import { api } from '../../api/client';
import { request } from '../../lib/api';
import { treatmentKeys } from '../../lib/treatment';

export const messagesKeys = {
  conversations: (treatmentId: string) => queryOptions({
    queryKey: treatmentKeys.conversations(treatmentId),
    queryFn: async ({ client }) => {
      const page = await request(api.GET('/api/treatments/{id}/conversations', { params: { path: { id: treatmentId }, query: { pageSize: 100 } } }));
      // Reading them marked their message flags read: the flag lists and counts follow.
      void client.invalidateQueries({ queryKey: treatmentKeys.flags(treatmentId) });
      void client.invalidateQueries({ queryKey: treatmentKeys.lists });
      return page;
    },
  }),
};
