// Baseline workflows for the benchmark: the cheapest Temporal can do, on the same server.
import { condition, defineSignal, defineUpdate, proxyLocalActivities, setHandler } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { TreatmentProjection } from '../domain/types';

export const pingSignal = defineSignal('ping');
export const echoUpdate = defineUpdate<number, [number]>('echo');
export const doneSignal = defineSignal('done');

export async function noopWorkflow(): Promise<void> {
  // nothing: start to completion is the cost measured
}

export async function waitingWorkflow(): Promise<number> {
  let pings = 0;
  let done = false;
  setHandler(pingSignal, () => { pings += 1; });
  setHandler(echoUpdate, (n: number) => n);
  setHandler(doneSignal, () => { done = true; });
  await condition(() => done);
  return pings;
}

// Diagnostic (bench/profile.ts): an update whose handler awaits the engine's read-model write as a
// local activity, as a command's does, on a document of the caller's choosing.
const { projectTreatment } = proxyLocalActivities<Activities>({ startToCloseTimeout: '10s' });
export const writeUpdate = defineUpdate<number, [TreatmentProjection]>('write');

export async function writingWorkflow(): Promise<void> {
  let done = false;
  setHandler(writeUpdate, async (p: TreatmentProjection) => { await projectTreatment(p, `slot-${p._id}`); return p.version; });
  setHandler(doneSignal, () => { done = true; });
  await condition(() => done);
}
