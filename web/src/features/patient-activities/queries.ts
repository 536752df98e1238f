// The patient's activity occasions. Under ['me'], so a patient page change refreshes them.
import { queryOptions } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { paths } from '../../api/schema';
import { request, send } from '../../lib/api';
import { meKeys } from '../../lib/me';

export type Occasion = paths['/api/me/treatment/activities']['get']['responses'][200]['content']['application/json']['items'][number];

export const activitiesKeys = {
  occasions: () => queryOptions({
    queryKey: [...meKeys.all, 'activities'],
    queryFn: () => request(api.GET('/api/me/treatment/activities')),
    refetchInterval: 30_000,
    staleTime: 0,
  }),
};

export const answerOccasion = (occasionId: string, answers: Record<string, unknown>) =>
  send(api.POST('/api/me/treatment/activities/{occasionId}', { params: { path: { occasionId } }, body: { answers } }));
