// A treatment's timeline (clinician). The key's prefix is the one live updates invalidate.
import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { paths } from '../../api/schema';
import { request } from '../../lib/api';
import { treatmentKeys } from '../../lib/treatment';

export type TimelineQuery = NonNullable<paths['/api/treatments/{id}/timeline']['get']['parameters']['query']>;

export const timelineKeys = {
  list: (treatmentId: string, query: TimelineQuery) => queryOptions({
    queryKey: [...treatmentKeys.timeline(treatmentId), query],
    queryFn: () => request(api.GET('/api/treatments/{id}/timeline', { params: { path: { id: treatmentId }, query } })),
  }),
  /** Newest first, a page at a time (Visa fler asks the server for the next). */
  pages: (treatmentId: string, query: Omit<TimelineQuery, 'page'>) => infiniteQueryOptions({
    queryKey: [...treatmentKeys.timeline(treatmentId), 'pages', query],
    queryFn: ({ pageParam }) => request(api.GET('/api/treatments/{id}/timeline', { params: { path: { id: treatmentId }, query: { ...query, page: pageParam } } })),
    initialPageParam: 1,
    getNextPageParam: (last) => (last.page * last.pageSize < last.total ? last.page + 1 : undefined),
  }),
};
