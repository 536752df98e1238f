// Today's workflow code: where it lives, and one bundle of it (webpack, seconds of CPU), for the
// worker, `npm test`'s one bundle per run (scripts/bundle-workflows.ts) and the tests' replays.
import path from 'node:path';
import { bundleWorkflowCode, DefaultLogger, type WorkflowBundle } from '@temporalio/worker';

export const WORKFLOWS_PATH = path.join(__dirname, '..', 'workflows', 'index.ts');

export function bundleTodaysWorkflows(): Promise<WorkflowBundle> {
  return bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: new DefaultLogger('ERROR') });
}
