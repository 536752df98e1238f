// `npm run worker`: the worker alone, against TEMPORAL_ADDRESS and MONGODB_URI.
import { loadConfig } from '../infra/config';
import { connectMongo } from '../infra/connections';
import { logger } from '../infra/logger';
import { createWorker } from './worker';
import { scheduleNightlyJobs } from '../infra/nightly';
import { serveMetrics } from '../infra/metrics';
import { installWorkerRuntime } from '../infra/worker-runtime';

async function main() {
  const config = loadConfig();
  // The worker's own metrics on WORKER_METRICS_PORT (Temporal core), ours on METRICS_PORT.
  await installWorkerRuntime({ metricsPort: process.env.WORKER_METRICS_PORT ? Number(process.env.WORKER_METRICS_PORT) : undefined });
  await connectMongo(config);
  const { worker, client, close } = await createWorker(config);
  const nightly = config.nightly.enabled ? scheduleNightlyJobs(client, config) : null;
  const metrics = process.env.METRICS_PORT ? serveMetrics(Number(process.env.METRICS_PORT)) : null;
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => { nightly?.stop(); metrics?.close(); worker.shutdown(); });
  logger.info({ taskQueue: config.temporal.taskQueue, nightly: config.nightly.enabled ? config.nightly.cron : 'off' }, 'worker running');
  await worker.run();
  await close();
  const mongoose = (await import('mongoose')).default;
  await mongoose.disconnect();
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
