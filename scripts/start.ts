// `npm start`: the whole system on one machine. Embedded Temporal dev server (with its UI) and
// FerretDB unless TEMPORAL_ADDRESS / MONGODB_URI point elsewhere, local mail and SMS capture unless
// SMTP_URL / SMS_GATEWAY_URL are set; then the worker, the nightly cron and the API.
import path from 'node:path';
import { ConfigError } from '../infra/config';
import { startSystem, stopOnSignals } from '../system';
import { developmentServices, type DevServices } from '../dev';
import { DEV_CARE_UNITS } from '../dev/care-units';

function withoutCredentials(uri: string): string {
  return uri.replace(/\/\/[^@/]*@/, '//');
}

async function main() {
  const started = Date.now();
  // The demo units' names, unless the environment configures its own units.
  // eslint-disable-next-line no-restricted-properties
  const env = { CARE_UNIT_REGIONS: JSON.stringify(DEV_CARE_UNITS), ...process.env };
  const system = await startSystem({ env, services: developmentServices({ log: (line) => console.log(line) }), worker: true, api: true });
  stopOnSignals(system, () => console.log('\nStopping …'));
  system.workerDone.catch((err) => {
    console.error('worker stopped:', err);
    void system.stop().then(() => process.exit(1));
  });
  const { config } = system;
  const dev = system.services as DevServices;
  const rows: Array<[string, string]> = [
    ['Web app', `${system.apiUrl!}/`],
    ['API', system.apiUrl!],
    ['Temporal', config.temporal.address!],
    ...(config.web.oidcIssuer ? [['Sign-in', `${config.web.oidcIssuer} (DEVELOPMENT ONLY: test identities)`] as [string, string]] : []),
    ['Temporal UI', system.temporalUiUrl ?? '(external server: see its own UI)'],
    ['MongoDB', withoutCredentials(config.mongo.uri!)],
    ['Data', config.dataDir],
    ['Task queue', config.temporal.taskQueue],
    ['E-mail', dev.mail ? `DEVELOPMENT ONLY: captured in ${path.join(config.dataDir, 'dev-outbox', 'mail')}/*.eml` : 'SMTP_URL'],
    ['SMS', dev.sms ? `DEVELOPMENT ONLY: captured in ${path.join(config.dataDir, 'dev-outbox', 'sms')}/sms.jsonl` : 'SMS_GATEWAY_URL'],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  console.log(`\nTobakshjälpen is running (started in ${((Date.now() - started) / 1000).toFixed(1)} s). Ctrl-C stops everything.\n`);
  for (const [k, v] of rows) console.log(`  ${k.padEnd(width)}  ${v}`);
  console.log('\n  A clinician token: npm run --silent token -- --role clinician --sub SE2321000000-1234 --care-unit unit-1\n');
}

main().catch((err) => {
  console.error(err instanceof ConfigError || err instanceof Error ? err.message : err);
  process.exit(1);
});
