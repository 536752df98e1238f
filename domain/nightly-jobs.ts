// The nightly jobs: one workflow per job and night (workflows/nightly.ts), started by every
// replica's cron (infra/nightly.ts) and run by one activity each.
export const NIGHTLY_JOBS = ['statistics-snapshot', 'read-model-sweep', 'retention-sweep'] as const;
export type NightlyJob = (typeof NIGHTLY_JOBS)[number];
export const NIGHTLY_WORKFLOW = 'nightlyJobWorkflow';
export const nightlyWorkflowId = (job: NightlyJob, date: string) => `nightly-${job}-${date}`;
