// A treatment's activity plans (clinician).
import { queryOptions } from '@tanstack/react-query';
import { api } from '../../api/client';
import { request } from '../../lib/api';

export const plansKeys = {
  all: (treatmentId: string) => ['plans', treatmentId],
  list: (treatmentId: string) => queryOptions({
    queryKey: ['plans', treatmentId],
    queryFn: () => request(api.GET('/api/treatments/{id}/activity-plans', { params: { path: { id: treatmentId } } })),
  }),
  detail: (treatmentId: string, planId: string) => queryOptions({
    queryKey: ['plans', treatmentId, planId],
    queryFn: () => request(api.GET('/api/treatments/{id}/activity-plans/{planId}', { params: { path: { id: treatmentId, planId } } })),
  }),
};
