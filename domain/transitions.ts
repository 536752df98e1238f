// The treatment's state machine as pure functions: (state, command, now) -> new state.
// Each transition also appends the domain events it causes (timeline, flags, notifications) to
// state.pendingEvents; the workflow records them through activities. No I/O here, no clock.
import { addDays, addIsoDuration } from './durations';
import { dueAt, escalationAt, initialFollowUps, reminderAt } from './follow-ups';
import {
  FAILURE_TYPES, type DomainEvent, type ModuleProgress, type ModuleState, type SectionProgress, type TreatmentInput,
  type TreatmentPlan, type TreatmentProjection, type TreatmentState, type TreatmentStatus,
} from './types';

export class TransitionError extends Error {
  constructor(readonly type: (typeof FAILURE_TYPES)[keyof typeof FAILURE_TYPES], message: string) {
    super(message);
    this.name = 'TransitionError';
  }
}

const illegal = (message: string) => new TransitionError(FAILURE_TYPES.illegalTransition, message);

export function initialState(input: TreatmentInput): TreatmentState {
  const state: TreatmentState = {
    treatmentId: input.treatmentId,
    programId: input.plan.programId,
    careUnitId: input.careUnitId,
    clinicianId: input.clinicianId,
    status: 'invited',
    startedAt: input.startedAt,
    activatedAt: null,
    lastActiveAt: null,
    endedAt: null,
    endReason: null,
    maintenanceUntil: null,
    quitDate: null,
    currentModuleId: null,
    modules: input.plan.modules.map((m) => ({
      id: m.id, state: 'locked', openedAt: null, deadline: null, completedAt: null, sections: {}, submittedForms: [],
    })),
    version: 1,
    pendingEvents: [],
    inactivityFlaggedFor: null,
    followUps: initialFollowUps(input.plan),
    activityPlans: [],
    purgeRequested: false,
  };
  return withEvents(state, [{ key: 'started', type: 'treatment_started', at: input.startedAt, notifyPatient: 'treatment_started' }]);
}

type NewEvent = Omit<DomainEvent, 'clinicianId'>;

function withEvents(state: TreatmentState, events: NewEvent[]): TreatmentState {
  if (events.length === 0) return state;
  return { ...state, pendingEvents: [...state.pendingEvents, ...events.map((e) => ({ ...e, clinicianId: state.clinicianId }))] };
}

/** The workflow calls this once the events are recorded. */
export function eventsRecorded(state: TreatmentState, keys: string[]): TreatmentState {
  const done = new Set(keys);
  return { ...state, pendingEvents: state.pendingEvents.filter((e) => !done.has(e.key)) };
}

/** Clinician work is possible before the patient's first login and while the treatment runs. */
function assertWritable(state: TreatmentState): void {
  if (state.status !== 'invited' && state.status !== 'active') {
    throw illegal(`the treatment is ${state.status}`);
  }
}

/** Patient writes need an active treatment; in Vidmakthåll the patient may only read. Null: allowed. */
export function patientWriteRefusal(status: TreatmentStatus): string | null {
  if (status === 'active') return null;
  return status === 'maintenance' ? 'the treatment is read-only' : `the treatment is ${status}`;
}

function assertPatientWritable(state: TreatmentState): void {
  const refusal = patientWriteRefusal(state.status);
  if (refusal) throw illegal(refusal);
}

function findModule(state: TreatmentState, moduleId: string): ModuleState {
  const m = state.modules.find((x) => x.id === moduleId);
  if (!m) throw new TransitionError(FAILURE_TYPES.unknownModule, `no module "${moduleId}" in this program`);
  return m;
}

function planModule(plan: TreatmentPlan, moduleId: string) {
  const m = plan.modules.find((x) => x.id === moduleId);
  if (!m) throw new TransitionError(FAILURE_TYPES.unknownModule, `no module "${moduleId}" in this program`);
  return m;
}

function withModule(state: TreatmentState, moduleId: string, change: (m: ModuleState) => ModuleState): ModuleState[] {
  return state.modules.map((m) => (m.id === moduleId ? change(m) : m));
}

function bump(state: TreatmentState, next: Partial<TreatmentState>, events: NewEvent[] = []): TreatmentState {
  return withEvents({ ...state, ...next, version: state.version + 1 }, events);
}

function opened(plan: TreatmentPlan, m: ModuleState, now: number): ModuleState {
  const work = planModule(plan, m.id).workDuration ?? plan.durations.moduleWork;
  return { ...m, state: 'open', openedAt: now, deadline: addIsoDuration(now, work) };
}

