// `npm run api`: the API alone, against TEMPORAL_ADDRESS and MONGODB_URI.
import { ENTRY_POINTS, startSystem, stopOnSignals } from '../system';
import { logger } from '../infra/logger';

async function main() {
  const system = await startSystem(ENTRY_POINTS.api);
  stopOnSignals(system);
  logger.info({ url: system.apiUrl }, 'api listening');
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
