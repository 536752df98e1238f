// Statistik by day: each treatment's anonymous facts counted on the Swedish day they happened
// (started, activated, ended), so that any range of whole days is a sum of days. The nightly
// snapshot stores these days per care unit and the API answers from them where they cover the
// range; the live answer is the same sum over days made from the store now. Pure.
import { swedishDate } from './durations';
import type { RawStatistics } from './statistics';

/** What the statistics read of one treatment (its read model, or its facts after gallring). */
export interface FactRow {
  programId: string;
  careUnitId: string;
  status: string;
  startedAt?: Date | null;
  activatedAt?: Date | null;
  endedAt?: Date | null;
  endReason?: string | null;
  modules?: Array<{ id: string; state: string; submittedForms?: string[] | null }>;
  followUps?: Array<{ index: number; openedAt?: Date | number | null; answeredAt?: Date | number | null; tobaccoStatus?: string | null }>;
}

/** One day's counts for one program at one care unit. Cohort counts belong to the day of the start. */
export interface DayFacts {
  started: number;
  purged: number;
  activated: number;
  /** Ended that day, having been activated (an active treatment no longer). */
  endedActivated: number;
  ended: number;
  byReason: Record<string, number>;
  modules: Record<string, { opened: number; completed: number }>;
  followUps: Record<string, { due: number; answered: number; tobaccoFree: number }>;
  closingAsked: number;
  closingAnswered: number;
}

/** Days (YYYY-MM-DD) → program → counts. */
export type Days = Record<string, Record<string, DayFacts>>;

const empty = (): DayFacts => ({
  started: 0, purged: 0, activated: 0, endedActivated: 0, ended: 0, byReason: {}, modules: {}, followUps: {}, closingAsked: 0, closingAnswered: 0,
});

/** The forms holding a program's closing questions (avslutningsfrågor). */
export type ClosingForms = (programId: string) => Array<{ moduleId: string; formId: string }>;

/** Every row counted into its care unit's days. */
export function dailyFacts(rows: FactRow[], closingOf: ClosingForms): Record<string, Days> {
  const units: Record<string, Days> = {};
  const at = (unit: string, when: Date, program: string) => {
    const day = swedishDate(when.getTime());
    const days = (units[unit] ??= {});
    return ((days[day] ??= {})[program] ??= empty());
  };
  for (const r of rows) {
    if (r.startedAt) {
      const f = at(r.careUnitId, r.startedAt, r.programId);
      f.started += 1;
      if (r.status === 'purged') f.purged += 1;
      for (const m of r.modules ?? []) {
        const c = (f.modules[m.id] ??= { opened: 0, completed: 0 });
        if (m.state !== 'locked') c.opened += 1;
        if (m.state === 'completed') c.completed += 1;
      }
      for (const x of r.followUps ?? []) {
        if (!x.openedAt) continue;
        const c = (f.followUps[String(x.index)] ??= { due: 0, answered: 0, tobaccoFree: 0 });
        c.due += 1;
        if (x.answeredAt) {
          c.answered += 1;
          if (x.tobaccoStatus === 'tobacco-free') c.tobaccoFree += 1;
        }
      }
      const closing = closingOf(r.programId);
      const modules = r.modules ?? [];
      if (closing.some((c) => modules.some((m) => m.id === c.moduleId && m.state !== 'locked'))) {
        f.closingAsked += 1;
        if (closing.some((c) => modules.some((m) => m.id === c.moduleId && (m.submittedForms ?? []).includes(c.formId)))) f.closingAnswered += 1;
      }
    }
    if (r.activatedAt) at(r.careUnitId, r.activatedAt, r.programId).activated += 1;
    if (r.endedAt) {
      const f = at(r.careUnitId, r.endedAt, r.programId);
      f.ended += 1;
      const reason = r.endReason ?? 'unknown';
      f.byReason[reason] = (f.byReason[reason] ?? 0) + 1;
      if (r.activatedAt) f.endedActivated += 1;
    }
  }
  return units;
}

export interface DayQuery {
  /** First day (YYYY-MM-DD), inclusive; null: from the beginning. */
  from: string | null;
  /** Last day, inclusive; null: to the end. */
  to: string | null;
  programId?: string;
  /** The program's modules in order, and its follow-up durations (P3M, …), for the answer's lists. */
  moduleOrder: string[];
  followUpDurations: string[];
}

/**
 * The statistics of a range of whole days, summed over the days of every unit in scope. Active at
 * any time in the range: activated before the range and not ended before it, plus activated in it.
 */
export function statisticsFromDays(unitDays: Days[], q: DayQuery): RawStatistics {
  let started = 0; let purged = 0; let active = 0; let ended = 0; let closingAsked = 0; let closingAnswered = 0;
  const byReason: Record<string, number> = {};
  const modules = new Map<string, { opened: number; completed: number }>();
  const followUps = new Map<string, { due: number; answered: number; tobaccoFree: number }>();
  for (const days of unitDays) {
    for (const [day, programs] of Object.entries(days)) {
      const before = q.from !== null && day < q.from;
      const inRange = !before && (q.to === null || day <= q.to);
      for (const [programId, f] of Object.entries(programs)) {
        if (q.programId && programId !== q.programId) continue;
        if (before) active += f.activated - f.endedActivated;
        if (!inRange) continue;
        active += f.activated;
        started += f.started;
        purged += f.purged;
        ended += f.ended;
        closingAsked += f.closingAsked;
        closingAnswered += f.closingAnswered;
        for (const [reason, n] of Object.entries(f.byReason)) byReason[reason] = (byReason[reason] ?? 0) + n;
        for (const [id, c] of Object.entries(f.modules)) {
          const sum = modules.get(id) ?? { opened: 0, completed: 0 };
          modules.set(id, { opened: sum.opened + c.opened, completed: sum.completed + c.completed });
        }
        for (const [i, c] of Object.entries(f.followUps)) {
          const sum = followUps.get(i) ?? { due: 0, answered: 0, tobaccoFree: 0 };
          followUps.set(i, { due: sum.due + c.due, answered: sum.answered + c.answered, tobaccoFree: sum.tobaccoFree + c.tobaccoFree });
        }
      }
    }
  }
  const order = [...q.moduleOrder, ...[...modules.keys()].filter((id) => !q.moduleOrder.includes(id))];
  return {
    started,
    active,
    ended: { total: ended, byReason },
    purged,
    moduleCompletion: order.filter((id) => modules.has(id)).map((moduleId) => {
      const { opened, completed } = modules.get(moduleId)!;
      return { moduleId, opened, completed, completionRate: opened ? completed / opened : null };
    }),
    followUps: q.followUpDurations.map((after, index) => {
      const { due, answered, tobaccoFree } = followUps.get(String(index)) ?? { due: 0, answered: 0, tobaccoFree: 0 };
      return {
        index, after, due, answered, responseRate: due ? answered / due : null, tobaccoFree, tobaccoFreeRate: answered ? tobaccoFree / answered : null,
      };
    }),
    closingQuestions: { asked: closingAsked, answered: closingAnswered, responseRate: closingAsked ? closingAnswered / closingAsked : null },
  };
}
