// `npm start`: the whole system on one machine. Embedded Temporal dev server (with its UI) and
// FerretDB unless TEMPORAL_ADDRESS / MONGODB_URI point elsewhere; then the worker and the API.
import mongoose from 'mongoose';
import { loadConfig, ConfigError } from '../config';
import { startEmbedded } from '../lib/embedded';
import { connectMongo } from '../lib/connections';
import { startApi } from '../api/server';
import { createWorker } from '../worker/worker';

function withoutCredentials(uri: string): string {
  return uri.replace(/\/\/[^@/]*@/, '//');
}

async function main() {
  const base = loadConfig();
  const started = Date.now();
  const embedded = await startEmbedded({
    dataDir: base.dataDir,
    temporalAddress: base.temporal.address,
    mongoUri: base.mongo.uri,
    temporalPort: base.temporal.port,
    uiPort: base.temporal.uiPort,
    mongoPort: base.mongo.port,
    log: (line) => console.log(line),
  });
  Object.assign(process.env, embedded.env);
  const config = loadConfig();
  let stopping = false;
  const cleanup: Array<() => Promise<unknown>> = [() => embedded.stop()];
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping …');
    for (const step of cleanup.reverse()) await step().catch((err) => console.error(err));
    process.exit(code);
  };
  process.once('SIGINT', () => void shutdown(0));
  process.once('SIGTERM', () => void shutdown(0));
  try {
    await connectMongo(config);
    cleanup.push(() => mongoose.disconnect());
    const { worker, connection } = await createWorker(config);
    const running = worker.run();
    cleanup.push(async () => { worker.shutdown(); await running; await connection.close(); });
    running.catch((err) => { console.error('worker stopped:', err); void shutdown(1); });
    const api = await startApi(config);
    cleanup.push(() => api.close());

    const rows: Array<[string, string]> = [
      ['API', api.url],
      ['Temporal', config.temporal.address!],
      ['Temporal UI', embedded.temporalUiUrl ?? '(external server: see its own UI)'],
      ['MongoDB', withoutCredentials(config.mongo.uri!)],
      ['Data', config.dataDir],
      ['Task queue', config.temporal.taskQueue],
    ];
    const width = Math.max(...rows.map(([k]) => k.length));
    console.log(`\nTobakshjälpen is running (started in ${((Date.now() - started) / 1000).toFixed(1)} s). Ctrl-C stops everything.\n`);
    for (const [k, v] of rows) console.log(`  ${k.padEnd(width)}  ${v}`);
    console.log(`\n  A clinician token: npm run --silent token -- --role clinician --sub SE2321000000-1234 --care-unit unit-1\n`);
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    await shutdown(1);
  }
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
