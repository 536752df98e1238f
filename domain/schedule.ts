// Activity plan occasions: clock times on weekdays in Swedish local time, for a number of weeks.
// "08:00 on Mondays" stays 08:00 across daylight-saving changes. Pure: no clock, no I/O.
import { TZDate } from '@date-fns/tz';
import { addDays as addCalendarDays } from 'date-fns';
import { TIME_ZONE } from './durations';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface Schedule { weekdays: Weekday[]; times: string[]; weeks: number }

/** Every occasion of the schedule, in order, from the first one after `startAt` for `weeks` weeks. */
export function occasions(schedule: Schedule, startAt: number): number[] {
  const start = new TZDate(startAt, TIME_ZONE);
  const startDay = new TZDate(start.getFullYear(), start.getMonth(), start.getDate(), 0, 0, 0, TIME_ZONE);
  const wanted = new Set(schedule.weekdays.map((d) => (WEEKDAYS.indexOf(d) + 1) % 7)); // JS: 0 = Sunday
  // "HH:MM", or "HH:MM:SS" where a test needs an occasion within seconds.
  const times = [...new Set(schedule.times)]
    .map((t) => { const [h = 0, m = 0, s = 0] = t.split(':').map(Number); return [h, m, s] as const; })
    .sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
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
