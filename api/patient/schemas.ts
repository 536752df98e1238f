// The patient's own treatment: the request schemas (they validate requests and describe them in OpenAPI).
import { z } from 'zod';
import { email, id, phone } from '../schemas';

export const sectionParams = z.object({ moduleId: id, sectionId: id });

export const sectionProgressBody = z.strictObject({ progress: z.enum(['started', 'finished']) });

export const patientSettingsBody = z.strictObject({
  phone: phone.nullable(),
  email: email.nullable(),
  notifyBySms: z.boolean(),
  notifyByEmail: z.boolean(),
});
