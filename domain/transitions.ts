// The treatment's state machine as pure functions: (state, command, now) -> new state.
// Each transition also appends the domain events it causes (timeline, flags, notifications) to
// state.pendingEvents; the workflow records them through activities. No I/O here, no clock.
// What time alone changes is in clock.ts; what the read model shows, in projection.ts.
import { durationAdder } from './durations';
import {
  assertPatientWritable, assertWritable, bump, withEvents, findModule, illegal, moduleOpenedEvent, opened, planModule, TransitionError, withModule,
  type NewEvent,
} from './state';
import { moduleProgress } from './projection';
import { FAILURE_TYPES, type SectionProgress, type TreatmentPlan, type TreatmentState } from './types';

export { eventsRecorded, initialState, patientWriteRefusal, TransitionError } from './state';

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
export function setWorkDays(state: TreatmentState, plan: TreatmentPlan, moduleId: string, workDays: number, now: number): TreatmentState {
  assertWritable(state);
  const m = findModule(state, moduleId);
  if (planModule(plan, moduleId).noWorkTime) throw illegal(`module "${moduleId}" is informational and has no work time`);
  if (m.state === 'locked') throw illegal(`module "${moduleId}" is locked; open it first`);
  if (m.state === 'completed') throw illegal(`module "${moduleId}" is already completed`);
  if (!Number.isInteger(workDays) || workDays < 1 || workDays > 365) throw illegal('workDays must be 1–365');
  const deadline = durationAdder(plan.calendar)(now, `P${workDays}D`);
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
  // At any time (SPEC), also after the end: only a purged treatment has no one responsible left.
  if (state.status === 'purged' || state.purgeRequested) throw illegal('the treatment is purged');
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
  const maintenanceUntil = maintenance ? durationAdder(plan.calendar)(now, plan.durations.maintenance) : null;
  return bump(state, {
    status: maintenance ? 'maintenance' : 'ended',
    endedAt: now,
    endReason: reason,
    maintenanceUntil,
  // The patient is told that the treatment has ended and until when it can be read; never the reason.
  }, [{ key: 'ended', type: 'treatment_ended', at: now, notifyPatient: 'treatment_ended', data: { reason, maintenance, maintenanceUntil } }]);
}

/**
 * Vidmakthåll ended early by the clinician (release 1.2): the patient's read access ends now, as
 * when its time runs out (the same `maintenance_ended` event, once), and gallring is allowed.
 */
export function endMaintenance(state: TreatmentState, now: number): TreatmentState {
  if (state.status !== 'maintenance') throw illegal(`the treatment is ${state.status}, not in Vidmakthåll`);
  return bump(state, { status: 'ended', maintenanceUntil: now }, [{
    key: 'maintenance-ended', type: 'maintenance_ended', at: now, data: { early: true, plannedUntil: state.maintenanceUntil },
  }]);
}

/**
 * "Gallra invånare": only an ended treatment can be purged; the workflow then archives and purges.
 * From release 1.1 a clinician cannot purge during Vidmakthåll (the patient may still read);
 * `duringMaintenance` keeps the 1.0 rule for treatments that replay it, and for retention.
 */
export function requestPurge(state: TreatmentState, now: number, opts: { duringMaintenance: boolean } = { duringMaintenance: true }): TreatmentState {
  if (state.status === 'maintenance' && !opts.duringMaintenance) {
    throw illegal(`the treatment is in Vidmakthåll until ${new Date(state.maintenanceUntil ?? now).toISOString()}; it can be purged once that has ended`);
  }
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
