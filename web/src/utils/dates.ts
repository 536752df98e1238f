// Calendar arithmetic in Europe/Stockholm, whatever the browser's own zone: a day the user picks
// (YYYY-MM-DD) as the instants it starts and ends there, and whole days left until a deadline
// (the API's rule, api/treatments/views.ts daysLeft, so a page left open past midnight stays right).
import { TZDate } from '@date-fns/tz';
import { add, differenceInCalendarDays, endOfDay } from 'date-fns';

export const TIME_ZONE = 'Europe/Stockholm';

function calendarDay(day: string): TZDate | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return null;
  return new TZDate(Number(m[1]), Number(m[2]) - 1, Number(m[3]), TIME_ZONE);
}

/** The instant (UTC ISO) a Swedish calendar day starts; undefined for no or a malformed day. */
export function dayStart(day: string): string | undefined {
  const d = calendarDay(day);
  return d ? new Date(d.getTime()).toISOString() : undefined;
}

/** The last millisecond (UTC ISO) of a Swedish calendar day. */
export function dayEnd(day: string): string | undefined {
  const d = calendarDay(day);
  return d ? new Date(endOfDay(d).getTime()).toISOString() : undefined;
}

/** Whole calendar days left in Sweden until the deadline; 0 on its last day, never negative. */
export function daysLeft(deadline: string | null, now: Date): number | null {
  if (!deadline) return null;
  const end = new Date(deadline);
  if (end.getTime() <= now.getTime()) return 0;
  return Math.max(0, differenceInCalendarDays(new TZDate(end, TIME_ZONE), new TZDate(now, TIME_ZONE)));
}

/** "1 dag", "3 dagar". */
export const daysText = (n: number) => `${n} ${n === 1 ? 'dag' : 'dagar'}`;

/** An ISO 8601 duration's parts (P3M, P1Y2M10D, P2W, PT30S); null when malformed. */
function durationParts(iso: string) {
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(iso);
  if (!m || iso === 'P' || iso.endsWith('T')) return null;
  const [years, months, weeks, days, hours, minutes, seconds] = m.slice(1).map((v) => Number(v ?? 0));
  return { years, months, weeks, days, hours, minutes, seconds };
}

/** The instant a duration (P3M) after `from` ends, counted in Sweden; null if it is malformed. */
export function afterDuration(from: Date, iso: string): Date | null {
  const parts = durationParts(iso);
  return parts ? new Date(add(new TZDate(from, TIME_ZONE), parts).getTime()) : null;
}
