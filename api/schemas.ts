// One zod schema per request shape: it validates requests and (later) describes them in OpenAPI.
import { z } from 'zod';

const id = z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9._:-]+$/, 'may contain letters, digits and . _ : - only');

export const createTreatmentBody = z.strictObject({
  personnummer: z.string().max(20),
  programId: id,
  careUnitId: id,
  patient: z.strictObject({
    name: z.string().trim().min(1).max(200).optional(),
    phone: z.string().trim().regex(/^\+?[0-9 ()-]{6,20}$/, 'must be a phone number').optional(),
    email: z.email().max(254).optional(),
  }).optional(),
});

export const listTreatmentsQuery = z.strictObject({
  careUnitId: id.optional(),
  status: z.enum(['invited', 'active', 'ended', 'maintenance', 'purged']).optional(),
  flagged: z.enum(['true', 'false']).optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

export const treatmentParams = z.object({ id: z.uuid('must be a treatment id') });
export const moduleParams = treatmentParams.extend({ moduleId: id });
export const sectionParams = z.object({ moduleId: id, sectionId: id });

export const welcomeTextBody = z.strictObject({ text: z.string().trim().min(1).max(10_000) });
export const endBody = z.strictObject({ reason: id, maintenance: z.boolean().default(false) });
export const sectionProgressBody = z.strictObject({ progress: z.enum(['started', 'finished']) });
