// Aktivitetsplan: one child workflow per plan. Each occasion falls due at its local clock time,
// is put before the patient and announced; DELETE (or the end of the treatment) stops the rest.
// From release 1.2 (PLAN_PATCHES) an occasion whose answer window closes unanswered is marked
// missed and flags the clinician, and the clinician can edit the schedule and answer window of the
// occasions still to come. A plan that started on older code keeps the old loop to its end.
import {
  ApplicationFailure, condition, continueAsNew, defineQuery, defineSignal, patched, proxyActivities, setHandler, workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { addDays, addIsoDurationByOffsets } from '../domain/durations';
import { occasions, occasionsBefore12, type Schedule } from '../domain/schedule';
import { FAILURE_TYPES } from '../domain/types';
import { editPlanUpdate, type PlanEdit } from './definitions';

export { planWorkflowIdFor } from './definitions';
export const ACTIVITY_PLAN_WORKFLOW = 'activityPlanWorkflow';
export const stopPlanSignal = defineSignal('stop');
export const planProgressQuery = defineQuery<{ nextIndex: number; total: number; stopped: boolean; runs: number; nextDueAt?: number | null }>('progress');

/** Versions of this workflow's behaviour that running plans may replay (docs/versioning.md). */
export const PLAN_PATCHES = {
  // Release 1.2: missed occasions are marked and flagged when their answer window closes; the plan
  // can be edited (future occasions only); the plan completes once its last answer window has closed.
  missedAndEdit: 'activity-plan-missed-and-edit-1.2',
  // Release 1.4: an occasion's answer window is counted in Swedish calendar days by UTC offsets
  // (domain/durations.ts): inside the sandbox `addDays` (TZDate) adds 24-hour days, so a window
  // across the October or March change closed an hour early or late.
  answerWindowByOffsets: 'activity-plan-answer-window-offsets-1.4',
} as const;

/**
 * When an occasion's answer window closes: `days` Swedish calendar days after it fell due, at the
 * same wall-clock time (by offsets), or, for runs begun before release 1.4, as they counted.
 */
export function answerByOf(byOffsets: boolean, dueAt: number, days: number): number {
  return byOffsets ? addIsoDurationByOffsets(dueAt, `P${days}D`) : addDays(dueAt, days);
}

export interface ActivityPlanInput {
  planId: string;
  treatmentId: string;
  schedule: Schedule;
  answerWindowDays: number;
  /** The plan's start (its start date, or the moment it was added): `weeks` count from this day. */
  startAt: number;
  /** Where a continued run picks up. */
  nextIndex?: number;
  runs?: number;
  /** Continue as new after this many occasions; Temporal's own suggestion applies regardless. */
  occasionsPerRun?: number;
  /** Release 1.2, after an edit: the schedule's occasions after `at` are numbered from `index`. */
  from?: { index: number; at: number };
  /** Release 1.2: opened occasions whose answer window is still open, carried over a continue-as-new. */
  open?: Array<{ index: number; answerBy: number }>;
}

const { openOccasion, deliverNotification, finishActivityPlan, recordMissedOccasion } = proxyActivities<Activities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '5m' },
});

