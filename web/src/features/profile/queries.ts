// Min profil's settings (GET/PUT /api/clinicians/me/settings).
import { queryOptions } from '@tanstack/react-query';
import { api } from '../../api/client';
import { request } from '../../lib/api';

export const profileKeys = {
  settings: () => queryOptions({ queryKey: ['clinician-settings'], queryFn: () => request(api.GET('/api/clinicians/me/settings')) }),
};
