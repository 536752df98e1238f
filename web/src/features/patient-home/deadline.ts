// A step's deadline in words, true to the instant it closes (domain/clock.ts): whole days left in
// Sweden, and the closing date, with the time when the step does not close at the end of the day.
import { TZDate } from '@date-fns/tz';
import { daysLeft, daysText, TIME_ZONE } from '../../utils/dates';
import { date } from '../../utils/format';

/** Whether the instant is the last minute of its Swedish day (23:59 or later). */
function endOfSwedishDay(iso: string): boolean {
  const d = new TZDate(new Date(iso), TIME_ZONE);
  return d.getHours() === 23 && d.getMinutes() === 59;
}

const timeFmt = new Intl.DateTimeFormat('sv-SE', { timeZone: TIME_ZONE, hour: '2-digit', minute: '2-digit' });

/** "till och med 2026-12-10" at the end of the day, else "till 2026-12-10 kl. 14:00". */
export function closesText(deadline: string): string {
  return endOfSwedishDay(deadline) ? `till och med ${date(deadline)}` : `till ${date(deadline)} kl. ${timeFmt.format(new Date(deadline))}`;
}

/** "3 dagar kvar, till och med 2026-12-10"; on the last day "sista dagen, …"; once passed "tiden har gått ut". */
export function deadlineText(deadline: string, now: Date): string {
  if (new Date(deadline).getTime() <= now.getTime()) return `tiden gick ut ${date(deadline)}`;
  const left = daysLeft(deadline, now) ?? 0;
  return `${left === 0 ? 'sista dagen' : `${daysText(left)} kvar`}, ${closesText(deadline)}`;
}
