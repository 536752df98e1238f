// The patient's notice settings. Under ['me'], so a patient page change refreshes them.
import { queryOptions } from '@tanstack/react-query';
import { api } from '../../api/client';
import { request } from '../../lib/api';

export const patientSettingsKeys = {
  settings: () => queryOptions({ queryKey: ['me', 'settings'], queryFn: () => request(api.GET('/api/me/settings')) }),
};
