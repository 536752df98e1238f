// The running treatment: its state, and the effects of changing it. Every change goes through
// apply(); the read model, the search attributes, the timeline and the notifications follow from
// the state, each written once and in order.
import { proxyActivities, proxyLocalActivities, setCurrentDetails, upsertSearchAttributes } from '@temporalio/workflow';
import { operationsDetails } from '../domain/summary';
import type { Activities } from '../activities';
import { eventsRecorded, initialState } from '../domain/transitions';
import { project } from '../domain/projection';
import type { TreatmentInput, TreatmentPlan, TreatmentProjection, TreatmentState } from '../domain/types';
import { searchAttributesOf } from './search-attributes';

// Read-model writes are short, idempotent MongoDB upserts: local activities keep them off the
// task queue round trip, and retry until MongoDB answers again, at most 5 s apart, so a command
// goes through within seconds of MongoDB answering again.
const { projectTreatment } = proxyLocalActivities<Activities>({
  startToCloseTimeout: '10s',
  retry: { initialInterval: '200ms', backoffCoefficient: 2, maximumInterval: '5s' },
});
// Events stay with an activity of their own: a local activity's work is redone, with another clock,
// when its workflow task fails, which would record an event twice.
const { recordEvent, recordEvents } = proxyActivities<Activities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '1m' },
});
// A delivery gives up by itself after NOTIFICATION_MAX_ATTEMPTS and marks the notification failed.
const { deliverNotification } = proxyActivities<Activities>({
  startToCloseTimeout: '45s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '5m' },
});

const shownOf = (state: TreatmentState) => JSON.stringify(searchAttributesOf(state).map((p) => p.value));

export class TreatmentRuntime {
  state: TreatmentState;
  /** Set by apply(); the main loop clears it each turn and wakes when it is set. */
  changed = false;
  /** Notifications being delivered; continue-as-new waits for them. */
  readonly deliveries = new Set<string>();
  private shown: string;
  private lastSync: Promise<unknown> = Promise.resolve();

  constructor(readonly plan: TreatmentPlan, private readonly openSlotKey: string, state: TreatmentState, opts: { shownAtStart: boolean }) {
    this.state = state;
    // A start by the API already set the search attributes: the first task upserts nothing.
    this.shown = opts.shownAtStart ? shownOf(state) : '';
    this.showState();
  }

  static of(input: TreatmentInput): TreatmentRuntime {
    return new TreatmentRuntime(input.plan, input.openSlotKey, input.state ?? initialState(input), { shownAtStart: !input.state && input.readModelWritten === true });
  }

  /** Makes `next` the state; false when it is the same state (a command that changes nothing). */
  apply(next: TreatmentState): boolean {
    if (next === this.state) return false;
    this.state = next;
    this.changed = true;
    this.showState();
    return true;
  }

  /** What the read model shows of the current state. */
  projection(): TreatmentProjection {
    return project(this.state, this.plan);
  }

  /**
   * Writes the read model. Writes go one at a time, each with the state as it is when it runs:
   * the version guard then only sees increasing versions, even on a store whose conditional
   * update is not atomic (FerretDB on SQLite reads, then writes).
   */
  sync(): Promise<void> {
    const run = this.lastSync.then(() => projectTreatment(this.projection(), this.openSlotKey));
    this.lastSync = run.catch(() => undefined);
    return run;
  }

  /**
   * Release 1.3 (`events-recorded-together-1.3`): the events pending at once go to one activity.
   * Decided once per run (workflows/treatment.ts); a run that began on older code records one by one.
   */
  eventsTogether = false;

  /** Records pending events in order; each is idempotent, so a replay or retry writes nothing twice. */
  async drainEvents(): Promise<void> {
    while (this.eventsTogether && this.state.pendingEvents.length > 0) {
      // Events that commands add while these are recorded stay pending for the next batch.
      const events = this.state.pendingEvents;
      const toSend = await recordEvents(this.state.treatmentId, this.state.careUnitId, events);
      this.state = eventsRecorded(this.state, events.map((e) => e.key));
      toSend.forEach((id) => this.deliver(id));
    }
    while (this.state.pendingEvents.length > 0) {
      const event = this.state.pendingEvents[0]!;
      const toSend = await recordEvent(this.state.treatmentId, this.state.careUnitId, event);
      this.state = eventsRecorded(this.state, [event.key]);
      toSend.forEach((id) => this.deliver(id));
    }
  }

  /** A notification the previous run had in flight (continue-as-new), taken over by this one. */
  resumeDelivery(id: string): void {
    this.deliver(id);
  }

  /**
   * Notifications go out side by side; each is tracked until it is delivered or has failed.
   * Deliberately not awaited: a command answers the clinician at once, not after an SMS gateway,
   * and the next tick must not wait for mail either. The activity records its own outcome in the
   * outbox (sent, or failed after its last attempt, never thrown), so nothing here could act on a
   * rejection; should one come anyway it is dropped here, visible in the outbox and the history.
   */
  private deliver(id: string): void {
    if (this.deliveries.has(id)) return;
    this.deliveries.add(id);
    void deliverNotification(id).catch(() => undefined).finally(() => this.deliveries.delete(id));
  }

  /** Upserts the search attributes when what they show has changed. */
  showState(): void {
    // The Temporal UI's "current details": status and current module, never personal data (it
    // stays readable there without decoding; domain/summary.ts). Workflow state, not a command.
    setCurrentDetails(operationsDetails(this.state));
    const shown = shownOf(this.state);
    if (shown === this.shown) return;
    this.shown = shown;
    upsertSearchAttributes(searchAttributesOf(this.state));
  }
}
