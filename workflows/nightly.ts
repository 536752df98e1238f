// A nightly job run: one workflow per job and date, so that every replica's cron may tick and
// still only one run happens, and operations staff see each run in the Temporal UI.
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';

export const NIGHTLY_JOBS = ['statistics-snapshot', 'read-model-sweep', 'retention-sweep'] as const;
export type NightlyJob = (typeof NIGHTLY_JOBS)[number];
export const NIGHTLY_WORKFLOW = 'nightlyJobWorkflow';
export const nightlyWorkflowId = (job: NightlyJob, date: string) => `nightly-${job}-${date}`;

const { runNightlyJob } = proxyActivities<Activities>({
  startToCloseTimeout: '30m',
  heartbeatTimeout: '2m',
  retry: { initialInterval: '10s', backoffCoefficient: 2, maximumInterval: '10m', maximumAttempts: 5 },
});

export async function nightlyJobWorkflow(job: NightlyJob, date: string): Promise<Record<string, number>> {
  return runNightlyJob(job, date);
}
