// `npm start`: the whole system on one machine. Embedded Temporal dev server (with its UI) and
// FerretDB unless TEMPORAL_ADDRESS / MONGODB_URI point elsewhere; then the worker and the API.
import mongoose from 'mongoose';
import { loadConfig, ConfigError } from '../infra/config';
import { startEmbedded } from '../dev/embedded';
import { connectMongo } from '../infra/connections';
import { startApi } from '../api/server';
import { createWorker } from '../worker/worker';
import { scheduleNightlyJobs } from '../infra/nightly';
import { installWorkerRuntime } from '../infra/worker-runtime';
import { startMailCapture, startSmsCapture } from '../dev/capture';
import path from 'node:path';

function withoutCredentials(uri: string): string {
  return uri.replace(/\/\/[^@/]*@/, '//');
}

async function main() {
  const base = loadConfig();
  await installWorkerRuntime({ logLevel: 'WARN' });
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
  // Without a real SMTP server or SMS gateway, notifications go to local capture endpoints.
  const captureDir = path.join(base.dataDir, 'dev-outbox');
  const captures: Array<() => Promise<void>> = [];
  if (!base.notifications.smtpUrl) {
    const mail = await startMailCapture(path.join(captureDir, 'mail'));
    process.env.SMTP_URL = mail.url;
    captures.push(mail.stop);
  }
  if (!base.notifications.smsGatewayUrl) {
    const sms = await startSmsCapture(path.join(captureDir, 'sms'));
    process.env.SMS_GATEWAY_URL = sms.url;
    captures.push(sms.stop);
  }
  const config = loadConfig();
  let stopping = false;
  const cleanup: Array<() => Promise<unknown>> = [() => embedded.stop(), ...captures];
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
    const { worker, client, close } = await createWorker(config);
    const running = worker.run();
    cleanup.push(async () => { worker.shutdown(); await running; await close(); });
    if (config.nightly.enabled) {
      const nightly = scheduleNightlyJobs(client, config);
      cleanup.push(async () => nightly.stop());
    }
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
      ['E-mail', base.notifications.smtpUrl ? 'SMTP_URL' : `DEVELOPMENT ONLY: captured in ${path.join(captureDir, 'mail')}/*.eml`],
      ['SMS', base.notifications.smsGatewayUrl ? 'SMS_GATEWAY_URL' : `DEVELOPMENT ONLY: captured in ${path.join(captureDir, 'sms')}/sms.jsonl`],
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