const moduleOpenedEvent = (m: ModuleState, now: number): NewEvent =>
  ({ key: `opened:${m.id}:${now}`, type: 'module_opened', at: now, moduleId: m.id, data: { deadline: m.deadline } });

/** The patient's first visit: the start modules open and the first step becomes current. */
export function activate(state: TreatmentState, plan: TreatmentPlan, now: number): TreatmentState {
  if (state.status !== 'invited') throw illegal(`the treatment is already ${state.status}`);
  const startIds = new Set(plan.modules.filter((m) => m.openAtStart).map((m) => m.id));
  const modules = state.modules.map((m) => (startIds.has(m.id) && m.state === 'locked' ? opened(plan, m, now) : m));
  const firstStep = plan.modules.find((m) => m.openAtStart && m.kind === 'step');
  return bump(state, {
    status: 'active',
    activatedAt: now,
    lastActiveAt: now,
    modules,
    currentModuleId: state.currentModuleId ?? firstStep?.id ?? null,
  }, [{ key: 'activated', type: 'activated', at: now, flag: 'first_login' }]);
}

/** Opens a module: an individual module that fits the patient, or a coming step early. Opening an open module changes nothing. */
export function openModule(state: TreatmentState, plan: TreatmentPlan, moduleId: string, now: number): TreatmentState {
  assertWritable(state);
  const m = findModule(state, moduleId);
  if (m.state === 'open') return state;
  if (m.state === 'completed') throw illegal(`module "${moduleId}" is already completed`);
  if (m.state === 'closed') throw illegal(`module "${moduleId}" is closed; give more days to open it again`);
  const next = opened(plan, m, now);
  return bump(state, { modules: withModule(state, moduleId, () => next) }, [moduleOpenedEvent(next, now)]);
}

/** "Sätt till aktuell": the module opens (if it was locked) and becomes the current one. */
export function setCurrentModule(state: TreatmentState, plan: TreatmentPlan, moduleId: string, now: number): TreatmentState {
  assertWritable(state);
  const m = findModule(state, moduleId);
  if (m.state === 'completed') throw illegal(`module "${moduleId}" is already completed`);
  if (state.currentModuleId === moduleId && m.state !== 'locked') return state;
  const events: NewEvent[] = [];
  let modules = state.modules;
  if (m.state === 'locked') {
    const next = opened(plan, m, now);
    modules = withModule(state, moduleId, () => next);
    events.push(moduleOpenedEvent(next, now));
  }
  events.push({ key: `current:${moduleId}:${now}`, type: 'module_current', at: now, moduleId });
  return bump(state, { modules, currentModuleId: moduleId }, events);
}

/** "Avklarad": only a module the patient has had can be completed. Completing twice changes nothing. */
export function completeModule(state: TreatmentState, moduleId: string, now: number): TreatmentState {
  assertWritable(state);
  const m = findModule(state, moduleId);
  if (m.state === 'completed') return state;
  if (m.state === 'locked') throw illegal(`module "${moduleId}" is locked`);
  return bump(
    state,
    { modules: withModule(state, moduleId, (x) => ({ ...x, state: 'completed', completedAt: now })) },
    [{ key: `completed:${moduleId}`, type: 'module_completed', at: now, moduleId }],
  );
}

/** "Förläng svarstiden": a new deadline counted from now; a closed module opens again. */
export function setWorkDays(state: TreatmentState, moduleId: string, workDays: number, now: number): TreatmentState {
  assertWritable(state);
  const m = findModule(state, moduleId);
  if (m.state === 'locked') throw illegal(`module "${moduleId}" is locked; open it first`);
  if (m.state === 'completed') throw illegal(`module "${moduleId}" is already completed`);
  if (!Number.isInteger(workDays) || workDays < 1 || workDays > 365) throw illegal('workDays must be 1–365');
  const deadline = addDays(now, workDays);
  return bump(
    state,
    { modules: withModule(state, moduleId, (x) => ({ ...x, state: 'open', deadline })) },
    [{ key: `deadline:${moduleId}:${now}`, type: 'module_deadline_changed', at: now, moduleId, data: { deadline, workDays, reopened: m.state === 'closed' } }],
  );
}

/** Adds module_finished when a change has just turned a module green. */
function finishedEvents(before: TreatmentState, after: TreatmentState, plan: TreatmentPlan, moduleId: string, now: number): NewEvent[] {
  const was = moduleProgress(findModule(before, moduleId), plan);
  const is = moduleProgress(findModule(after, moduleId), plan);
  return was !== 'finished' && is === 'finished'
    ? [{ key: `finished:${moduleId}`, type: 'module_finished', at: now, moduleId, flag: 'module_finished' }]
    : [];
}

