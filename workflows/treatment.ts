// One patient's treatment, alive from invitation to gallring. The rules live in domain/transitions;
// this file wires them to updates, the clock and activities (release 1.0: see docs/versioning.md).
import {
  allHandlersFinished, ApplicationFailure, condition, continueAsNew, getExternalWorkflowHandle, ParentClosePolicy, patched, proxyActivities,
  setHandler, startChild, workflowInfo,
} from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { activityPlanWorkflow, planWorkflowIdFor, stopPlanSignal } from './activity-plan';
import type { Activities } from '../activities';
import {
  activateUpdate, addActivityPlanUpdate, changeClinicianUpdate, completeModuleUpdate, endMaintenanceUpdate, endTreatmentUpdate, openModuleUpdate,
  patientActiveSignal, postMessageUpdate, purgeUpdate, resyncSignal, removeActivityPlanUpdate, sectionProgressUpdate, setCurrentModuleUpdate,
  setWorkDaysUpdate, stateQuery, submitFormUpdate, type NewActivityPlan,
} from './definitions';
import { activate, addActivityPlan, changeClinician, completeModule, endMaintenance, endTreatment, markPurged, openModule, patientActive, postMessage, recordSectionProgress, removeActivityPlan, requestPurge, setCurrentModule, setWorkDays, submitForm, TransitionError } from '../domain/transitions';
import { nextWakeAt, tick } from '../domain/clock';
import type { TreatmentInput, TreatmentProjection, TreatmentState } from '../domain/types';
import { TreatmentRuntime } from './treatment-runtime';
import { UpdatableTimer } from './updatable-timer';

const { archiveTreatment, purgeTreatment } = proxyActivities<Activities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '1m' },
});

/**
 * Versions of this workflow's behaviour that running treatments may replay. Empty at release 1.0;
 * every later change that running treatments could replay adds its patch id here (docs/versioning.md).
 */
export const PATCHES = {
  // Release 1.1: a clinician cannot purge during Vidmakthåll, and gallring waits for the notices
  // in flight (the end notice) before it shreds the key their results are encrypted with.
  // Runs that started on 1.0 code keep the 1.0 behaviour.
  purgeOnlyWhenEnded: 'purge-only-when-ended-1.1',
  // Release 1.2: continue-as-new no longer waits for notifications in flight (a slow gateway kept a
  // long history growing); the next run takes them over from the outbox (security #7).
  continueAsNewHandsOverDeliveries: 'continue-as-new-hands-over-deliveries-1.2',
  // Release 1.3: the events pending at once are recorded by one activity (recordEvents), not one
  // activity each: a year's history is smaller. Runs that started on older code keep one per event.
  eventsRecordedTogether: 'events-recorded-together-1.3',
} as const;

/** A rule of the domain said no: the update fails at once and the API answers 4xx. */
function rejected(err: unknown): never {
  if (err instanceof TransitionError) throw ApplicationFailure.create({ type: err.type, message: err.message, nonRetryable: true });
  throw err;
}

