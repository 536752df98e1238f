// Mina patienter's list, paged and filtered on the server. The key starts with 'treatments', the
// prefix live updates (api/live.ts) and treatment commands invalidate.
import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { paths } from '../../api/schema';
import { request } from '../../lib/api';
import { treatmentKeys } from '../../lib/treatment';

export type OverviewQuery = NonNullable<paths['/api/treatments']['get']['parameters']['query']>;
export type Sort = NonNullable<OverviewQuery['sort']>;
export type TreatmentStatus = NonNullable<OverviewQuery['status']>;

export const overviewKeys = {
  list: (query: OverviewQuery) => queryOptions({
    queryKey: [...treatmentKeys.lists, query],
    queryFn: () => request(api.GET('/api/treatments', { params: { query } })),
    placeholderData: keepPreviousData,
    refetchInterval: 300_000, // a fallback: new flags and messages arrive as live events
  }),
};
