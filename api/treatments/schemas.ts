// Treatments: the request schemas (they validate requests and describe them in OpenAPI).
import { z } from 'zod';
import { email, id } from '../schemas';

/**
 * A personnummer or samordningsnummer as /openapi.json can say it (12 digits, YYYYMMDD-NNNN); its
 * check digit and a birth date that has passed are checked by the route (400 naming personnummer).
 */
export const PERSONNUMMER_PATTERN = /^\s*\d{8}[-+]?\d{4}\s*$/;

export const createTreatmentBody = z.strictObject({
  personnummer: z.string().max(20).regex(PERSONNUMMER_PATTERN, 'is not a valid personnummer or samordningsnummer (12 digits, YYYYMMDD-NNNN, with a valid check digit and a birth date that has passed)'),
  programId: id,
  careUnitId: id,
  patient: z.strictObject({
    name: z.string().trim().min(1).max(200).optional(),
    phone: z.string().trim().regex(/^\+?[0-9 ()-]{6,20}$/, 'must be a phone number').optional(),
    email: email.optional(),
  }).optional(),
});

export const listTreatmentsQuery = z.strictObject({
  careUnitId: id.optional(),
  status: z.enum(['invited', 'active', 'ended', 'maintenance', 'purged']).optional(),
  flagged: z.enum(['true', 'false']).optional(),
  /** "Mina patienter": only treatments this clinician is responsible for. */
  mine: z.enum(['true', 'false']).optional(),
  /** A personnummer (12 digits) or part of a name. */
  q: z.string().trim().min(1).max(100).optional(),
  sort: z.enum(['startedAt', '-startedAt', 'lastActiveAt', '-lastActiveAt', 'name', '-name', 'unreadFlags', '-unreadFlags']).default('-startedAt'),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

export const welcomeTextBody = z.strictObject({ text: z.string().trim().min(1).max(10_000) });

export const endBody = z.strictObject({ reason: id, maintenance: z.boolean().default(false) });

export const changeClinicianBody = z.strictObject({ clinicianId: id });
