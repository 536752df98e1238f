// The patient's conversations. Under ['me'], so a patient page change refreshes them.
import { queryOptions } from '@tanstack/react-query';
import { api } from '../../api/client';
import { request } from '../../lib/api';
import { meKeys } from '../../lib/me';

export const patientMessagesKeys = {
  conversations: () => queryOptions({
    queryKey: [...meKeys.all, 'conversations'],
    queryFn: () => request(api.GET('/api/me/treatment/conversations', { params: { query: { pageSize: 100 } } })),
    refetchInterval: 30_000,
    staleTime: 0,
  }),
};
