// ISO 8601 durations, added in Swedish local time. Used by workflows too, so it must stay pure:
// no I/O, no Node built-ins, no reading the clock.
import { parse, type Duration } from 'tinyduration';
import { add, format } from 'date-fns';
import { TZDate } from '@date-fns/tz';

export const TIME_ZONE = 'Europe/Stockholm';

export function parseDuration(iso: string): Duration {
  return parse(iso);
}

export function isValidDuration(iso: string): boolean {
  try {
    const d = parse(iso);
    return !d.negative;
  } catch {
    return false;
  }
}

/**
 * Adds an ISO duration to an instant the way a Swede reads a calendar: "P3M" after 31 January
 * is 30 April (or 29th in a leap year), "P1D" across the spring DST change keeps the wall-clock time.
 */
export function addIsoDuration(epochMs: number, iso: string): number {
  const d = parseDuration(iso);
  const local = new TZDate(epochMs, TIME_ZONE);
  const whole = add(local, {
    years: d.years ?? 0,
    months: d.months ?? 0,
    weeks: d.weeks ?? 0,
    days: d.days ?? 0,
  });
  // Hours, minutes and seconds are elapsed time, not wall-clock time.
  const seconds = (d.hours ?? 0) * 3600 + (d.minutes ?? 0) * 60 + (d.seconds ?? 0);
  return whole.getTime() + Math.round(seconds * 1000);
}

export function addDays(epochMs: number, days: number): number {
  return addIsoDuration(epochMs, `P${days}D`);
}

/** The calendar date (YYYY-MM-DD) in Sweden at an instant. */
export function swedishDate(at: number): string {
  return format(new TZDate(at, TIME_ZONE), 'yyyy-MM-dd');
}
