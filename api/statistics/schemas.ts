// Statistik: the request schemas (they validate requests and describe them in OpenAPI).
import { z } from 'zod';
import { id } from '../schemas';

/** Whole days only (YYYY-MM-DD): a range of seconds could single a patient out. */
export const statisticsQuery = z.strictObject({
  careUnitId: id.optional(),
  region: id.optional(),
  programId: id.optional(),
  from: z.iso.date('must be a date YYYY-MM-DD').optional(),
  to: z.iso.date('must be a date YYYY-MM-DD').optional(),
}).refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'must not be before from', path: ['to'] });
