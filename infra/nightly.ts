// node-cron ticks in every worker replica; Temporal's workflow-id uniqueness makes each job run
// once per night whatever the number of replicas.
import cron from 'node-cron';
import type { Client } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import type { Config } from './config';
import { TIME_ZONE } from '../domain/durations';
import { logger } from './logger';
import { NIGHTLY_JOBS, NIGHTLY_WORKFLOW, nightlyWorkflowId, type NightlyJob } from '../domain/nightly-jobs';

export function swedishDate(at = Date.now()): string {
  return format(new TZDate(at, TIME_ZONE), 'yyyy-MM-dd');
}

/** Starts tonight's run of a job unless some replica already has; returns whether this call started it. */
export async function startNightlyJob(client: Client, config: Config, job: NightlyJob, date = swedishDate()): Promise<boolean> {
  try {
    await client.workflow.start(NIGHTLY_WORKFLOW, {
      workflowId: nightlyWorkflowId(job, date),
      taskQueue: config.temporal.taskQueue,
      args: [job, date],
      // A run that failed may be started again the same night; a finished or running one not.
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
    });
    return true;
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return false;
    throw err;
  }
}

export function scheduleNightlyJobs(client: Client, config: Config): { stop(): void } {
  const task = cron.schedule(config.nightly.cron, async () => {
    for (const job of NIGHTLY_JOBS) {
      try {
        const started = await startNightlyJob(client, config, job);
        logger.info({ job, started }, started ? 'nightly job started' : 'nightly job already started by another replica');
      } catch (err) {
        logger.error({ job, error: (err as Error).message }, 'nightly job could not be started');
      }
    }
  }, { timezone: TIME_ZONE });
  return { stop: () => { void task.stop(); } };
}
