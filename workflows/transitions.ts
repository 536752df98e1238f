// The treatment's state machine as pure functions: (state, command, now) -> new state.
// The workflow wires these to updates and timers; the unit tests run them without any server.
import { addIsoDuration } from '../lib/durations';
import {
  FAILURE_TYPES, type ModuleProgress, type ModuleState, type SectionProgress, type TreatmentInput,
  type TreatmentPlan, type TreatmentProjection, type TreatmentState,
} from './types';

export class TransitionError extends Error {
  constructor(readonly type: (typeof FAILURE_TYPES)[keyof typeof FAILURE_TYPES], message: string) {
    super(message);
    this.name = 'TransitionError';
  }
}

const illegal = (message: string) => new TransitionError(FAILURE_TYPES.illegalTransition, message);

export function initialState(input: TreatmentInput): TreatmentState {
  return {
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
  };
}

/** Clinician work is possible before the patient's first login and while the treatment runs. */
function assertWritable(state: TreatmentState): void {
  if (state.status !== 'invited' && state.status !== 'active') {
    throw illegal(`the treatment is ${state.status}`);
  }
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

function bump(state: TreatmentState, next: Partial<TreatmentState>): TreatmentState {
  return { ...state, ...next, version: state.version + 1 };
}

function opened(plan: TreatmentPlan, m: ModuleState, now: number): ModuleState {
  const work = planModule(plan, m.id).workDuration ?? plan.durations.moduleWork;
  return { ...m, state: 'open', openedAt: now, deadline: addIsoDuration(now, work) };
}

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
  });
}

/** Opens a module: an individual module that fits the patient, or a coming step early. Opening an open module changes nothing. */
export function openModule(state: TreatmentState, plan: TreatmentPlan, moduleId: string, now: number): TreatmentState {
  assertWritable(state);
  const m = findModule(state, moduleId);
  if (m.state === 'open') return state;
  if (m.state === 'completed') throw illegal(`module "${moduleId}" is already completed`);
  if (m.state === 'closed') throw illegal(`module "${moduleId}" is closed; give more days to open it again`);
  return bump(state, { modules: withModule(state, moduleId, (x) => opened(plan, x, now)) });
}

/** "Sätt till aktuell": the module opens (if it was locked) and becomes the current one. */
export function setCurrentModule(state: TreatmentState, plan: TreatmentPlan, moduleId: string, now: number): TreatmentState {
  assertWritable(state);
  const m = findModule(state, moduleId);
  if (m.state === 'completed') throw illegal(`module "${moduleId}" is already completed`);
  if (state.currentModuleId === moduleId && m.state !== 'locked') return state;
  const modules = m.state === 'locked' ? withModule(state, moduleId, (x) => opened(plan, x, now)) : state.modules;
  return bump(state, { modules, currentModuleId: moduleId });
}

/** "Avklarad": only a module the patient has had can be completed. Completing twice changes nothing. */
export function completeModule(state: TreatmentState, moduleId: string, now: number): TreatmentState {
  assertWritable(state);
  const m = findModule(state, moduleId);
  if (m.state === 'completed') return state;
  if (m.state === 'locked') throw illegal(`module "${moduleId}" is locked`);
  return bump(state, { modules: withModule(state, moduleId, (x) => ({ ...x, state: 'completed', completedAt: now })) });
}

/** The patient read part of a section, or all of it. Progress never goes back from finished. */
export function recordSectionProgress(
  state: TreatmentState, plan: TreatmentPlan, moduleId: string, sectionId: string, progress: SectionProgress, now: number,
): TreatmentState {
  if (state.status !== 'active') throw illegal(state.status === 'maintenance' ? 'the treatment is read-only' : `the treatment is ${state.status}`);
  const m = findModule(state, moduleId);
  if (m.state === 'locked') throw illegal(`module "${moduleId}" is locked`);
  if (!planModule(plan, moduleId).sectionIds.includes(sectionId)) {
    throw new TransitionError(FAILURE_TYPES.unknownSection, `no section "${sectionId}" in module "${moduleId}"`);
  }
  const before = m.sections[sectionId];
  const after: SectionProgress = before === 'finished' ? 'finished' : progress;
  if (before === after) return bump(state, { lastActiveAt: now });
  return bump(state, {
    lastActiveAt: now,
    modules: withModule(state, moduleId, (x) => ({ ...x, sections: { ...x.sections, [sectionId]: after } })),
  });
}

/** "Avsluta": with maintenance (Vidmakthåll) the patient may read until maintenanceUntil. */
export function endTreatment(
  state: TreatmentState, plan: TreatmentPlan, reason: string, maintenance: boolean, now: number,
): TreatmentState {
  assertWritable(state);
  if (!plan.endReasonIds.includes(reason)) throw illegal(`"${reason}" is not an end reason of this program`);
  return bump(state, {
    status: maintenance ? 'maintenance' : 'ended',
    endedAt: now,
    endReason: reason,
    maintenanceUntil: maintenance ? addIsoDuration(now, plan.durations.maintenance) : null,
  });
}

/** The next instant at which time alone changes the state, or null when only a command can. */
export function nextWakeAt(state: TreatmentState): number | null {
  if (state.status === 'maintenance' && state.maintenanceUntil !== null) return state.maintenanceUntil;
  return null;
}

/** Applies whatever time has made due. */
export function tick(state: TreatmentState, now: number): TreatmentState {
  if (state.status === 'maintenance' && state.maintenanceUntil !== null && now >= state.maintenanceUntil) {
    return bump(state, { status: 'ended' });
  }
  return state;
}

/** Green when every section is finished and every form submitted; yellow when anything is begun. */
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
    version: state.version,
  };
}
