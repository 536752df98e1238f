// ISO 8601 durations, added in Swedish local time. Used by workflows too, so it must stay pure:
// no I/O, no Node built-ins, no reading the clock.
import { parse, type Duration } from 'tinyduration';
import { add } from 'date-fns';
import { TZDate, tzOffset } from '@date-fns/tz';

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

/** Sweden's offset from UTC at an instant, in ms (Intl, which works inside the workflow sandbox too). */
const offsetAt = (ms: number) => tzOffset(TIME_ZONE, new Date(ms)) * 60_000;

/**
 * The instant of a Swedish wall-clock time given as UTC fields: in the autumn's repeated hour the
 * second of the two, in the spring's missing hour the time an hour later (both as TZDate does).
 */
function instantOfWall(wallMs: number): number {
  const candidates = [wallMs - offsetAt(wallMs - 3 * 3_600_000), wallMs - offsetAt(wallMs + 3 * 3_600_000)];
  const valid = candidates.filter((c) => c + offsetAt(c) === wallMs);
  return valid.length > 0 ? Math.max(...valid) : wallMs - offsetAt(wallMs - offsetAt(wallMs));
}

/** The instant of a Swedish wall-clock time (month from 0, as Date.UTC), by offsets. */
export function swedishWallTime(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number {
  return instantOfWall(Date.UTC(year, month, day, hour, minute, second));
}

/** The calendar date (YYYY-MM-DD) in Sweden at an instant. */
export function swedishDate(at: number): string {
  return new Date(at + offsetAt(at)).toISOString().slice(0, 10);
}

/**
 * `addIsoDuration` computed from UTC offsets alone. Inside Temporal's workflow sandbox a TZDate
 * reads its local fields as UTC (its instant is right, its calendar is not), so a deadline there
 * lands an hour off across daylight-saving changes and P3M a day off near midnight. Treatments
 * started on release 1.2 use this one (their plan says `calendar: 'offsets'`); earlier ones keep
 * the calendar their histories were made with. Equal to `addIsoDuration` outside the sandbox.
 */
export function addIsoDurationByOffsets(epochMs: number, iso: string): number {
  const d = parseDuration(iso);
  const seconds = (d.hours ?? 0) * 3600 + (d.minutes ?? 0) * 60 + (d.seconds ?? 0);
  if (!d.years && !d.months && !d.weeks && !d.days) return epochMs + Math.round(seconds * 1000); // elapsed time only
  const wall = new Date(epochMs + offsetAt(epochMs)); // UTC fields = Swedish wall clock
  const months = wall.getUTCMonth() + (d.years ?? 0) * 12 + (d.months ?? 0);
  const year = wall.getUTCFullYear() + Math.floor(months / 12);
  const month = ((months % 12) + 12) % 12;
  // "P1M" after 31 January is the last day of February, as date-fns adds months.
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = Math.min(wall.getUTCDate(), lastDay) + (d.weeks ?? 0) * 7 + (d.days ?? 0);
  const wallMs = Date.UTC(year, month, day, wall.getUTCHours(), wall.getUTCMinutes(), wall.getUTCSeconds(), wall.getUTCMilliseconds());
  return instantOfWall(wallMs) + Math.round(seconds * 1000);
}

/** The way a plan adds durations: by offsets from release 1.2, by TZDate before (see above). */
export type Calendar = 'offsets' | undefined;
export const durationAdder = (calendar: Calendar) => (calendar === 'offsets' ? addIsoDurationByOffsets : addIsoDuration);
