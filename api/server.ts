// The API's HTTP server; `npm run api` runs it alone against TEMPORAL_ADDRESS and MONGODB_URI.
import type { Server } from 'node:http';
import type { Client } from '@temporalio/client';
import type { Config } from '../infra/config';
import type { Program } from '../infra/programs';
import { createApp } from './app';

export async function startApi(config: Config, deps: { client: Client; programs: Map<string, Program> }): Promise<{ server: Server; url: string; close(): Promise<void> }> {
  const app = createApp({ config, client: deps.client, programs: deps.programs });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(config.port, config.host, () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    async close() {
      // Stop taking requests, let those in flight finish.
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

if (require.main === module) {
  (async () => {
    const { startSystem, stopOnSignals } = await import('../system');
    const { logger } = await import('../infra/logger');
    const system = await startSystem({ api: true });
    stopOnSignals(system);
    logger.info({ url: system.apiUrl }, 'api listening');
  })().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