/** The patient read part of a section, or all of it. Progress never goes back from finished. */
export function recordSectionProgress(
  state: TreatmentState, plan: TreatmentPlan, moduleId: string, sectionId: string, progress: SectionProgress, now: number,
): TreatmentState {
  assertPatientWritable(state);
  const m = findModule(state, moduleId);
  if (m.state === 'locked') throw illegal(`module "${moduleId}" is locked`);
  if (!planModule(plan, moduleId).sectionIds.includes(sectionId)) {
    throw new TransitionError(FAILURE_TYPES.unknownSection, `no section "${sectionId}" in module "${moduleId}"`);
  }
  const before = m.sections[sectionId];
  const after: SectionProgress = before === 'finished' ? 'finished' : progress;
  if (before === after) return bump(state, { lastActiveAt: now });
  const next = bump(state, {
    lastActiveAt: now,
    modules: withModule(state, moduleId, (x) => ({ ...x, sections: { ...x.sections, [sectionId]: after } })),
  });
  return withEvents(next, finishedEvents(state, next, plan, moduleId, now));
}

export interface FormSubmission { submissionId: string; moduleId: string; formId: string; quitDate?: string; tobaccoStatus?: string }

/** The patient sent a form; the answers stay in MongoDB, the workflow learns the id (and the quit date). */
export function submitForm(state: TreatmentState, plan: TreatmentPlan, sub: FormSubmission, now: number): TreatmentState {
  assertPatientWritable(state);
  const m = findModule(state, sub.moduleId);
  if (m.state !== 'open') throw illegal(`module "${sub.moduleId}" is ${m.state}`);
  if (!planModule(plan, sub.moduleId).formIds.includes(sub.formId)) {
    throw new TransitionError(FAILURE_TYPES.unknownForm, `no form "${sub.formId}" in module "${sub.moduleId}"`);
  }
  if (state.pendingEvents.some((e) => e.key === `form:${sub.submissionId}`)) return state;
  const followUpIndex = state.followUps.findIndex((f) => f.moduleId === sub.moduleId);
  const answersFollowUp = followUpIndex >= 0 && sub.tobaccoStatus !== undefined && state.followUps[followUpIndex]!.answeredAt === null;
  const next = bump(state, {
    lastActiveAt: now,
    quitDate: sub.quitDate ?? state.quitDate,
    ...(answersFollowUp ? {
      followUps: state.followUps.map((f, i) => (i === followUpIndex ? { ...f, answeredAt: now, tobaccoStatus: sub.tobaccoStatus! } : f)),
    } : {}),
    modules: withModule(state, sub.moduleId, (x) => ({
      ...x, submittedForms: x.submittedForms.includes(sub.formId) ? x.submittedForms : [...x.submittedForms, sub.formId],
    })),
  }, [{
    key: `form:${sub.submissionId}`, type: 'form_submitted', at: now, moduleId: sub.moduleId, ref: sub.submissionId,
    flag: 'form_submitted', data: { formId: sub.formId, ...(sub.quitDate ? { quitDate: sub.quitDate } : {}) },
  }, ...(answersFollowUp ? [{
    key: `followup:${followUpIndex}:answered`, type: 'followup_answered' as const, at: now, moduleId: sub.moduleId, data: { index: followUpIndex },
  }] : [])]);
  return withEvents(next, finishedEvents(state, next, plan, sub.moduleId, now));
}

export interface MessagePosted { conversationId: string; messageId: string; author: 'clinician' | 'patient'; notify: boolean }

/** A message was stored in MongoDB: the clinician's may notify the patient, the patient's flags the clinician. */
export function postMessage(state: TreatmentState, msg: MessagePosted, now: number): TreatmentState {
  if (msg.author === 'patient') assertPatientWritable(state);
  else assertWritable(state);
  const event: NewEvent = msg.author === 'patient'
    ? { key: `message:${msg.messageId}`, type: 'message_received', at: now, ref: msg.conversationId, flag: 'message_received', data: { messageId: msg.messageId } }
    : {
      key: `message:${msg.messageId}`, type: 'message_sent', at: now, ref: msg.conversationId, data: { messageId: msg.messageId, notify: msg.notify },
      ...(msg.notify ? { notifyPatient: 'new_message' as const } : {}),
    };
  return bump(state, msg.author === 'patient' ? { lastActiveAt: now } : {}, [event]);
}

