// Statistik's figures and the program's titles for them.
import { queryOptions } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { paths } from '../../api/schema';
import { request } from '../../lib/api';

export type StatisticsQuery = NonNullable<paths['/api/statistics']['get']['parameters']['query']>;

export const statisticsKeys = {
  figures: (query: StatisticsQuery) => queryOptions({
    queryKey: ['statistics', query],
    queryFn: () => request(api.GET('/api/statistics', { params: { query } })),
  }),
};
