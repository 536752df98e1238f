// `npm run worker`: the worker alone, against TEMPORAL_ADDRESS and MONGODB_URI.
import { loadConfig } from '../config';
import { connectMongo } from '../lib/connections';
import { logger } from '../lib/logger';
import { createWorker } from './worker';

async function main() {
  const config = loadConfig();
  await connectMongo(config);
  const { worker, connection } = await createWorker(config);
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => worker.shutdown());
  logger.info({ taskQueue: config.temporal.taskQueue }, 'worker running');
  await worker.run();
  await connection.close();
  const mongoose = (await import('mongoose')).default;
  await mongoose.disconnect();
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
