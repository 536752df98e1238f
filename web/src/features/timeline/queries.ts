// A treatment's timeline (clinician). The key's prefix is the one live updates invalidate.
import { queryOptions } from '@tanstack/react-query';
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
};
