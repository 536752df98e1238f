// Builds (once) and caches the Temporal CLI and FerretDB; `npm test` and `npm start` call it.
import { loadConfig, ConfigError } from '../infra/config';
import { ensureBinaries } from '../dev/servers';

async function main() {
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
