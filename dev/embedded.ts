// Starts the embedded servers when TEMPORAL_ADDRESS / MONGODB_URI are not given, and returns the
// addresses that point the rest of the system at them.
import path from 'node:path';
import { ensureBinaries, freePort, startMongo, startTemporal, type RunningServer, type ServerPaths } from './servers';

export interface Embedded {
  temporalAddress: string;
  mongoUri: string;
  temporalUiUrl: string | null;
  servers: RunningServer[];
  stop(): Promise<void>;
}

export async function startEmbedded(opts: {
  dataDir: string; temporalAddress?: string; mongoUri?: string; temporalPort?: number; uiPort?: number; mongoPort?: number;
  /** The API's codec server, for the embedded UI to decode payloads through (development). */
  codecEndpoint?: string;
  servers: ServerPaths;
  log?: (line: string) => void;
}): Promise<Embedded> {
  const log = opts.log ?? (() => undefined);
  const servers: RunningServer[] = [];
  const bins = opts.temporalAddress && opts.mongoUri ? {} : await ensureBinaries(opts.servers, log);
  let temporalAddress = opts.temporalAddress;
  let temporalUiUrl: string | null = null;
  let mongoUri = opts.mongoUri;
  const starting: Promise<void>[] = [];
  if (!temporalAddress) {
    starting.push((async () => {
      const t = await startTemporal({
        dataDir: path.join(opts.dataDir, 'temporal'), bin: bins.temporal,
        port: opts.temporalPort ?? (await freePort()), uiPort: opts.uiPort ?? (await freePort()), codecEndpoint: opts.codecEndpoint,
      });
      servers.push(t);
      temporalAddress = t.url;
      temporalUiUrl = t.uiUrl;
    })());
  }
  if (!mongoUri) {
    starting.push((async () => {
      const m = await startMongo({ dataDir: path.join(opts.dataDir, 'mongodb'), bin: bins.ferretdb, port: opts.mongoPort ?? (await freePort()) });
      servers.push(m);
      mongoUri = `${m.url}tobakshjalpen`;
    })());
  }
  const results = await Promise.allSettled(starting);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  const stop = async () => { await Promise.all(servers.map((s) => s.stop())); };
  if (failed) {
    await stop();
    throw failed.reason;
  }
  return { temporalAddress: temporalAddress!, mongoUri: mongoUri!, temporalUiUrl, servers, stop };
}