/** Any patient request: the quiet-period clock starts again. */
export function patientActive(state: TreatmentState, at: number): TreatmentState {
  if (state.status !== 'active' || (state.lastActiveAt ?? 0) >= at) return state;
  return bump(state, { lastActiveAt: at });
}

/** "Byte av behandlare": flags and e-mails from now on go to the new clinician. */
export function changeClinician(state: TreatmentState, clinicianId: string, now: number): TreatmentState {
  assertWritable(state);
  if (state.clinicianId === clinicianId) return state;
  const from = state.clinicianId;
  return withEvents(
    bump(state, { clinicianId }),
    [{ key: `clinician:${now}:${clinicianId}`, type: 'clinician_changed', at: now, data: { from, to: clinicianId } }],
  );
}

/** "Avsluta": with maintenance (Vidmakthåll) the patient may read until maintenanceUntil. */
export function endTreatment(
  state: TreatmentState, plan: TreatmentPlan, reason: string, maintenance: boolean, now: number,
): TreatmentState {
  assertWritable(state);
  if (!plan.endReasonIds.includes(reason)) throw illegal(`"${reason}" is not an end reason of this program`);
  const maintenanceUntil = maintenance ? addIsoDuration(now, plan.durations.maintenance) : null;
  return bump(state, {
    status: maintenance ? 'maintenance' : 'ended',
    endedAt: now,
    endReason: reason,
    maintenanceUntil,
  }, [{ key: 'ended', type: 'treatment_ended', at: now, data: { reason, maintenance, maintenanceUntil } }]);
}

/** "Gallra invånare": only an ended treatment can be purged; the workflow then archives and purges. */
export function requestPurge(state: TreatmentState, now: number): TreatmentState {
  if (state.status !== 'ended' && state.status !== 'maintenance') throw illegal(`the treatment is ${state.status}; end it before purging`);
  if (state.purgeRequested) return state;
  return bump(state, { purgeRequested: true }, [{ key: 'purge-requested', type: 'purge_requested', at: now }]);
}

/** Gallring done: the record is archived and the personal data gone; only anonymous facts remain. */
export function markPurged(state: TreatmentState): TreatmentState {
  return { ...state, status: 'purged', pendingEvents: [], activityPlans: [], version: state.version + 1 };
}

/** An activity plan runs as a child workflow; the treatment keeps track so that its end stops it. */
export function addActivityPlan(state: TreatmentState, planId: string, now: number): TreatmentState {
  assertWritable(state);
  if (state.activityPlans.includes(planId)) return state;
  return bump(state, { activityPlans: [...(state.activityPlans), planId] }, [{ key: `plan:${planId}:added`, type: 'activity_plan_added', at: now, ref: planId }]);
}

export function removeActivityPlan(state: TreatmentState, planId: string, now: number): TreatmentState {
  if (!state.activityPlans.includes(planId)) return state;
  return bump(state, { activityPlans: state.activityPlans.filter((p) => p !== planId) }, [{ key: `plan:${planId}:removed`, type: 'activity_plan_removed', at: now, ref: planId }]);
}

const isRunning = (s: TreatmentState) => s.status === 'active' || s.status === 'invited';

export function retentionAt(state: TreatmentState, plan: TreatmentPlan): number | null {
  if ((state.status !== 'ended' && state.status !== 'maintenance') || state.endedAt === null || state.purgeRequested) return null;
  return addIsoDuration(state.endedAt, plan.durations.retention);
}

/** Every instant at which a follow-up needs something: falling due, a reminder, escalation. */
function followUpTimes(state: TreatmentState, plan: TreatmentPlan): number[] {
  if (state.status !== 'active') return [];
  return state.followUps.flatMap((f, i) => {
    if (f.openedAt === null) {
      const due = dueAt(state, plan, i);
      return due === null ? [] : [due];
    }
    const deadline = state.modules.find((m) => m.id === f.moduleId)?.deadline ?? null;
    return [reminderAt(f, plan), escalationAt(f, plan, deadline)].filter((t): t is number => t !== null);
  });
}

const isFollowUpModule = (state: TreatmentState, moduleId: string) => state.followUps.some((f) => f.moduleId === moduleId);

