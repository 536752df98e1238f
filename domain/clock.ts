// What time alone changes: module deadlines, the inactivity flag, follow-ups falling due, their
// reminders and escalation, the end of Vidmakthåll and retention. The workflow keeps one timer for
// nextWakeAt() and applies tick() when it fires. Pure: `now` is passed in.
import { durationAdder } from './durations';
import { escalationAt, followUpSchedule, formsOutstanding, reminderAt } from './follow-ups';
import { bump, opened, withModule } from './state';
import { requestPurge } from './transitions';
import type { TreatmentPlan, TreatmentState } from './types';

const isRunning = (s: TreatmentState) => s.status === 'active' || s.status === 'invited';

export function retentionAt(state: TreatmentState, plan: TreatmentPlan): number | null {
  if ((state.status !== 'ended' && state.status !== 'maintenance') || state.endedAt === null || state.purgeRequested) return null;
  return durationAdder(plan.calendar)(state.endedAt, plan.durations.retention);
}

/** Every instant at which a follow-up needs something: falling due, a reminder, escalation. */
function followUpTimes(state: TreatmentState, plan: TreatmentPlan): number[] {
  if (state.status !== 'active') return [];
  const schedule = followUpSchedule(state, plan);
  return state.followUps.flatMap((f, i) => {
    if (f.openedAt === null) {
      const due = schedule[i] ?? null;
      return due === null ? [] : [due];
    }
    const deadline = state.modules.find((m) => m.id === f.moduleId)?.deadline ?? null;
    const outstanding = formsOutstanding(state, plan, f.moduleId);
    return [reminderAt(f, plan, outstanding), escalationAt(f, plan, deadline, outstanding)].filter((t): t is number => t !== null);
  });
}

/**
 * Step 4 (Återkoppling) is reminded like a follow-up: open with forms not sent, the patient is
 * reminded once after durations.followUpReminder; its deadline then closes it and flags the
 * clinician as for any step. Plans from release 1.2 (`remindUnanswered`); follow-up steps have
 * their own reminder (above).
 */
function formsReminders(state: TreatmentState, plan: TreatmentPlan): Array<{ moduleId: string; at: number }> {
  if (state.status !== 'active' || !plan.durations.followUpReminder) return [];
  const reminded = state.formsRemindedFor ?? [];
  return state.modules.flatMap((m) => {
    if (m.state !== 'open' || m.openedAt === null || reminded.includes(m.id) || isFollowUpModule(state, m.id)) return [];
    if (!formsOutstanding(state, plan, m.id)) return [];
    return [{ moduleId: m.id, at: durationAdder(plan.calendar)(m.openedAt, plan.durations.followUpReminder) }];
  });
}

const isFollowUpModule = (state: TreatmentState, moduleId: string) => state.followUps.some((f) => f.moduleId === moduleId);

function inactivityDueAt(state: TreatmentState, plan: TreatmentPlan): number | null {
  if (state.status !== 'active' || state.lastActiveAt === null || state.inactivityFlaggedFor === state.lastActiveAt) return null;
  return durationAdder(plan.calendar)(state.lastActiveAt, plan.durations.inactivityFlag);
}

/** An invited patient who never logs in is reminded once, and the clinician flagged (plans from release 1.1). */
function notStartedAt(state: TreatmentState, plan: TreatmentPlan): number | null {
  if (state.status !== 'invited' || !plan.durations.notStarted || state.notStartedNoticedAt) return null;
  return durationAdder(plan.calendar)(state.startedAt, plan.durations.notStarted);
}

/** The next instant at which time alone changes the state, or null when only a command can. */
export function nextWakeAt(state: TreatmentState, plan: TreatmentPlan): number | null {
  const candidates: number[] = [];
  if (state.status === 'maintenance' && state.maintenanceUntil !== null) candidates.push(state.maintenanceUntil);
  if (isRunning(state)) {
    for (const m of state.modules) {
      if (m.state === 'open' && m.deadline !== null && !isFollowUpModule(state, m.id)) candidates.push(m.deadline);
    }
  }
  candidates.push(...followUpTimes(state, plan));
  candidates.push(...formsReminders(state, plan).map((r) => r.at));
  const retention = retentionAt(state, plan);
  if (retention !== null) candidates.push(retention);
  const inactive = inactivityDueAt(state, plan);
  if (inactive !== null) candidates.push(inactive);
  const notStarted = notStartedAt(state, plan);
  if (notStarted !== null) candidates.push(notStarted);
  return candidates.length ? Math.min(...candidates) : null;
}

