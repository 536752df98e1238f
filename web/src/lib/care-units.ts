// Care units in words: the clinician's own units with their names (GET /api/care-units), and the
// unit chosen to work in (auth.ts keeps it). A unit is never shown by its id; one the API does not
// name is "Okänd vårdenhet".
import { useSyncExternalStore } from 'react';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import type { components } from '../api/schema';
import { chosenCareUnit, onSessionChange } from '../auth';
import { request } from './api';

export type CareUnit = components['schemas']['CareUnit'];

export const UNKNOWN_CARE_UNIT = 'Okänd vårdenhet';

export const careUnitKeys = {
  mine: () => queryOptions({
    queryKey: ['care-units'],
    queryFn: () => request(api.GET('/api/care-units')),
    // Names change with the configuration, not while a clinician works.
    staleTime: 30 * 60_000,
  }),
};

/** The clinician's units with names, and a unit's name by its id (a treatment's, a select's). */
export function useCareUnits() {
  const units = useQuery(careUnitKeys.mine());
  // While the names load: an ellipsis, not "Okänd" (nor the id).
  const nameOf = (id: string) => (units.data ? units.data.items.find((u) => u.id === id)?.name ?? UNKNOWN_CARE_UNIT : '…');
  return { units, nameOf };
}

/** The unit the clinician works in (the only one, or the one chosen); null until chosen. */
export function useChosenCareUnit(): string | null {
  return useSyncExternalStore(onSessionChange, chosenCareUnit);
}
