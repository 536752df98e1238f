// Uppföljning: steps 5–7 fall due at durations.followUps (P3M, P6M, P12M) after the base: the
// quit date at 09:00 Swedish time, or else the moment step 4 was completed. Pure functions.
import { TZDate } from '@date-fns/tz';
import { durationAdder, swedishWallTime, TIME_ZONE, type Calendar } from './durations';
import type { FollowUpState, TreatmentPlan, TreatmentState } from './types';

/** 09:00 Swedish time on the quit date; by offsets for plans from release 1.2 (see durations.ts). */
export function quitDateBase(quitDate: string, calendar?: Calendar): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(quitDate);
  if (!m) return null;
  if (calendar === 'offsets') return swedishWallTime(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 9);
  return new TZDate(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 9, 0, 0, TIME_ZONE).getTime();
}

/** The module whose completion starts the follow-ups when no quit date was recorded (step 4). */
export function baseModuleId(plan: TreatmentPlan): string | null {
  const firstFollowUp = plan.modules.findIndex((m) => m.followUpIndex !== undefined);
  if (firstFollowUp <= 0) return null;
  return plan.modules[firstFollowUp - 1]!.id;
}

export function followUpBase(state: TreatmentState, plan: TreatmentPlan): number | null {
  if (state.quitDate) return quitDateBase(state.quitDate, plan.calendar);
  const baseId = baseModuleId(plan);
  return state.modules.find((m) => m.id === baseId)?.completedAt ?? null;
}

export function followUpModules(plan: TreatmentPlan) {
  return plan.modules
    .filter((m): m is typeof m & { followUpIndex: number } => m.followUpIndex !== undefined)
    .sort((a, b) => a.followUpIndex - b.followUpIndex);
}

export function initialFollowUps(plan: TreatmentPlan): FollowUpState[] {
  return followUpModules(plan).map((m) => ({
    moduleId: m.id, openedAt: null, remindedAt: null, escalatedAt: null, answeredAt: null, tobaccoStatus: null,
  }));
}

export function dueAt(state: TreatmentState, plan: TreatmentPlan, index: number): number | null {
  return followUpSchedule(state, plan)[index] ?? null;
}

// States are immutable values: the schedule of one state is computed once, however many times a
// turn of the workflow asks (its timer, its tick and its read-model write).
const schedules = new WeakMap<TreatmentState, Array<number | null>>();

/** When each follow-up falls due (null: no base yet), for this state. */
export function followUpSchedule(state: TreatmentState, plan: TreatmentPlan): Array<number | null> {
  let schedule = schedules.get(state);
  if (!schedule) {
    const base = followUpBase(state, plan);
    schedule = state.followUps.map((_, i) => {
      const duration = plan.durations.followUps[i];
      return base === null || !duration ? null : durationAdder(plan.calendar)(base, duration);
    });
    schedules.set(state, schedule);
  }
  return schedule;
}

/**
 * Forms of the module still to send, when its plan reminds them (release 1.2: step 7's closing
 * questions are reminded like its follow-up form); none for older plans, which count the follow-up
 * answered by its tobacco status alone.
 */
export function formsOutstanding(state: TreatmentState, plan: TreatmentPlan, moduleId: string): boolean {
  const p = plan.modules.find((m) => m.id === moduleId);
  const m = state.modules.find((x) => x.id === moduleId);
  if (!p?.remindUnanswered || !m) return false;
  return p.formIds.some((f) => !m.submittedForms.includes(f));
}

/** When an open, unanswered follow-up next needs something: a second reminder, then escalation. */
export function reminderAt(f: FollowUpState, plan: TreatmentPlan, outstanding = false): number | null {
  if (f.openedAt === null || (f.answeredAt !== null && !outstanding) || f.remindedAt !== null || !plan.durations.followUpReminder) return null;
  return durationAdder(plan.calendar)(f.openedAt, plan.durations.followUpReminder);
}

/**
 * An open follow-up's step gets its deadline at followUpEscalation; unanswered by then, the
 * clinician is flagged. Days the clinician gives (PATCH workDays) move that deadline, and with it
 * the escalation.
 */
export function escalationAt(f: FollowUpState, plan: TreatmentPlan, moduleDeadline: number | null, outstanding = false): number | null {
  if (f.openedAt === null || (f.answeredAt !== null && !outstanding) || f.escalatedAt !== null || !plan.durations.followUpEscalation) return null;
  return moduleDeadline ?? durationAdder(plan.calendar)(f.openedAt, plan.durations.followUpEscalation);
}
