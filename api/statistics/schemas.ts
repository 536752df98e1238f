// Statistik: the request schemas (they validate requests and describe them in OpenAPI).
import { z } from 'zod';
import { id } from '../schemas';

/**
 * Whole days only (YYYY-MM-DD): a range of seconds could single a patient out. `region` is one of
 * the regions CARE_UNIT_REGIONS configures (listed in /openapi.json), so a schema-valid request is
 * never refused for an unknown region.
 */
export function statisticsQueryFor(regions: string[]) {
  return z.strictObject({
    careUnitId: id.optional(),
    region: (regions.length ? z.enum(regions as [string, ...string[]], 'must be a configured region') : z.never('no regions are configured (CARE_UNIT_REGIONS)')).optional(),
    programId: id.optional(),
    from: z.iso.date('must be a date YYYY-MM-DD').optional(),
    to: z.iso.date('must be a date YYYY-MM-DD').optional(),
  }).refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'must not be before from', path: ['to'] });
}
