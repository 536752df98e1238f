// "Nothing more happens" without waiting for time to pass. A treatment changes only on a command,
// on a wake-up of its own (a deadline, a follow-up, a reminder: domain/clock.ts nextWakeAt), or by
// an activity or notice still in flight. So after a step, the suite waits until nothing is in
// flight (settled) and then asks when the workflow next wakes (nextWake): if that is later than
// anything the test expects, nothing more can happen in between, and the test needs no sleep.
import type { Client } from '@temporalio/client';
import { planOf } from '../../domain/program';
import { nextWakeAt } from '../../domain/clock';
import { loadPrograms } from '../../infra/programs';
import { NotificationModel } from '../../models/clinical';
import { stateQuery, workflowIdFor } from '../../workflows/definitions';
import { eventually } from './fixtures';

interface Settling { client: Client; config: { programOverrides?: string } }

/** Nothing in flight for a workflow: no workflow task and no activity pending, nor in its running children. */
async function workflowIdle(client: Client, workflowId: string): Promise<boolean> {
  const { raw } = await client.workflow.getHandle(workflowId).describe();
  if (raw.pendingWorkflowTask || raw.pendingActivities?.length) return false;
  for (const child of raw.pendingChildren ?? []) {
    if (child.workflowId && !(await workflowIdle(client, child.workflowId))) return false;
  }
  return true;
}

/**
 * Waits until the treatment has nothing in flight: its workflow and its plans idle, and (unless the
 * store is not this process's, `notices: false`) no notice of it waiting for delivery. Checked twice
 * in a row, so an activity that just finished and the workflow task it wakes are both seen through.
 */
export async function settled(h: Pick<Settling, 'client'>, treatmentId: string, timeoutMs = 20_000, opts: { notices?: boolean } = {}): Promise<void> {
  let quietChecks = 0;
  await eventually(async () => {
    const idle = await workflowIdle(h.client, workflowIdFor(treatmentId))
      && (opts.notices === false || (await NotificationModel.countDocuments({ treatmentId, status: { $in: ['pending', 'sending'] } })) === 0);
    quietChecks = idle ? quietChecks + 1 : 0;
    return quietChecks >= 2;
  }, timeoutMs);
}

/** When time alone next changes the treatment (null: only a command can), once it has settled. */
export async function nextWake(h: Settling, treatmentId: string): Promise<number | null> {
  await settled(h, treatmentId);
  const state = await h.client.workflow.getHandle(workflowIdFor(treatmentId)).query(stateQuery);
  const program = loadPrograms(h.config.programOverrides).get(state.programId);
  if (!program) throw new Error(`no program ${state.programId}`);
  return nextWakeAt(state, planOf(program));
}

/** Settled, and nothing due by time alone within `ms`: whatever the test checks now stays so that long. */
export async function quietFor(h: Settling, treatmentId: string, ms: number): Promise<void> {
  const next = await nextWake(h, treatmentId);
  if (next !== null && next < Date.now() + ms) {
    throw new Error(`the treatment wakes again in ${next - Date.now()} ms, within the ${ms} ms the test needs quiet`);
  }
}
