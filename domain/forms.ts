// Validates a patient's answers against the program's form definition, one zod schema per form.
import { z } from 'zod';
import type { ProgramForm } from './program';

function questionSchema(q: ProgramForm['questions'][number]): z.ZodType {
  switch (q.type) {
    case 'text':
      return z.string().trim().min(q.required ? 1 : 0).max(q.maxLength ?? 4000);
    case 'number': {
      let n = z.number().finite();
      if (q.min !== undefined) n = n.min(q.min);
      if (q.max !== undefined) n = n.max(q.max);
      return n;
    }
    case 'boolean':
      return z.boolean();
    case 'date':
      // A real calendar date (zod's ISO date knows the days of each month and leap years): one
      // reason, invalid_format with format "date", whether the form or the day is wrong.
      return z.iso.date('must be a real date YYYY-MM-DD');
    case 'single-choice':
      return z.enum((q.options ?? []) as [string, ...string[]]);
    case 'multi-choice': {
      const arr = z.array(z.enum((q.options ?? []) as [string, ...string[]])).max(q.options?.length ?? 0);
      return q.required ? arr.min(1, 'choose at least one option') : arr;
    }
  }
}

export function answersSchema(form: ProgramForm) {
  const shape: Record<string, z.ZodType> = {};
  for (const q of form.questions) shape[q.id] = q.required ? questionSchema(q) : questionSchema(q).optional();
  return z.strictObject(shape);
}

/**
 * How far ahead a patient may set the quit date (rökstoppsdatum): twelve weeks. The follow-ups at
 * 3, 6 and 12 months count from it, and a quit date further away would hold them back for no
 * clinical reason; Steg 2 asks for a date within the coming weeks (docs/clinical.md).
 */
export const QUIT_DATE_MAX_WEEKS = 12;

/** Calendar-day arithmetic on YYYY-MM-DD strings (no time zone involved). */
function plusDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/**
 * Why a quit date makes no sense, or null: not before the day the treatment started, not more than
 * QUIT_DATE_MAX_WEEKS ahead of today (both Swedish calendar dates, YYYY-MM-DD). The API answers 400
 * with this message and reason (the date's limit) at the field; the web app says it in Swedish.
 */
export function quitDateRefusal(quitDate: string, startedOn: string, today: string):
  { message: string; code: 'too_small'; origin: 'date'; minimum: string } | { message: string; code: 'too_big'; origin: 'date'; maximum: string } | null {
  if (quitDate < startedOn) return { message: `must not be before the treatment started (${startedOn})`, code: 'too_small', origin: 'date', minimum: startedOn };
  const latest = plusDays(today, QUIT_DATE_MAX_WEEKS * 7);
  if (quitDate > latest) return { message: `must be at most ${QUIT_DATE_MAX_WEEKS} weeks ahead (${latest})`, code: 'too_big', origin: 'date', maximum: latest };
  return null;
}
