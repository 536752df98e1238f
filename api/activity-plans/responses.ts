// The answers of activity plans: a plan, its occasions with their state, and the patient's occasions.
import { z } from 'zod';
import { calendarDate, instant, listOf } from '../responses';
import { question } from '../patient/responses';

export const activityPlan = z.object({
  id: z.string(),
  title: z.string(),
  elements: z.array(z.object({ formId: z.string() })),
  schedule: z.object({ weekdays: z.array(z.string()), times: z.array(z.string()), weeks: z.number().int() }),
  answerWindowDays: z.number().int(),
  /** The Swedish day the plan starts (its first occasions fall on or after it). */
  startDate: calendarDate,
  createdAt: instant,
  /** Set when the plan was last edited (an edit applies to the occasions still to come). */
  updatedAt: instant.nullable(),
  status: z.enum(['active', 'stopped', 'completed']),
}).meta({ id: 'ActivityPlan' });
export const activityPlans = listOf(activityPlan);

export const occasion = z.object({
  id: z.string(), planId: z.string(), dueAt: instant, answerBy: instant,
  state: z.enum(['due', 'answered', 'missed']), answeredAt: instant.nullable(),
}).meta({ id: 'Occasion' });

/** A plan with every occasion so far, its state and, once answered, the answers by form and question. */
export const activityPlanDetail = activityPlan.extend({
  occasions: z.array(occasion.extend({ answers: z.record(z.string(), z.unknown()).nullable() })),
  /** The next occasions still to come by the plan's schedule (at most 20; none once the plan has ended). */
  upcoming: z.array(instant),
  /** How many occasions are still to come in all. */
  upcomingTotal: z.number().int(),
}).meta({ id: 'ActivityPlanDetail' });

/** The patient's occasions carry the plan's title and the questions to answer. */
export const patientOccasions = listOf(occasion.extend({
  title: z.string().nullable(),
  /** The patient's own answers, by form and question, once answered ("Dina svar"); null before. */
  answers: z.record(z.string(), z.unknown()).nullable(),
  elements: z.array(z.object({ formId: z.string(), title: z.string(), questions: z.array(question) })),
}));
