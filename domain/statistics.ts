// Statistik is anonymous: every count under 5 is shown as "<5" and a rate derived from such a count
// is not shown (null), so that no patient can be singled out; ranges are whole days in Sweden.

export const SUPPRESSED = '<5' as const;
export const SMALLEST_SHOWN = 5;
export type Count = number | typeof SUPPRESSED;

export interface RawStatistics {
  started: number;
  active: number;
  ended: { total: number; byReason: Record<string, number> };
  purged: number;
  moduleCompletion: Array<{ moduleId: string; opened: number; completed: number; completionRate: number | null }>;
  followUps: Array<{ index: number; after: string; due: number; answered: number; responseRate: number | null; tobaccoFree: number; tobaccoFreeRate: number | null }>;
  /** Avslutningsfrågor: treatments that were asked them (their step open), and those that answered. */
  closingQuestions: { asked: number; answered: number; responseRate: number | null };
}

const count = (n: number): Count => (n < SMALLEST_SHOWN ? SUPPRESSED : n);
/** A rate is shown only when both its counts are. */
const rate = (numerator: number, denominator: number, value: number | null) =>
  (numerator < SMALLEST_SHOWN || denominator < SMALLEST_SHOWN ? null : value);

export function suppressSmallCounts(s: RawStatistics) {
  return {
    started: count(s.started),
    active: count(s.active),
    ended: { total: count(s.ended.total), byReason: Object.fromEntries(Object.entries(s.ended.byReason).map(([k, v]) => [k, count(v)])) },
    purged: count(s.purged),
    moduleCompletion: s.moduleCompletion.map((m) => ({
      moduleId: m.moduleId, opened: count(m.opened), completed: count(m.completed), completionRate: rate(m.completed, m.opened, m.completionRate),
    })),
    followUps: s.followUps.map((f) => ({
      index: f.index, after: f.after, due: count(f.due), answered: count(f.answered), responseRate: rate(f.answered, f.due, f.responseRate),
      tobaccoFree: count(f.tobaccoFree), tobaccoFreeRate: rate(f.tobaccoFree, f.answered, f.tobaccoFreeRate),
    })),
    closingQuestions: {
      asked: count(s.closingQuestions.asked), answered: count(s.closingQuestions.answered),
      responseRate: rate(s.closingQuestions.answered, s.closingQuestions.asked, s.closingQuestions.responseRate),
    },
  };
}
