// Today's workflow code, bundled once per test process: a bundle is seconds of webpack on these
// cores, and replaying each history from `workflowsPath` would make one per history.
import path from 'node:path';
import { bundleWorkflowCode, DefaultLogger, type WorkflowBundle } from '@temporalio/worker';

export const WORKFLOWS = path.join(__dirname, '..', '..', 'workflows', 'index.ts');

let bundle: Promise<WorkflowBundle> | undefined;

export function todaysWorkflowBundle(): Promise<WorkflowBundle> {
  bundle ??= bundleWorkflowCode({ workflowsPath: WORKFLOWS, logger: new DefaultLogger('ERROR') });
  return bundle;
}
