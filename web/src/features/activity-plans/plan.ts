// An activity plan's form: its fields checked at the field (the API's limits,
// api/activity-plans/schemas.ts), in Swedish, and the request body made from them.
import { z } from 'zod';
import { daysText } from '../../utils/dates';

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
export const weekdayText: Record<Weekday, string> = { mon: 'måndag', tue: 'tisdag', wed: 'onsdag', thu: 'torsdag', fri: 'fredag', sat: 'lördag', sun: 'söndag' };
export const WEEKDAYS: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
export const weekdayOf = (value: unknown): Weekday | undefined => WEEKDAYS.find((d) => d === value);

const CLOCK = /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/;
export const timesOf = (text: string) => text.split(',').map((x) => x.trim()).filter(Boolean);
const wholeNumber = (min: number, max: number, message: string) =>
  z.string().trim().regex(/^\d+$/, message).refine((s) => Number(s) >= min && Number(s) <= max, message);

export const planWords = {
  title: 'Skriv en rubrik (högst 200 tecken).',
  formId: 'Välj ett formulär.',
  weekdays: 'Välj minst en veckodag.',
  times: 'Ange tider som TT:MM, flera med komma (högst 12).',
  weeks: 'Ange ett antal veckor från 1 till 104.',
  answerWindowDays: 'Ange en svarstid från 0 till 30 dagar.',
};

export const planSchema = z.object({
  title: z.string().trim().min(1, planWords.title).max(200, planWords.title),
  formId: z.string().min(1, planWords.formId),
  weekdays: z.array(z.string()).min(1, planWords.weekdays),
  times: z.string().refine((s) => { const t = timesOf(s); return t.length >= 1 && t.length <= 12 && t.every((x) => CLOCK.test(x)); }, planWords.times),
  weeks: wholeNumber(1, 104, planWords.weeks),
  answerWindowDays: wholeNumber(0, 30, planWords.answerWindowDays),
});

export type PlanValues = z.input<typeof planSchema>;

/** The request body's paths → the form's fields. */
export const planApiFields: Record<string, keyof PlanValues> = {
  title: 'title', 'elements.0.formId': 'formId', 'schedule.weekdays': 'weekdays', 'schedule.times': 'times',
  'schedule.weeks': 'weeks', answerWindowDays: 'answerWindowDays',
};

export function planBody(v: PlanValues) {
  return {
    title: v.title.trim(),
    elements: [{ formId: v.formId }],
    schedule: {
      weekdays: WEEKDAYS.filter((d) => v.weekdays.includes(d)),
      times: timesOf(v.times),
      weeks: Number(v.weeks),
    },
    answerWindowDays: Number(v.answerWindowDays),
  };
}

/** "måndag, onsdag kl. 08:00 i 1 vecka; svar inom 1 dag." */
export function scheduleText(p: { schedule: { weekdays: string[]; times: string[]; weeks: number }; answerWindowDays: number }): string {
  const days = p.schedule.weekdays.map((d) => { const w = weekdayOf(d); return w ? weekdayText[w] : d; }).join(', ');
  return `${days} kl. ${p.schedule.times.join(', ')} i ${p.schedule.weeks} ${p.schedule.weeks === 1 ? 'vecka' : 'veckor'}; svar inom ${daysText(p.answerWindowDays)}.`;
}
