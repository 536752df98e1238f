// Today's workflow code, bundled once per test process: a bundle is seconds of webpack on these
// cores, and replaying each history from `workflowsPath` would make one per history. `npm test`
// makes one for the whole run (WORKFLOW_BUNDLE), which every shard and the processes they start load.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { bundleWorkflowCode, DefaultLogger, type WorkflowBundle } from '@temporalio/worker';

export const WORKFLOWS = path.join(__dirname, '..', '..', 'workflows', 'index.ts');

let bundle: Promise<WorkflowBundle> | undefined;

/** WORKFLOW_BUNDLE's file where `npm test` made one for the whole run, else bundled here. */
export function todaysWorkflowBundle(): Promise<WorkflowBundle> {
  const made = process.env.WORKFLOW_BUNDLE;
  bundle ??= made ? readFile(made, 'utf8').then((code) => ({ code })) : bundleWorkflowCode({ workflowsPath: WORKFLOWS, logger: new DefaultLogger('ERROR') });
  return bundle;
}
