// Baseline workflows for the benchmark: the cheapest Temporal can do, on the same server.
import { condition, defineSignal, defineUpdate, setHandler } from '@temporalio/workflow';

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
