// Builds (once) and caches the Temporal CLI and FerretDB; `npm test` and `npm start` call it.
// With --chromium (`npm test`) it also installs Debian's Chromium where it is missing: the web app's tests drive it (a test
// tool's own browser download cannot work on a closed network). No Chromium: a loud failure.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { ensureDevSecrets, loadConfig, ConfigError } from '../infra/config';
import { ensureBinaries } from '../dev/servers';

const CHROMIUM = '/usr/bin/chromium';

function ensureChromium() {
  if (existsSync(CHROMIUM)) return;
  console.log('Installing Chromium for the web app\'s browser tests (apt-get install -y chromium) …');
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const apt = ['env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get'];
  const run = (args: string[]) => spawnSync(asRoot ? apt[0]! : 'sudo', [...(asRoot ? apt.slice(1) : ['-n', ...apt]), ...args], { stdio: 'inherit' });
  let result = run(['install', '-y', 'chromium']);
  if (result.status !== 0) {
    run(['update']);
    result = run(['install', '-y', 'chromium']);
  }
  if (result.error || result.status !== 0 || !existsSync(CHROMIUM)) {
    throw new Error(`Chromium is needed at ${CHROMIUM} for the web app's tests and could not be installed`
      + ` (${result.error?.message ?? `apt-get exited with ${result.status}`}). Install it: apt-get install -y chromium`);
  }
}

async function main() {
  // `npm test` asks for the browser too (--chromium); `npm run bench` and the others do not need it.
  if (process.argv.includes('--chromium')) ensureChromium();
  ensureDevSecrets();
  const config = loadConfig(undefined, { auth: false });
  if (config.temporal.address && config.mongo.uri) {
    console.log('TEMPORAL_ADDRESS and MONGODB_URI are set: nothing to provision.');
    return;
  }
  const started = Date.now();
  const bins = await ensureBinaries(config.servers, (line) => console.log(line));
  console.log(`Servers ready in ${config.servers.cacheDir} (${Math.round((Date.now() - started) / 1000)} s):`
    + ` temporal=${bins.temporal ?? 'SDK download'} ferretdb=${bins.ferretdb ?? 'mongodb-memory-server'}`);
}

main().catch((err) => {
  console.error(`provision: ${err instanceof ConfigError || err instanceof Error ? err.message : err}`);
  process.exit(1);
});
