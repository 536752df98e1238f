// Builds (once) and caches the Temporal CLI and FerretDB; `npm test` and `npm start` call it.
import { ensureBinaries, cacheDir } from '../dev/servers';

if (process.env.TEMPORAL_ADDRESS && process.env.MONGODB_URI) {
  console.log('TEMPORAL_ADDRESS and MONGODB_URI are set: nothing to provision.');
} else {
  const started = Date.now();
  ensureBinaries((line) => console.log(line))
    .then((bins) => {
      console.log(`Servers ready in ${cacheDir()} (${Math.round((Date.now() - started) / 1000)} s):`
        + ` temporal=${bins.temporal ?? 'SDK download'} ferretdb=${bins.ferretdb ?? 'mongodb-memory-server'}`);
    })
    .catch((err) => {
      console.error(`provision: ${err instanceof Error ? err.message : err}`);
      process.exit(1);
    });
}
