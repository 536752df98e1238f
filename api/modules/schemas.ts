// Hantera: module commands: the request schemas (they validate requests and describe them in OpenAPI).
import { z } from 'zod';
import { id, treatmentParams } from '../schemas';

export const moduleParams = treatmentParams.extend({ moduleId: id });

export const workDaysBody = z.strictObject({ workDays: z.number().int().min(1).max(365) });
