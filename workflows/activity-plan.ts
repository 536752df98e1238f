// Aktivitetsplan: one child workflow per plan. Each occasion falls due at its local clock time,
// is put before the patient and announced; DELETE (or the end of the treatment) stops the rest.
import { condition, continueAsNew, defineQuery, defineSignal, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { addDays } from '../domain/durations';
import { occasions, type Schedule } from '../domain/schedule';

export const ACTIVITY_PLAN_WORKFLOW = 'activityPlanWorkflow';
export const planWorkflowIdFor = (planId: string) => `activity-plan-${planId}`;
export const stopPlanSignal = defineSignal('stop');
export const planProgressQuery = defineQuery<{ nextIndex: number; total: number; stopped: boolean; runs: number }>('progress');

export interface ActivityPlanInput {
  planId: string;
  treatmentId: string;
  schedule: Schedule;
  answerWindowDays: number;
  startAt: number;
  /** Where a continued run picks up. */
  nextIndex?: number;
  runs?: number;
  /** Continue as new after this many occasions; Temporal's own suggestion applies regardless. */
  occasionsPerRun?: number;
}

const { openOccasion, deliverNotification, finishActivityPlan } = proxyActivities<Activities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '5m' },
});

export async function activityPlanWorkflow(input: ActivityPlanInput): Promise<'completed' | 'stopped'> {
  let stopped = false;
  const all = occasions(input.schedule, input.startAt);
  let next = input.nextIndex ?? 0;
  const runs = (input.runs ?? 0) + 1;
  setHandler(stopPlanSignal, () => { stopped = true; });
  setHandler(planProgressQuery, () => ({ nextIndex: next, total: all.length, stopped, runs }));

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
