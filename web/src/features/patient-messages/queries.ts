// The patient's conversations, 100 a page (Visa fler loads the next). Under ['me'], so a patient
// page change refreshes them.
import { infiniteQueryOptions } from '@tanstack/react-query';
import { api } from '../../api/client';
import { request } from '../../lib/api';
import { meKeys } from '../../lib/me';

export const PAGE_SIZE = 100;

export const patientMessagesKeys = {
  conversations: () => infiniteQueryOptions({
    queryKey: [...meKeys.all, 'conversations'],
    queryFn: ({ pageParam }) => request(api.GET('/api/me/treatment/conversations', { params: { query: { page: pageParam, pageSize: PAGE_SIZE } } })),
    initialPageParam: 1,
    getNextPageParam: (last) => (last.page * last.pageSize < last.total ? last.page + 1 : undefined),
    refetchInterval: 30_000,
    staleTime: 0,
  }),
};
