// The treatment's state and the helpers every rule uses: creating it, appending domain events,
// bumping the version, finding modules. Pure.
import { durationAdder } from './durations';
import { initialFollowUps } from './follow-ups';
import {
  FAILURE_TYPES, type DomainEvent, type ModuleState, type TreatmentInput, type TreatmentPlan, type TreatmentState, type TreatmentStatus,
} from './types';

export class TransitionError extends Error {
  constructor(readonly type: (typeof FAILURE_TYPES)[keyof typeof FAILURE_TYPES], message: string) {
    super(message);
    this.name = 'TransitionError';
  }
}

export const illegal = (message: string) => new TransitionError(FAILURE_TYPES.illegalTransition, message);

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

export type NewEvent = Omit<DomainEvent, 'clinicianId'>;

export function withEvents(state: TreatmentState, events: NewEvent[]): TreatmentState {
  if (events.length === 0) return state;
  return { ...state, pendingEvents: [...state.pendingEvents, ...events.map((e) => ({ ...e, clinicianId: state.clinicianId }))] };
}

/** The workflow calls this once the events are recorded. */
export function eventsRecorded(state: TreatmentState, keys: string[]): TreatmentState {
  const done = new Set(keys);
  return { ...state, pendingEvents: state.pendingEvents.filter((e) => !done.has(e.key)) };
}

/** Clinician work is possible before the patient's first login and while the treatment runs. */
export function assertWritable(state: TreatmentState): void {
  if (state.status !== 'invited' && state.status !== 'active') {
    throw illegal(`the treatment is ${state.status}`);
  }
}

/** Patient writes need an active treatment; in Vidmakthåll the patient may only read. Null: allowed. */
export function patientWriteRefusal(status: TreatmentStatus): string | null {
  if (status === 'active') return null;
  return status === 'maintenance' ? 'the treatment is read-only' : `the treatment is ${status}`;
}

export function assertPatientWritable(state: TreatmentState): void {
  const refusal = patientWriteRefusal(state.status);
  if (refusal) throw illegal(refusal);
}

export function findModule(state: TreatmentState, moduleId: string): ModuleState {
  const m = state.modules.find((x) => x.id === moduleId);
  if (!m) throw new TransitionError(FAILURE_TYPES.unknownModule, `no module "${moduleId}" in this program`);
  return m;
}

export function planModule(plan: TreatmentPlan, moduleId: string) {
  const m = plan.modules.find((x) => x.id === moduleId);
  if (!m) throw new TransitionError(FAILURE_TYPES.unknownModule, `no module "${moduleId}" in this program`);
  return m;
}

export function withModule(state: TreatmentState, moduleId: string, change: (m: ModuleState) => ModuleState): ModuleState[] {
  return state.modules.map((m) => (m.id === moduleId ? change(m) : m));
}

export function bump(state: TreatmentState, next: Partial<TreatmentState>, events: NewEvent[] = []): TreatmentState {
  return withEvents({ ...state, ...next, version: state.version + 1 }, events);
}

export function opened(plan: TreatmentPlan, m: ModuleState, now: number): ModuleState {
  const p = planModule(plan, m.id);
  if (p.noWorkTime) return { ...m, state: 'open', openedAt: now, deadline: null };
  return { ...m, state: 'open', openedAt: now, deadline: durationAdder(plan.calendar)(now, p.workDuration ?? plan.durations.moduleWork) };
}

export const moduleOpenedEvent = (m: ModuleState, now: number): NewEvent =>
  ({ key: `opened:${m.id}:${now}`, type: 'module_opened', at: now, moduleId: m.id, data: { deadline: m.deadline } });
