// Care units by name: what clinicians and patients read instead of a unit's id. The names come
// from CARE_UNIT_REGIONS (infra/config.ts); a unit without one is "Okänd vårdenhet", never its id.
import type { Config } from '../../infra/config';

export const UNKNOWN_CARE_UNIT = 'Okänd vårdenhet';

/** The name of a care unit, or the neutral phrase for a unit the configuration does not name. */
export function careUnitName(config: Pick<Config, 'careUnitNames'>, careUnitId: string): string {
  return Object.hasOwn(config.careUnitNames, careUnitId) ? config.careUnitNames[careUnitId]! : UNKNOWN_CARE_UNIT;
}
