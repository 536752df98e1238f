// An activity plan's form in the guide's three steps (1 Innehåll: the activities, 2 Schema:
// weekdays, times, weeks and Startdatum, 3 Inställningar: Rubrik and Svarstid), each field checked
// at the field in Swedish (the API's limits, api/activity-plans/schemas.ts; Svarstid at least one
// day, as the clinician's view asks), and the request body made from them.
import { z } from 'zod';
import { daysText } from '../../utils/dates';
import { date } from '../../utils/format';

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
export const weekdayText: Record<Weekday, string> = { mon: 'måndag', tue: 'tisdag', wed: 'onsdag', thu: 'torsdag', fri: 'fredag', sat: 'lördag', sun: 'söndag' };
export const WEEKDAYS: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
export const weekdayOf = (value: unknown): Weekday | undefined => WEEKDAYS.find((d) => d === value);

const CLOCK = /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/;
export const timesOf = (text: string) => text.split(',').map((x) => x.trim()).filter(Boolean);
const wholeNumber = (min: number, max: number, message: string) =>
  z.string().trim().regex(/^\d+$/, message).refine((s) => Number(s) >= min && Number(s) <= max, message);

/** Today in Sweden (YYYY-MM-DD), and the last day a plan may start (a year ahead, the API's limit). */
export const swedishToday = (now = new Date()) => date(now.toISOString());
const lastStartDay = (now = new Date()) => date(new Date(now.getTime() + 365 * 86_400_000).toISOString());

export const MAX_ELEMENTS = 20;

export const planWords = {
  elements: 'Välj minst en aktivitet (högst 20), var och en en gång.',
  weekdays: 'Välj minst en veckodag.',
  times: 'Ange tider som TT:MM, flera med komma (högst 12).',
  weeks: 'Ange ett antal veckor från 1 till 104.',
  startDate: 'Ange ett startdatum från i dag och högst ett år framåt.',
  title: 'Skriv en rubrik (högst 200 tecken).',
  answerWindowDays: 'Svarstiden måste vara minst 1 dag och högst 30 dagar.',
};

export const planSchema = z.object({
  elements: z.array(z.object({ formId: z.string().min(1, planWords.elements) })).min(1, planWords.elements).max(MAX_ELEMENTS, planWords.elements)
    .refine((els) => new Set(els.map((e) => e.formId)).size === els.length, planWords.elements),
  weekdays: z.array(z.string()).min(1, planWords.weekdays),
  times: z.string().refine((s) => { const t = timesOf(s); return t.length >= 1 && t.length <= 12 && t.every((x) => CLOCK.test(x)); }, planWords.times),
  weeks: wholeNumber(1, 104, planWords.weeks),
  /** Empty in an edit: a plan's start date does not change. */
  startDate: z.string().refine((s) => s === '' || (/^\d{4}-\d{2}-\d{2}$/.test(s) && s >= swedishToday() && s <= lastStartDay()), planWords.startDate),
  title: z.string().trim().min(1, planWords.title).max(200, planWords.title),
  answerWindowDays: wholeNumber(1, 30, planWords.answerWindowDays),
});

export type PlanValues = z.input<typeof planSchema>;
export type PlanField = keyof PlanValues;

/** The fields of each step, in order: checked before the next step opens. */
export const PLAN_STEPS: Array<{ title: string; fields: PlanField[] }> = [
  { title: 'Innehåll', fields: ['elements'] },
  { title: 'Schema', fields: ['weekdays', 'times', 'weeks', 'startDate'] },
  { title: 'Inställningar', fields: ['title', 'answerWindowDays'] },
];
export const stepOf = (field: PlanField) => PLAN_STEPS.findIndex((s) => s.fields.includes(field));

/** The request body's paths → the form's fields (elements.3.formId → elements). */
export function planFieldOf(path: string): PlanField | undefined {
  if (path === 'elements' || path.startsWith('elements.')) return 'elements';
  const byPath: Record<string, PlanField> = {
    'schedule.weekdays': 'weekdays', 'schedule.times': 'times', 'schedule.weeks': 'weeks', startDate: 'startDate', title: 'title', answerWindowDays: 'answerWindowDays',
  };
  const exact = byPath[path];
  if (exact) return exact;
  const prefix = Object.keys(byPath).find((k) => path.startsWith(`${k}.`));
  return prefix ? byPath[prefix] : undefined;
}

/** A new plan's body (with its start date); `edit` leaves the start date out (PUT does not take it). */
export function planBody(v: PlanValues, edit = false) {
  return {
    title: v.title.trim(),
    elements: v.elements.map((e) => ({ formId: e.formId })),
    schedule: {
      weekdays: WEEKDAYS.filter((d) => v.weekdays.includes(d)),
      times: timesOf(v.times),
      weeks: Number(v.weeks),
    },
    answerWindowDays: Number(v.answerWindowDays),
    ...(!edit && v.startDate ? { startDate: v.startDate } : {}),
  };
}

/** "måndag, onsdag kl. 08:00 i 1 vecka; svar inom 1 dag.", after "Från och med 2026-05-04: " when the start is given. */
export function scheduleText(p: { schedule: { weekdays: string[]; times: string[]; weeks: number }; answerWindowDays: number; startDate?: string }): string {
  const days = p.schedule.weekdays.map((d) => { const w = weekdayOf(d); return w ? weekdayText[w] : d; }).join(', ');
  const from = p.startDate ? `Från och med ${p.startDate}: ` : '';
  return `${from}${days} kl. ${p.schedule.times.join(', ')} i ${p.schedule.weeks} ${p.schedule.weeks === 1 ? 'vecka' : 'veckor'}; svar inom ${daysText(p.answerWindowDays)}.`;
}
