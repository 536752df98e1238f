// The patient's notice settings. Under ['me'], so a patient page change refreshes them.
import { queryOptions } from '@tanstack/react-query';
import { api } from '../../api/client';
import { request } from '../../lib/api';
import { meKeys } from '../../lib/me';

export const patientSettingsKeys = {
  settings: () => queryOptions({ queryKey: [...meKeys.all, 'settings'], queryFn: () => request(api.GET('/api/me/settings')) }),
};
