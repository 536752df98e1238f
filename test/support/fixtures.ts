import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import { checkDigit } from '../../domain/personnummer';
import { WEEKDAYS } from '../../domain/schedule';

// Test personnummer: fictitious, with a valid check digit (Luhn over YYMMDDNNN).
let serial = 100 + Math.floor(Math.random() * 800);

export function testPersonnummer(birth = '19850312'): string {
  serial = serial >= 998 ? 100 : serial + 1;
  return `${birth}${String(serial).padStart(3, '0')}${checkDigit(`${birth.slice(2)}${String(serial).padStart(3, '0')}`)}`;
}

/** A samordningsnummer: day of birth + 60. */
export function testSamordningsnummer(): string {
  return testPersonnummer('19850372');
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Activity occasions are times of one Swedish day: a plan made seconds before midnight would wait
 * a week for its first occasion. So a test that schedules occasions a few seconds ahead starts clear
 * of midnight. This is one of the suite's fixed waits, and nothing better exists: the event waited
 * for is the date changing, which only time brings (it runs at most once a night, for seconds).
 */
export async function clearOfMidnight(marginSeconds = 90): Promise<void> {
  const [hh, mm, ss] = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Stockholm', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
    .format(Date.now()).split(':').map(Number) as [number, number, number];
  const secondsOfDay = hh * 3600 + mm * 60 + ss;
  if (secondsOfDay > 86_400 - marginSeconds) await sleep((86_400 - secondsOfDay + 2) * 1000);
}

/** Polls until check() returns a truthy value or the time runs out. */
export async function eventually<T>(check: () => Promise<T | undefined | null | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(200);
  }
}

/** The Swedish calendar date `days` from today (YYYY-MM-DD): for dates that must stay sensible whenever the suite runs. */
export function swedishDaysAhead(days: number): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm', year: 'numeric', month: '2-digit', day: '2-digit' }).format(Date.now() + days * 86_400_000);
}

/** An instant on the Swedish clock: its time of day (HH:mm:ss) and weekday, as an activity plan's schedule names them. */
export const local = (ms: number) => new TZDate(ms, 'Europe/Stockholm');
export const clock = (ms: number) => format(local(ms), 'HH:mm:ss');
export const weekday = (ms: number) => WEEKDAYS[(local(ms).getDay() + 6) % 7]!;
/** The weekday as the web app labels it (its checkbox in Ny aktivitetsplan, the plan's summary). */
export const weekdayLabel = (ms: number) => ['måndag', 'tisdag', 'onsdag', 'torsdag', 'fredag', 'lördag', 'söndag'][(local(ms).getDay() + 6) % 7]!;
