// `npm run stack`: temporal-docker-compose.yml's topology as local processes (stack/), in
// production mode, on this machine. Prints where each part listens; Ctrl-C stops all of it.
import path from 'node:path';
import { ensureDevSecrets, loadConfig } from '../infra/config';
import { startStack } from '../stack';

async function main() {
  // Only the settings that say where things are built and kept; the stack's processes get the
  // compose file's environment, not this one.
  ensureDevSecrets();
  const config = loadConfig(undefined, { auth: false });
  const dataDir = path.join(config.dataDir, 'stack');
  console.log(`Starting the production topology of temporal-docker-compose.yml in ${dataDir} …`);
  const stack = await startStack({
    dataDir, servers: config.servers, log: (line) => console.log(line),
    // The compose file's own optional variables, when set here (LOG_LEVEL, TEMPORAL_NUM_HISTORY_SHARDS, …).
    // eslint-disable-next-line no-restricted-properties
    variables: process.env,
  });
  let stopping = false;
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.on(sig, () => {
      if (stopping) return;
      stopping = true;
      console.log('\nStopping the stack (APIs, workers, UI, Temporal, FerretDB, PostgreSQL) …');
      const t = Date.now();
      stack.stop().then(() => { console.log(`Stopped in ${((Date.now() - t) / 1000).toFixed(1)} s.`); process.exit(0); }, (err) => { console.error(err); process.exit(1); });
    });
  }
  const width = Math.max(...stack.parts.map(([s, p]) => `${s} / ${p}`.length));
  console.log(`\nThe stack is running (started in ${(stack.startedInMs / 1000).toFixed(1)} s). Ctrl-C stops everything.\n`);
  for (const [service, name, where] of stack.parts) console.log(`  ${`${service} / ${name}`.padEnd(width)}  ${where}`);
  console.log(`\n  Web app     ${stack.apis.map((a) => `${a.url}/`).join(', ')} (sign-in needs the region's OpenID Connect provider)`);
  console.log(`\n  Logs        ${path.join(dataDir, 'logs')}`);
  console.log(`  E-mail      captured in ${path.join(dataDir, 'outbox', 'mail')}/*.eml`);
  console.log(`  SMS         captured in ${path.join(dataDir, 'outbox', 'sms')}/sms.jsonl`);
  console.log(`  Manifest    ${path.join(dataDir, 'manifest.json')} (what ran for each compose service)`);
  const token = await stack.idp.sign({ role: 'clinician', sub: 'SE2321000000-1234', careUnits: ['unit-1'] });
  console.log(`\n  A clinician token (8 h, care unit unit-1), for either API:\n  ${token}\n`);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
