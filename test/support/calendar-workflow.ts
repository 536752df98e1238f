// A test-only workflow: the release 1.2 calendar computed inside Temporal's workflow sandbox, where
// TZDate reads its fields as UTC (see domain/durations.ts).
import { addIsoDurationByOffsets, swedishDate, swedishWallTime } from '../../domain/durations';
import { answerByOf } from '../../workflows/activity-plan';

export async function calendarProbe(instants: number[], durations: string[]): Promise<{ added: number[][]; dates: string[]; nine: number[] }> {
  return {
    added: instants.map((at) => durations.map((d) => addIsoDurationByOffsets(at, d))),
    dates: instants.map(swedishDate),
    nine: instants.map((at) => { const d = new Date(at); return swedishWallTime(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), 9); }),
  };
}

/** An activity plan's answer windows computed inside the sandbox, before release 1.4 (addDays) and from it (by offsets). */
export async function answerWindowProbe(dueAts: number[], days: number): Promise<{ before14: number[]; byOffsets: number[] }> {
  return { before14: dueAts.map((d) => answerByOf(false, d, days)), byOffsets: dueAts.map((d) => answerByOf(true, d, days)) };
}
