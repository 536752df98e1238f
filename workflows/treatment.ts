// One patient's treatment, alive from invitation to gallring. The state machine lives in
// transitions.ts; this file wires it to updates, the clock and activities.
import {
  ApplicationFailure, condition, continueAsNew, proxyLocalActivities, setHandler, workflowInfo, allHandlersFinished,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import {
  activateUpdate, completeModuleUpdate, endTreatmentUpdate, openModuleUpdate, sectionProgressUpdate,
  setCurrentModuleUpdate, stateQuery,
} from './definitions';
import {
  activate, completeModule, endTreatment, initialState, nextWakeAt, openModule, project,
  recordSectionProgress, setCurrentModule, tick, TransitionError,
} from './transitions';
import type { TreatmentInput, TreatmentState } from './types';

// Read-model writes are short, idempotent MongoDB upserts: local activities keep them off the
// task queue round trip, and retry until MongoDB answers again.
const { projectTreatment } = proxyLocalActivities<Activities>({
  startToCloseTimeout: '10s',
  retry: { initialInterval: '200ms', backoffCoefficient: 2, maximumInterval: '30s' },
});

function asFailure(err: unknown): never {
  if (err instanceof TransitionError) throw ApplicationFailure.create({ type: err.type, message: err.message, nonRetryable: true });
  throw err;
}

export async function treatmentWorkflow(input: TreatmentInput): Promise<void> {
  const { plan } = input;
  let state: TreatmentState = input.state ?? initialState(input);
  let changed = false;

  // Read-model writes go one at a time, each with the state as it is when it runs: the version
  // guard then only ever sees increasing versions, even on a store whose conditional update is not
  // atomic (FerretDB on SQLite reads, then writes).
  let lastSync: Promise<void> = Promise.resolve();
  const sync = (): Promise<void> => {
    const run = lastSync.then(() => projectTreatment(project(state, plan), input.openSlotKey));
    lastSync = run.catch(() => undefined);
    return run;
  };

  /**
   * Registers a command: the validator runs the transition on the current state and throws to
   * reject (the API answers 4xx at once); the handler applies it and returns once the read model
   * shows it, so a client that reads right after its command sees its own change.
   */
  function command<Args extends unknown[]>(
    def: Parameters<typeof setHandler>[0] & { name: string },
    transition: (s: TreatmentState, now: number, ...args: Args) => TreatmentState,
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
        if (next !== state) {
          state = next;
          changed = true;
          await sync();
        }
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
  command(activateUpdate, (s, now) => activate(s, plan, now));
  command(openModuleUpdate, (s, now, moduleId: string) => openModule(s, plan, moduleId, now));
  command(setCurrentModuleUpdate, (s, now, moduleId: string) => setCurrentModule(s, plan, moduleId, now));
  command(completeModuleUpdate, (s, now, moduleId: string) => completeModule(s, moduleId, now));
  command(sectionProgressUpdate, (s, now, moduleId: string, sectionId: string, progress: 'started' | 'finished') =>
    recordSectionProgress(s, plan, moduleId, sectionId, progress, now));
  command(endTreatmentUpdate, (s, now, reason: string, maintenance: boolean) => endTreatment(s, plan, reason, maintenance, now));

  if (!input.state) await sync();

  // One timer at a time, always for the earliest thing due; any command re-plans it, so a moved
  // deadline replaces the old timer instead of firing twice.
  for (;;) {
    const wakeAt = nextWakeAt(state);
    changed = false;
    if (wakeAt === null || wakeAt > Date.now()) {
      const wake = () => changed || workflowInfo().continueAsNewSuggested;
      if (wakeAt === null) await condition(wake);
      else await condition(wake, wakeAt - Date.now());
    }
    const next = tick(state, Date.now());
    if (next !== state) {
      state = next;
      await sync();
    }
    if (workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof treatmentWorkflow>({ ...input, state });
    }
  }
}
