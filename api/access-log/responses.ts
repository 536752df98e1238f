// The answers of the access log: the patient's own view (care units by name, never clinicians' names) and the operators' review.
import { z } from 'zod';
import { instant, listOf } from '../responses';

export const patientAccessLog = listOf(z.object({
  at: instant, careUnitId: z.string(),
  /** The unit in words: its name, "Okänd vårdenhet", or "Drift (teknisk personal)" for operations staff. */
  careUnitName: z.string(),
  action: z.enum(['read', 'write']),
}));

export const accessLogSearch = listOf(z.object({
  at: instant, clinicianId: z.string(), careUnitId: z.string().nullable(),
  /** The unit the clinician acted for (x-care-unit, else the treatment's own). */
  actingCareUnitId: z.string().nullable(), treatmentId: z.string().nullable(), action: z.string(), requestId: z.string(),
}));
