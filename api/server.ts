// The API's HTTP server (started by system/; `npm run api` is api/main.ts).
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
