// A nightly job run: one workflow per job and date, so that every replica's cron may tick and
// still only one run happens, and operations staff see each run in the Temporal UI.
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { NightlyJob } from '../domain/nightly-jobs';

const { statisticsSnapshot, readModelSweep, retentionSweep } = proxyActivities<Activities>({
  startToCloseTimeout: '30m',
  heartbeatTimeout: '2m',
  retry: { initialInterval: '10s', backoffCoefficient: 2, maximumInterval: '10m', maximumAttempts: 5 },
});

export async function nightlyJobWorkflow(job: NightlyJob, date: string): Promise<Record<string, number>> {
  switch (job) {
    case 'statistics-snapshot': return statisticsSnapshot(date);
    case 'read-model-sweep': return readModelSweep();
    case 'retention-sweep': return retentionSweep();
  }
}
