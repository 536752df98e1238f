// The answer of GET /api/care-units: the caller's own care units, each with its name and region.
import { z } from 'zod';
import { listOf } from '../responses';

export const careUnit = z.object({
  id: z.string(),
  /** The unit's name (CARE_UNIT_REGIONS), or "Okänd vårdenhet" when none is configured: never the id. */
  name: z.string(),
  /** The unit's region for statistics, when one is configured. */
  region: z.string().nullable(),
}).meta({ id: 'CareUnit' });

export const careUnits = listOf(careUnit).meta({ id: 'CareUnits' });
