// Activity plan occasions: clock times on weekdays in Swedish local time, for a number of weeks.
// "08:00 on Mondays" stays 08:00 across daylight-saving changes. Pure: no clock, no I/O.
import { TZDate, tzOffset } from '@date-fns/tz';
import { addDays as addCalendarDays } from 'date-fns';
import { swedishDate, TIME_ZONE } from './durations';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface Schedule { weekdays: Weekday[]; times: string[]; weeks: number }

/** The schedule's clock times, once each, in order: "HH:MM", or "HH:MM:SS" where a test needs an occasion within seconds. */
function clockTimes(schedule: Schedule): Array<readonly [number, number, number]> {
  return [...new Set(schedule.times)]
    .map((t) => { const [h = 0, m = 0, s = 0] = t.split(':').map(Number); return [h, m, s] as const; })
    .sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
}

/**
 * Every occasion of the schedule, in order, from the first one after `startAt` for `weeks` weeks
 * (release 1.2 plans). The same calendar as `occasionsBefore12`, computed from UTC offsets alone:
 * inside Temporal's workflow sandbox a TZDate made from an instant reads back another calendar day
 * (there, a one-week plan lost its last day or two). Pure and deterministic.
 */
export function occasions(schedule: Schedule, startAt: number): number[] {
  const offsetAt = (ms: number) => tzOffset(TIME_ZONE, new Date(ms)) * 60_000;
  const local = new Date(startAt + offsetAt(startAt));
  const [y, m, d] = [local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate()];
  /** The instant of a Swedish wall-clock time (the offset checked again at the instant, for DST days). */
  const instant = (day: number, h: number, mi: number, sec: number) => {
    const wall = Date.UTC(y, m, d + day, h, mi, sec);
    const first = wall - offsetAt(wall);
    return wall - offsetAt(first);
  };
  const wanted = new Set(schedule.weekdays.map((w) => (WEEKDAYS.indexOf(w) + 1) % 7)); // JS: 0 = Sunday
  const times = clockTimes(schedule);
  const result: number[] = [];
  for (let day = 0; day < schedule.weeks * 7; day++) {
    if (!wanted.has(new Date(Date.UTC(y, m, d + day)).getUTCDay())) continue;
    for (const [h, mi, sec] of times) {
      const at = instant(day, h, mi, sec);
      if (at > startAt) result.push(at);
    }
  }
  return result;
}

/**
 * The calendar of plans added before release 1.2, kept unchanged because their workflows replay
 * it (inside the sandbox it can start a day early; see `occasions`).
 */
export function occasionsBefore12(schedule: Schedule, startAt: number): number[] {
  const start = new TZDate(startAt, TIME_ZONE);
  const startDay = new TZDate(start.getFullYear(), start.getMonth(), start.getDate(), 0, 0, 0, TIME_ZONE);
  const wanted = new Set(schedule.weekdays.map((d) => (WEEKDAYS.indexOf(d) + 1) % 7)); // JS: 0 = Sunday
  const times = clockTimes(schedule);
  const result: number[] = [];
  for (let day = 0; day < schedule.weeks * 7; day++) {
    const date = addCalendarDays(startDay, day);
    if (!wanted.has(date.getDay())) continue;
    for (const [h, m, s] of times) {
      const at = new TZDate(date.getFullYear(), date.getMonth(), date.getDate(), h, m, s, TIME_ZONE).getTime();
      if (at > startAt) result.push(at);
    }
  }
  return result;
}

/**
 * When a plan with this start date (YYYY-MM-DD, a Swedish calendar day) starts: today's plan from
 * now (no occasion in the past), a later one from 00:00 of its day; without a date, now.
 */
export function planStartAt(startDate: string | undefined, now: number): number {
  if (!startDate || startDate <= swedishDate(now)) return now;
  const [y, m, d] = startDate.split('-').map(Number) as [number, number, number];
  return new TZDate(y, m - 1, d, 0, 0, 0, TIME_ZONE).getTime();
}
