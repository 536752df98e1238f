// The treatment page's own reads: the care unit's clinicians (names for Behandlare, the choice for Byt behandlare).
import { queryOptions } from '@tanstack/react-query';
import { api } from '../../api/client';
import { request } from '../../lib/api';

export const treatmentPageKeys = {
  clinicians: (careUnitId: string) => queryOptions({
    queryKey: ['care-unit', careUnitId, 'clinicians'],
    queryFn: () => request(api.GET('/api/care-units/{careUnitId}/clinicians', { params: { path: { careUnitId } } })),
    staleTime: 60_000,
  }),
};

/** A clinician in words: the name and the HSA-id, or the HSA-id alone. */
export const clinicianText = (c: { hsaId: string; name: string | null }) => (c.name ? `${c.name}, ${c.hsaId}` : c.hsaId);