export async function treatmentWorkflow(input: TreatmentInput): Promise<void> {
  const { plan } = input;
  const rt = TreatmentRuntime.of(input);
  // Decided once per run, at its start: a run that began on 1.0 code keeps the 1.0 rule to its end.
  const purgeOnlyWhenEnded = patched(PATCHES.purgeOnlyWhenEnded);
  rt.eventsTogether = patched(PATCHES.eventsRecordedTogether);

  /**
   * Registers a command: the validator runs the transition on the current state and throws to
   * reject (the API answers 4xx at once, nothing enters the history); the handler applies it and
   * returns, once the read model shows it, the projection it wrote.
   */
  function command<Args extends unknown[]>(
    def: UpdateDefinition<TreatmentProjection, Args>,
    transition: (s: TreatmentState, now: number, ...args: Args) => TreatmentState,
    /** Effects of an accepted command beyond the state (starting or stopping a child workflow). */
    effect?: (...args: Args) => Promise<void>,
  ): void {
    const attempt = (...args: Args): TreatmentState => {
      try {
        return transition(rt.state, Date.now(), ...args);
      } catch (err) {
        rejected(err);
      }
    };
    setHandler(def, async (...args: Args) => {
      const changed = rt.apply(attempt(...args));
      if (effect) await effect(...args);
      if (changed) await rt.sync();
      return rt.projection();
    }, { validator: (...args: Args) => { attempt(...args); } });
  }

  setHandler(stateQuery, () => rt.state);
  // Signal handlers await the read model's write: a write that fails for good fails the workflow
  // task where it happened (and is retried), instead of surfacing as an unhandled rejection later.
  setHandler(resyncSignal, async () => { await rt.sync(); });
  setHandler(patientActiveSignal, async (at: number) => {
    if (rt.apply(patientActive(rt.state, Math.min(at, Date.now())))) await rt.sync();
  });
  command(activateUpdate, (s, now) => activate(s, plan, now));
  command(openModuleUpdate, (s, now, moduleId) => openModule(s, plan, moduleId, now));
  command(setCurrentModuleUpdate, (s, now, moduleId) => setCurrentModule(s, plan, moduleId, now));
  command(completeModuleUpdate, (s, now, moduleId) => completeModule(s, moduleId, now));
  command(sectionProgressUpdate, (s, now, moduleId, sectionId, progress) => recordSectionProgress(s, plan, moduleId, sectionId, progress, now));
  command(endTreatmentUpdate, (s, now, reason, maintenance) => endTreatment(s, plan, reason, maintenance, now));
  command(setWorkDaysUpdate, (s, now, moduleId, workDays) => setWorkDays(s, plan, moduleId, workDays, now));
  command(submitFormUpdate, (s, now, submission) => submitForm(s, plan, submission, now));
  command(postMessageUpdate, (s, now, message) => postMessage(s, message, now));
  command(changeClinicianUpdate, (s, now, clinicianId) => changeClinician(s, clinicianId, now));
  command(purgeUpdate, (s, now) => requestPurge(s, now, { duringMaintenance: !purgeOnlyWhenEnded }));
  // Release 1.2, no patch: a new update that no saved history holds; until a clinician sends it a run behaves as before.
  command(endMaintenanceUpdate, (s, now) => endMaintenance(s, now));
  command(addActivityPlanUpdate, (s, now, p) => addActivityPlan(s, p.planId, now), startPlan);
  command(removeActivityPlanUpdate, (s, now, planId) => removeActivityPlan(s, planId, now), stopPlan);

  async function startPlan(p: NewActivityPlan): Promise<void> {
    try {
      await startChild(activityPlanWorkflow, {
        workflowId: planWorkflowIdFor(p.planId),
        args: [{ planId: p.planId, treatmentId: rt.state.treatmentId, schedule: p.schedule, answerWindowDays: p.answerWindowDays, startAt: p.startAt }],
        // The plan outlives this run when the treatment continues as new; the treatment stops it itself.
        parentClosePolicy: ParentClosePolicy.ABANDON,
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  }

  async function stopPlan(planId: string): Promise<void> {
    try {
      await getExternalWorkflowHandle(planWorkflowIdFor(planId)).signal(stopPlanSignal);
    } catch {
      // Already finished: nothing to stop.
    }
  }

  /** After the end nothing more is sent: every running plan stops. */
  async function stopAllPlans(): Promise<void> {
    for (const planId of rt.state.activityPlans) {
      await stopPlan(planId);
      rt.apply(removeActivityPlan(rt.state, planId, Date.now()));
    }
  }

  // Long-lived: before the history nears Temporal's limits, start over with the state carried along.
  const historyIsLong = () => workflowInfo().continueAsNewSuggested
    || (input.continueAsNewAfterEvents !== undefined && workflowInfo().historyLength > input.continueAsNewAfterEvents);

  // A start by the API wrote the read model of the initial state already.
  if (!input.state && input.readModelWritten !== true) await rt.sync();
  // Notifications the previous run left in flight: delivered from the outbox (each once; its lease decides).
  for (const id of input.deliveriesInFlight ?? []) rt.resumeDelivery(id);

  // One timer at a time, always for the earliest thing due; a command that moves that time replaces
  // the timer, so a moved deadline never fires twice.
  const timer = new UpdatableTimer();
  for (;;) {
    await rt.drainEvents();
    const running = rt.state.status === 'active' || rt.state.status === 'invited';
    if (!running && rt.state.activityPlans.length > 0) {
      await stopAllPlans();
      await rt.drainEvents();
      await rt.sync();
    }
    if (rt.state.purgeRequested) {
      // Gallring: archive first, then remove; both are idempotent, so a crash in between resumes here.
      if (purgeOnlyWhenEnded) await condition(() => rt.deliveries.size === 0);
      await archiveTreatment(rt.state.treatmentId);
      await purgeTreatment(rt.state.treatmentId);
      rt.apply(markPurged(rt.state));
      await rt.sync();
      await condition(allHandlersFinished);
      return;
    }
    const wakeAt = nextWakeAt(rt.state, plan);
    rt.changed = false;
    if (wakeAt === null || wakeAt > Date.now()) {
      timer.set(wakeAt);
      await condition(() => rt.changed || rt.state.pendingEvents.length > 0 || historyIsLong() || timer.fired);
    }
    if (rt.apply(tick(rt.state, plan, Date.now()))) await rt.sync();
    if (historyIsLong()) {
      if (patched(PATCHES.continueAsNewHandsOverDeliveries)) {
        await condition(allHandlersFinished);
        await rt.drainEvents();
        await continueAsNew<typeof treatmentWorkflow>({ ...input, state: rt.state, deliveriesInFlight: [...rt.deliveries] });
      }
      await condition(() => allHandlersFinished() && rt.deliveries.size === 0);
      await rt.drainEvents();
      await continueAsNew<typeof treatmentWorkflow>({ ...input, state: rt.state });
    }
  }
}
