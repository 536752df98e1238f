// Activity plans: the request schemas (they validate requests and describe them in OpenAPI).
import { z } from 'zod';
import { WEEKDAYS } from '../../domain/schedule';
import { id, treatmentParams } from '../schemas';

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/, 'must be a local time HH:MM');

// `format: date` in /openapi.json (a real calendar date, so "0000-00-00" is not schema-valid).
const calendarDate = z.iso.date('must be a date YYYY-MM-DD');

const title = z.string().trim().min(1).max(200);
const elements = z.array(z.strictObject({ formId: id })).min(1).max(20);
const schedule = z.strictObject({
  weekdays: z.array(z.enum(WEEKDAYS)).min(1).max(7),
  times: z.array(clockTime).min(1).max(12),
  /** Weeks from the plan's start date. */
  weeks: z.number().int().min(1).max(104),
});
const answerWindowDays = z.number().int().min(0).max(30);

export const activityPlanBody = z.strictObject({
  title, elements, schedule, answerWindowDays,
  /** The first day of the plan (a Swedish calendar day, today or later); default today. */
  startDate: calendarDate.optional(),
});

/** An edit: any of the fields; schedule and answer window apply to the occasions still to come. */
export const editActivityPlanBody = z.strictObject({
  title: title.optional(), elements: elements.optional(), schedule: schedule.optional(), answerWindowDays: answerWindowDays.optional(),
}).refine((b) => Object.keys(b).length > 0, { message: 'give at least one of title, elements, schedule, answerWindowDays' })
  // The rule above, as /openapi.json says it (a schema-valid edit is never refused for being empty).
  .meta({ minProperties: 1 });

export const planParams = treatmentParams.extend({ planId: z.uuid('must be an activity plan id') });

export const occasionParams = z.object({ occasionId: z.string().regex(/^[0-9a-f-]{36}:\d{1,4}$/, 'must be an occasion id') });

export const occasionAnswerBody = z.strictObject({ answers: z.record(z.string(), z.unknown()) });