function inactivityDueAt(state: TreatmentState, plan: TreatmentPlan): number | null {
  if (state.status !== 'active' || state.lastActiveAt === null || state.inactivityFlaggedFor === state.lastActiveAt) return null;
  return addIsoDuration(state.lastActiveAt, plan.durations.inactivityFlag);
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
  const retention = retentionAt(state, plan);
  if (retention !== null) candidates.push(retention);
  const inactive = inactivityDueAt(state, plan);
  if (inactive !== null) candidates.push(inactive);
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
  const inactive = inactivityDueAt(s, plan);
  if (inactive !== null && now >= inactive) {
    s = bump(s, { inactivityFlaggedFor: s.lastActiveAt }, [{
      key: `inactive:${s.lastActiveAt}`, type: 'patient_inactive', at: now, flag: 'patient_inactive', data: { lastActiveAt: s.lastActiveAt },
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
  s.followUps.forEach((_, i) => {
    const f = s.followUps[i]!;
    const setF = (change: Partial<typeof f>) => s.followUps.map((x, j) => (j === i ? { ...x, ...change } : x));
    const due = dueAt(s, plan, i);
    if (f.openedAt === null && due !== null && now >= due) {
      const m = s.modules.find((x) => x.id === f.moduleId)!;
      const escalation = plan.durations.followUpEscalation;
      const open = m.state === 'locked' || m.state === 'closed'
        ? { ...opened(plan, m, now), ...(escalation ? { deadline: addIsoDuration(now, escalation) } : {}) }
        : m;
      s = bump(s, { followUps: setF({ openedAt: now }), modules: withModule(s, f.moduleId, () => open), currentModuleId: f.moduleId }, [{
        key: `followup:${i}:due`, type: 'followup_due', at: now, moduleId: f.moduleId, notifyPatient: 'followup_due', data: { index: i, dueAt: due },
      }]);
      return;
    }
    const remind = reminderAt(f, plan);
    if (remind !== null && now >= remind) {
      s = bump(s, { followUps: setF({ remindedAt: now }) }, [{
        key: `followup:${i}:reminder`, type: 'followup_reminder', at: now, moduleId: f.moduleId, notifyPatient: 'followup_reminder', data: { index: i },
      }]);
    }
    const deadline = s.modules.find((x) => x.id === f.moduleId)?.deadline ?? null;
    const escalate = escalationAt(s.followUps[i]!, plan, deadline);
    if (escalate !== null && now >= escalate) {
      s = bump(s, { followUps: s.followUps.map((x, j) => (j === i ? { ...x, escalatedAt: now } : x)) }, [{
        key: `followup:${i}:unanswered`, type: 'followup_unanswered', at: now, moduleId: f.moduleId, flag: 'followup_unanswered', data: { index: i },
      }]);
    }
  });
  return s;
}

/** Green when every section is finished and every form sent; yellow when anything is begun. */
export function moduleProgress(m: ModuleState, plan: TreatmentPlan): ModuleProgress {
  const p = planModule(plan, m.id);
  const finishedSections = p.sectionIds.filter((s) => m.sections[s] === 'finished').length;
  const submitted = p.formIds.filter((f) => m.submittedForms.includes(f)).length;
  const anything = Object.keys(m.sections).length > 0 || m.submittedForms.length > 0;
  const total = p.sectionIds.length + p.formIds.length;
  if (total > 0 && finishedSections === p.sectionIds.length && submitted === p.formIds.length) return 'finished';
  return anything ? 'started' : 'none';
}

export function project(state: TreatmentState, plan: TreatmentPlan): TreatmentProjection {
  return {
    _id: state.treatmentId,
    programId: state.programId,
    careUnitId: state.careUnitId,
    clinicianId: state.clinicianId,
    status: state.status,
    startedAt: state.startedAt,
    activatedAt: state.activatedAt,
    lastActiveAt: state.lastActiveAt,
    endedAt: state.endedAt,
    endReason: state.endReason,
    maintenanceUntil: state.maintenanceUntil,
    quitDate: state.quitDate,
    currentModuleId: state.currentModuleId,
    modules: state.modules.map((m) => ({
      id: m.id,
      kind: planModule(plan, m.id).kind,
      state: m.state,
      progress: moduleProgress(m, plan),
      openedAt: m.openedAt,
      deadline: m.deadline,
      completedAt: m.completedAt,
    })),
    followUps: state.followUps.map((f, index) => ({
      index, moduleId: f.moduleId, dueAt: dueAt(state, plan, index), openedAt: f.openedAt, answeredAt: f.answeredAt, tobaccoStatus: f.tobaccoStatus,
    })),
    activityPlans: state.activityPlans,
    version: state.version,
  };
}
