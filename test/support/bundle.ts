// Today's workflow code, bundled once per test process: a bundle is seconds of webpack on these
// cores, and replaying each history from `workflowsPath` would make one per history. `npm test`
// makes one for the whole run (WORKFLOW_BUNDLE), which every shard and the processes they start load.
import { readFile } from 'node:fs/promises';
import { Worker, type WorkflowBundle } from '@temporalio/worker';
import type { Config } from '../../infra/config';
import { dataConverter } from '../../infra/data-converter';
import { bundleTodaysWorkflows } from '../../worker/workflow-bundle';

let bundle: Promise<WorkflowBundle> | undefined;

/** WORKFLOW_BUNDLE's file where `npm test` made one for the whole run, else bundled here. */
export function todaysWorkflowBundle(): Promise<WorkflowBundle> {
  const made = process.env.WORKFLOW_BUNDLE;
  bundle ??= made ? readFile(made, 'utf8').then((code) => ({ code })) : bundleTodaysWorkflows();
  return bundle;
}

/** Replays a history against today's workflow code, with the system's data converter (its payload codec). */
export async function replayToday(config: Config, history: unknown, workflowId: string): Promise<void> {
  await Worker.runReplayHistory({ workflowBundle: await todaysWorkflowBundle(), dataConverter: dataConverter(config) }, history, workflowId);
}
