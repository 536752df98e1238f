// node-cron ticks in every worker replica; Temporal's workflow-id uniqueness makes each job run
// once per night whatever the number of replicas.
import cron from 'node-cron';
import { CronExpressionParser } from 'cron-parser';
import type { Client } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import type { Config } from './config';
import { swedishDate, TIME_ZONE } from '../domain/durations';

export { swedishDate };
import { logger } from './logger';
import { NIGHTLY_JOBS, NIGHTLY_WORKFLOW, nightlyWorkflowId, type NightlyJob } from '../domain/nightly-jobs';


/** Starts tonight's run of a job unless some replica already has; returns whether this call started it. */
export async function startNightlyJob(client: Client, config: Config, job: NightlyJob, date = swedishDate(Date.now())): Promise<boolean> {
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

/** The night (its Swedish date) of the most recent tick of the cron expression at or before `now`. */
export function lastNightOf(expression: string, now = Date.now()): string {
  const previous = CronExpressionParser.parse(expression, { tz: TIME_ZONE, currentDate: new Date(now + 1) }).prev().toDate();
  return swedishDate(previous.getTime());
}

async function startNight(client: Client, config: Config, date: string): Promise<void> {
  for (const job of NIGHTLY_JOBS) {
    try {
      const started = await startNightlyJob(client, config, job, date);
      logger.info({ job, date, started }, started ? 'nightly job started' : 'nightly job already run or started by another replica');
    } catch (err) {
      logger.error({ job, date, error: (err as Error).message }, 'nightly job could not be started');
    }
  }
}

/**
 * Ticks the nightly jobs in every replica. At start, the most recent night is caught up: a night
 * missed because no worker ran is run now (a night already run is refused by its workflow id).
 */
export function scheduleNightlyJobs(client: Client, config: Config): { stop(): void; catchingUp: Promise<void> } {
  const catchingUp = startNight(client, config, lastNightOf(config.nightly.cron));
  const task = cron.schedule(config.nightly.cron, () => startNight(client, config, swedishDate(Date.now())), { timezone: TIME_ZONE });
  return { stop: () => { void task.stop(); }, catchingUp };
}
