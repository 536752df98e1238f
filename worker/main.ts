// `npm run worker`: the worker alone (with the nightly cron), against TEMPORAL_ADDRESS and MONGODB_URI.
import { ENTRY_POINTS, startSystem, stopOnSignals } from '../system';
import { logger } from '../infra/logger';

async function main() {
  const system = await startSystem(ENTRY_POINTS.worker);
  stopOnSignals(system);
  const { config } = system;
  logger.info({ taskQueue: config.temporal.taskQueue, nightly: config.nightly.enabled ? config.nightly.cron : 'off' }, 'worker running');
  await system.workerDone;
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