export async function activityPlanWorkflow(input: ActivityPlanInput): Promise<'completed' | 'stopped'> {
  // Decided once per run, at its start: a run that began on older code keeps its loop to its end.
  if (!patched(PLAN_PATCHES.missedAndEdit)) return plannedOccasionsOnly(input);
  // Decided once per run too: a run that began before release 1.4 keeps its answer windows.
  const byOffsets = patched(PLAN_PATCHES.answerWindowByOffsets);
  let stopped = false;
  let edited = false;
  let { schedule, answerWindowDays } = input;
  let from = input.from ?? { index: 0, at: input.startAt };
  const list = () => occasions(schedule, input.startAt).filter((t) => t > from.at);
  let upcoming = list();
  const dueAtOf = (index: number): number | undefined => upcoming[index - from.index];
  let next = input.nextIndex ?? 0;
  const open = [...(input.open ?? [])];
  const runs = (input.runs ?? 0) + 1;
  const total = () => from.index + upcoming.length;
  setHandler(stopPlanSignal, () => { stopped = true; });
  setHandler(planProgressQuery, () => ({ nextIndex: next, total: total(), stopped, runs, nextDueAt: dueAtOf(next) ?? null }));
  setHandler(editPlanUpdate, (edit: PlanEdit) => {
    // Only the occasions still to come change: those already due keep their time and answer window.
    from = { index: next, at: Math.max(Date.now(), input.startAt) };
    schedule = edit.schedule;
    answerWindowDays = edit.answerWindowDays;
    upcoming = list();
    edited = true;
    return { nextDueAt: upcoming[0] ?? null, occasionsToCome: upcoming.length };
  }, {
    validator: (_edit: PlanEdit) => {
      if (stopped) throw ApplicationFailure.create({ type: FAILURE_TYPES.illegalTransition, message: 'the activity plan is stopped', nonRetryable: true });
    },
  });

  let inThisRun = 0;
  while (!stopped) {
    const dueAt = dueAtOf(next);
    if (dueAt === undefined && open.length === 0) break;
    const wakeAt = Math.min(dueAt ?? Infinity, ...open.map((o) => o.answerBy));
    if (wakeAt > Date.now()) {
      edited = false;
      await condition(() => stopped || edited, wakeAt - Date.now());
      continue;
    }
    // Answer windows that have closed: an occasion still unanswered is missed, and the clinician flagged.
    for (const o of open.filter((x) => x.answerBy <= Date.now())) {
      open.splice(open.indexOf(o), 1);
      const toSend = await recordMissedOccasion({ planId: input.planId, treatmentId: input.treatmentId, index: o.index, answerBy: o.answerBy });
      for (const id of toSend) await deliverNotification(id);
    }
    if (dueAt === undefined || dueAt > Date.now() || stopped) continue;
    const answerBy = answerByOf(byOffsets, dueAt, answerWindowDays);
    // The occasion is taken before anything is awaited: an edit that arrives while it is being
    // opened (its notices still on their way) changes only the occasions after it.
    const index = next;
    next += 1;
    open.push({ index, answerBy });
    const toSend = await openOccasion({ planId: input.planId, treatmentId: input.treatmentId, index, dueAt, answerBy });
    // An occasion opened after its answer window (the worker was down) is missed at once; no notice then.
    if (Date.now() < answerBy) for (const id of toSend) await deliverNotification(id);
    inThisRun += 1;
    if (next < total() && (workflowInfo().continueAsNewSuggested || (input.occasionsPerRun && inThisRun >= input.occasionsPerRun))) {
      await continueAsNew<typeof activityPlanWorkflow>({ ...input, schedule, answerWindowDays, from, nextIndex: next, runs, open });
    }
  }
  await finishActivityPlan(input.planId, stopped ? 'stopped' : 'completed');
  return stopped ? 'stopped' : 'completed';
}

/** The loop of releases 1.0 and 1.1, kept for plans that started on it: occasions only, no edits, no missed flags. */
async function plannedOccasionsOnly(input: ActivityPlanInput): Promise<'completed' | 'stopped'> {
  let stopped = false;
  const all = occasionsBefore12(input.schedule, input.startAt);
  let next = input.nextIndex ?? 0;
  const runs = (input.runs ?? 0) + 1;
  setHandler(stopPlanSignal, () => { stopped = true; });
  setHandler(planProgressQuery, () => ({ nextIndex: next, total: all.length, stopped, runs }));
  setHandler(editPlanUpdate, (_edit: PlanEdit) => ({ nextDueAt: null, occasionsToCome: 0 }), {
    validator: (_edit: PlanEdit) => {
      throw ApplicationFailure.create({
        type: FAILURE_TYPES.illegalTransition, nonRetryable: true,
        message: 'this activity plan was added before release 1.2 and cannot be edited; stop it and add a new one',
      });
    },
  });

  let inThisRun = 0;
  while (next < all.length && !stopped) {
    const dueAt = all[next]!;
    if (dueAt > Date.now() && (await condition(() => stopped, dueAt - Date.now()))) break;
    const answerBy = addDays(dueAt, input.answerWindowDays);
    const toSend = await openOccasion({ planId: input.planId, treatmentId: input.treatmentId, index: next, dueAt, answerBy });
    // An occasion opened after its answer window (the worker was down) shows as missed; no notice then.
    if (Date.now() < answerBy) for (const id of toSend) await deliverNotification(id);
    next += 1;
    inThisRun += 1;
    if (next < all.length && (workflowInfo().continueAsNewSuggested || (input.occasionsPerRun && inThisRun >= input.occasionsPerRun))) {
      await continueAsNew<typeof activityPlanWorkflow>({ ...input, nextIndex: next, runs });
    }
  }
  await finishActivityPlan(input.planId, stopped ? 'stopped' : 'completed');
  return stopped ? 'stopped' : 'completed';
}
