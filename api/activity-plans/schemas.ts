// Activity plans: the request schemas (they validate requests and describe them in OpenAPI).
import { z } from 'zod';
import { WEEKDAYS } from '../../domain/schedule';
import { id, treatmentParams } from '../schemas';

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/, 'must be a local time HH:MM');

export const activityPlanBody = z.strictObject({
  title: z.string().trim().min(1).max(200),
  elements: z.array(z.strictObject({ formId: id })).min(1).max(20),
  schedule: z.strictObject({
    weekdays: z.array(z.enum(WEEKDAYS)).min(1).max(7),
    times: z.array(clockTime).min(1).max(12),
    weeks: z.number().int().min(1).max(104),
  }),
  answerWindowDays: z.number().int().min(0).max(30),
});

export const planParams = treatmentParams.extend({ planId: z.uuid('must be an activity plan id') });

export const occasionParams = z.object({ occasionId: z.string().regex(/^[0-9a-f-]{36}:\d{1,4}$/, 'must be an occasion id') });

export const occasionAnswerBody = z.strictObject({ answers: z.record(z.string(), z.unknown()) });
