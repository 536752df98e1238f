// One patient's treatment, alive from invitation to gallring. The state machine lives in
// transitions.ts; this file wires it to updates, the clock and activities.
import {
  ApplicationFailure, CancellationScope, condition, sleep, continueAsNew, getExternalWorkflowHandle, ParentClosePolicy, patched, proxyActivities,
  proxyLocalActivities, setHandler, startChild, upsertSearchAttributes, workflowInfo, allHandlersFinished,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { activityPlanWorkflow, planWorkflowIdFor, stopPlanSignal } from './activity-plan';
import type { Activities } from '../activities';
import {
  activateUpdate, addActivityPlanUpdate, changeClinicianUpdate, completeModuleUpdate, endTreatmentUpdate, openModuleUpdate,
  patientActiveSignal, postMessageUpdate, purgeUpdate, resyncSignal, removeActivityPlanUpdate, sectionProgressUpdate, setCurrentModuleUpdate,
  setWorkDaysUpdate, stateQuery, submitFormUpdate, type NewActivityPlan,
} from './definitions';
import {
  activate, addActivityPlan, changeClinician, completeModule, endTreatment, eventsRecorded, initialState, markPurged,
  nextWakeAt, openModule, patientActive, postMessage, project, recordSectionProgress, removeActivityPlan, requestPurge,
  setCurrentModule, setWorkDays, submitForm, tick, TransitionError,
} from '../domain/transitions';
import { initialFollowUps } from '../domain/follow-ups';
import { searchAttributesOf } from './search-attributes';
import type { TreatmentInput, TreatmentState } from '../domain/types';

// Read-model writes are short, idempotent MongoDB upserts: local activities keep them off the
// task queue round trip, and retry until MongoDB answers again.
// Retries at most 5 s apart: a clinician waits on this write, so once MongoDB answers again the
// command goes through within seconds (the backoff stays under the local retry threshold, so no
// timer enters the history either way).
const { projectTreatment } = proxyLocalActivities<Activities>({
  startToCloseTimeout: '10s',
  retry: { initialInterval: '200ms', backoffCoefficient: 2, maximumInterval: '5s' },
});
const { recordEvent, archiveTreatment, purgeTreatment } = proxyActivities<Activities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '1m' },
});
// A delivery gives up by itself after NOTIFICATION_MAX_ATTEMPTS and marks the notification failed.
const { deliverNotification } = proxyActivities<Activities>({
  startToCloseTimeout: '45s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '5m' },
});

/** Versions of this workflow's behaviour that running treatments may replay. */
export const PATCHES = {
  // Timeline, flags and notifications; module deadlines and inactivity as timers.
  clinicalWork: 'clinical-work-v2',
  // Follow-ups, activity plans, retention and gallring.
  longArc: 'long-arc-v3',
  // TreatmentStatus, CareUnit, CurrentModule, ProgramId kept current for the Temporal UI.
  searchAttributes: 'search-attributes-v4',
  // Fewer writes and history events: a start by the API writes neither the read model nor the
  // search attributes again, and the timer is replaced only when the time it waits for moves.
  // (Events stay with their own activity: a local activity's work is redone when its workflow
  // task fails, with another clock, which would record an event twice.)
  fastPath: 'fast-path-v5',
} as const;

function asFailure(err: unknown): never {
  if (err instanceof TransitionError) throw ApplicationFailure.create({ type: err.type, message: err.message, nonRetryable: true });
  throw err;
}