/** Applies whatever time has made due: deadlines close modules, quiet patients are flagged, Vidmakthåll ends. */
export function tick(state: TreatmentState, plan: TreatmentPlan, now: number): TreatmentState {
  let s = state;
  s = tickFollowUps(s, plan, now);
  if (s.status === 'maintenance' && s.maintenanceUntil !== null && now >= s.maintenanceUntil) {
    s = bump(s, { status: 'ended' }, [{ key: 'maintenance-ended', type: 'maintenance_ended', at: now }]);
  }
  if (s.status === 'active' || s.status === 'invited') {
    for (const m of s.modules) {
      // A follow-up step does not close at its deadline: it escalates to the clinician instead.
      if (isFollowUpModule(s, m.id)) continue;
      if (m.state === 'open' && m.deadline !== null && now >= m.deadline) {
        const deadline = m.deadline;
        s = bump(s, { modules: withModule(s, m.id, (x) => ({ ...x, state: 'closed' })) }, [{
          key: `closed:${m.id}:${deadline}`, type: 'module_closed', at: now, moduleId: m.id, flag: 'deadline_passed', data: { deadline },
        }]);
      }
    }
  }
  for (const r of formsReminders(s, plan)) {
    if (now < r.at) continue;
    s = bump(s, { formsRemindedFor: [...(s.formsRemindedFor ?? []), r.moduleId] }, [{
      key: `forms-reminder:${r.moduleId}`, type: 'forms_reminder', at: now, moduleId: r.moduleId, notifyPatient: 'forms_reminder',
    }]);
  }
  const inactive = inactivityDueAt(s, plan);
  if (inactive !== null && now >= inactive) {
    s = bump(s, { inactivityFlaggedFor: s.lastActiveAt }, [{
      key: `inactive:${s.lastActiveAt}`, type: 'patient_inactive', at: now, flag: 'patient_inactive', data: { lastActiveAt: s.lastActiveAt },
    }]);
  }
  const notStarted = notStartedAt(s, plan);
  if (notStarted !== null && now >= notStarted) {
    s = bump(s, { notStartedNoticedAt: now }, [{
      key: 'not-started', type: 'not_started', at: now, flag: 'not_started', notifyPatient: 'not_started', data: { invitedAt: s.startedAt },
    }]);
  }
  const retention = retentionAt(s, plan);
  if (retention !== null && now >= retention) s = requestPurge(s, now);
  return s;
}

/** Opens follow-ups that fell due (with a reminder to the patient), reminds once more, then escalates. */
function tickFollowUps(state: TreatmentState, plan: TreatmentPlan, now: number): TreatmentState {
  if (state.status !== 'active') return state;
  let s = state;
  // Ticking changes neither the quit date nor the base step: the schedule of the state as it came holds.
  const schedule = followUpSchedule(state, plan);
  s.followUps.forEach((_, i) => {
    const f = s.followUps[i]!;
    const setF = (change: Partial<typeof f>) => s.followUps.map((x, j) => (j === i ? { ...x, ...change } : x));
    const due = schedule[i] ?? null;
    if (f.openedAt === null && due !== null && now >= due) {
      const m = s.modules.find((x) => x.id === f.moduleId)!;
      const escalation = plan.durations.followUpEscalation;
      const open = m.state === 'locked' || m.state === 'closed'
        ? { ...opened(plan, m, now), ...(escalation ? { deadline: durationAdder(plan.calendar)(now, escalation) } : {}) }
        : m;
      s = bump(s, { followUps: setF({ openedAt: now }), modules: withModule(s, f.moduleId, () => open), currentModuleId: f.moduleId }, [{
        key: `followup:${i}:due`, type: 'followup_due', at: now, moduleId: f.moduleId, notifyPatient: 'followup_due', data: { index: i, dueAt: due },
      }]);
      return;
    }
    const outstanding = formsOutstanding(s, plan, f.moduleId);
    const remind = reminderAt(f, plan, outstanding);
    if (remind !== null && now >= remind) {
      s = bump(s, { followUps: setF({ remindedAt: now }) }, [{
        key: `followup:${i}:reminder`, type: 'followup_reminder', at: now, moduleId: f.moduleId, notifyPatient: 'followup_reminder', data: { index: i },
      }]);
    }
    const deadline = s.modules.find((x) => x.id === f.moduleId)?.deadline ?? null;
    const escalate = escalationAt(s.followUps[i]!, plan, deadline, outstanding);
    if (escalate !== null && now >= escalate) {
      s = bump(s, { followUps: s.followUps.map((x, j) => (j === i ? { ...x, escalatedAt: now } : x)) }, [{
        key: `followup:${i}:unanswered`, type: 'followup_unanswered', at: now, moduleId: f.moduleId, flag: 'followup_unanswered', data: { index: i },
      }]);
    }
  });
  return s;
}