export async function treatmentWorkflow(input: TreatmentInput): Promise<void> {
  const { plan } = input;
  let state: TreatmentState = input.state ?? initialState(input);
  let changed = false;
  // Treatments started before clinical work existed replay without its events and timers.
  const clinicalWork = patched(PATCHES.clinicalWork);
  if (!clinicalWork) state = { ...state, pendingEvents: [] };
  const longArc = clinicalWork && patched(PATCHES.longArc);
  if (longArc && !state.followUps) state = { ...state, followUps: initialFollowUps(plan), activityPlans: [], purgeRequested: false };
  const features = { longArc };
  const searchAttributes = longArc && patched(PATCHES.searchAttributes);
  const shownOf = (pairs: ReturnType<typeof searchAttributesOf>) => JSON.stringify(pairs.map((p) => p.value));
  const fastPath = searchAttributes && patched(PATCHES.fastPath);
  const leanStart = fastPath && !input.state && input.readModelWritten === true;
  let shownAttributes = leanStart ? shownOf(searchAttributesOf(state)) : '';
  /** Upserts the search attributes when what they show has changed. */
  const showState = () => {
    if (!searchAttributes) return;
    const pairs = searchAttributesOf(state);
    const shown = shownOf(pairs);
    if (shown === shownAttributes) return;
    shownAttributes = shown;
    upsertSearchAttributes(pairs);
  };
  showState();

  // Read-model writes go one at a time, each with the state as it is when it runs: the version
  // guard then only ever sees increasing versions, even on a store whose conditional update is not
  // atomic (FerretDB on SQLite reads, then writes).
  let lastSync: Promise<void> = Promise.resolve();
  const sync = (): Promise<void> => {
    const run = lastSync.then(() => projectTreatment(project(state, plan), input.openSlotKey));
    lastSync = run.catch(() => undefined);
    return run;
  };

  // Notifications go out side by side; each one is tracked so continue-as-new waits for them.
  const deliveries = new Set<string>();
  const deliver = (id: string) => {
    if (deliveries.has(id)) return;
    deliveries.add(id);
    void deliverNotification(id).finally(() => deliveries.delete(id));
  };

  function apply(next: TreatmentState): boolean {
    if (next === state) return false;
    state = clinicalWork ? next : { ...next, pendingEvents: [] };
    changed = true;
    showState();
    return true;
  }

  /**
   * Registers a command: the validator runs the transition on the current state and throws to
   * reject (the API answers 4xx at once); the handler applies it and returns once the read model
   * shows it, so a client that reads right after its command sees its own change.
   */
  function command<Args extends unknown[]>(
    def: Parameters<typeof setHandler>[0] & { name: string },
    transition: (s: TreatmentState, now: number, ...args: Args) => TreatmentState,
    /** Effects of an accepted command beyond the state (starting or stopping a child workflow). */
    effect?: (...args: Args) => Promise<void>,
  ) {
    setHandler(
      def as never,
      (async (...args: Args) => {
        let next: TreatmentState;
        try {
          next = transition(state, Date.now(), ...args);
        } catch (err) {
          asFailure(err);
        }
        const didChange = apply(next);
        if (effect) await effect(...args);
        if (didChange) await sync();
        return state;
      }) as never,
      {
        validator: ((...args: Args) => {
          try {
            transition(state, Date.now(), ...args);
          } catch (err) {
            asFailure(err);
          }
        }) as never,
      },
    );
  }

  setHandler(stateQuery, () => state);
  if (longArc) setHandler(resyncSignal, () => { void sync(); });
  command(activateUpdate, (s, now) => activate(s, plan, now));
  command(openModuleUpdate, (s, now, moduleId: string) => openModule(s, plan, moduleId, now));
  command(setCurrentModuleUpdate, (s, now, moduleId: string) => setCurrentModule(s, plan, moduleId, now));
  command(completeModuleUpdate, (s, now, moduleId: string) => completeModule(s, moduleId, now));
  command(sectionProgressUpdate, (s, now, moduleId: string, sectionId: string, progress: 'started' | 'finished') =>
    recordSectionProgress(s, plan, moduleId, sectionId, progress, now));
  command(endTreatmentUpdate, (s, now, reason: string, maintenance: boolean) => endTreatment(s, plan, reason, maintenance, now));
  if (clinicalWork) {
    command(setWorkDaysUpdate, (s, now, moduleId: string, workDays: number) => setWorkDays(s, moduleId, workDays, now));
    command(submitFormUpdate, (s, now, submission: Parameters<typeof submitForm>[2]) => submitForm(s, plan, submission, now));
    command(postMessageUpdate, (s, now, message: Parameters<typeof postMessage>[1]) => postMessage(s, message, now));
    command(changeClinicianUpdate, (s, now, clinicianId: string) => changeClinician(s, clinicianId, now));
    if (longArc) {
      command(purgeUpdate, (s, now) => requestPurge(s, now));
      command(addActivityPlanUpdate, (s, now, p: NewActivityPlan) => addActivityPlan(s, p.planId, now), async (p: NewActivityPlan) => {
        try {
          await startChild(activityPlanWorkflow, {
            workflowId: planWorkflowIdFor(p.planId),
            args: [{ planId: p.planId, treatmentId: state.treatmentId, schedule: p.schedule, answerWindowDays: p.answerWindowDays, startAt: p.startAt }],
            // The plan outlives this run when the treatment continues as new; the treatment stops it itself.
            parentClosePolicy: ParentClosePolicy.ABANDON,
          });
        } catch (err) {
          if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
        }
      });
      command(removeActivityPlanUpdate, (s, now, planId: string) => removeActivityPlan(s, planId, now), (planId: string) => stopPlan(planId));
    }
    setHandler(patientActiveSignal, (at: number) => {
      if (apply(patientActive(state, Math.min(at, Date.now())))) void sync();
    });
  }

  /** Records pending events in order; each is idempotent, so a replay or retry writes nothing twice. */
  async function drainEvents() {
    while (state.pendingEvents.length > 0) {
      const event = state.pendingEvents[0]!;
      const toSend = await recordEvent(state.treatmentId, state.careUnitId, event);
      state = eventsRecorded(state, [event.key]);
      toSend.forEach(deliver);
    }
  }

  async function stopPlan(planId: string) {
    try {
      await getExternalWorkflowHandle(planWorkflowIdFor(planId)).signal(stopPlanSignal);
    } catch {
      // Already finished: nothing to stop.
    }
  }

  /** After the end nothing more is sent: every running plan stops. */
  async function stopAllPlans() {
    for (const planId of state.activityPlans ?? []) {
      await stopPlan(planId);
      apply(removeActivityPlan(state, planId, Date.now()));
    }
  }

  // Long-lived: before the history nears Temporal's limits, start over with the state carried along.
  const historyIsLong = () => workflowInfo().continueAsNewSuggested
    || (input.continueAsNewAfterEvents !== undefined && workflowInfo().historyLength > input.continueAsNewAfterEvents);

  if (!input.state && !leanStart) await sync();

  /** A timer that outlives the loop's turns: kept while the earliest thing due stays the same. */
  interface Timer { at: number; fired: boolean; cancel(): void }
  let timer: Timer | null = null;
  function startTimer(at: number): Timer {
    const scope = new CancellationScope();
    const t: Timer = { at, fired: false, cancel: () => scope.cancel() };
    scope.run(() => sleep(Math.max(1, at - Date.now()))).then(() => { t.fired = true; }, () => undefined);
    return t;
  }

  // One timer at a time, always for the earliest thing due; a command that moves that time replaces
  // the timer (before fast-path-v5: every turn did), so a moved deadline never fires twice.
  for (;;) {
    if (clinicalWork) await drainEvents();
    if (longArc && state.status !== 'active' && state.status !== 'invited' && (state.activityPlans ?? []).length > 0) {
      await stopAllPlans();
      await drainEvents();
      await sync();
    }
    if (longArc && state.purgeRequested) {
      // Gallring: archive first, then remove; both are idempotent, so a crash in between resumes here.
      await archiveTreatment(state.treatmentId);
      await purgeTreatment(state.treatmentId);
      state = markPurged(state);
      showState();
      await sync();
      await condition(allHandlersFinished);
      return;
    }
    const wakeAt = clinicalWork ? nextWakeAt(state, plan, features) : legacyWakeAt(state);
    changed = false;
    if (wakeAt === null || wakeAt > Date.now()) {
      const wake = () => changed || state.pendingEvents.length > 0 || historyIsLong();
      if (fastPath) {
        if (!timer || timer.at !== wakeAt || timer.fired) {
          timer?.cancel();
          timer = wakeAt === null ? null : startTimer(wakeAt);
        }
        await condition(() => wake() || timer?.fired === true);
      } else if (wakeAt === null) await condition(wake);
      else await condition(wake, wakeAt - Date.now());
    }
    if (apply(clinicalWork ? tick(state, plan, Date.now(), features) : legacyTick(state, Date.now()))) await sync();
    if (historyIsLong()) {
      await condition(() => allHandlersFinished() && deliveries.size === 0);
      if (clinicalWork) await drainEvents();
      await continueAsNew<typeof treatmentWorkflow>({ ...input, state });
    }
  }
}

// Version 1 (before clinical-work-v2) only woke for the end of Vidmakthåll.
function legacyWakeAt(state: TreatmentState): number | null {
  return state.status === 'maintenance' ? state.maintenanceUntil : null;
}
function legacyTick(state: TreatmentState, now: number): TreatmentState {
  if (state.status === 'maintenance' && state.maintenanceUntil !== null && now >= state.maintenanceUntil) {
    return { ...state, status: 'ended', version: state.version + 1 };
  }
  return state;
}
