// The API's HTTP server (started by system/; `npm run api` is api/main.ts).
import { createServer, type Server } from 'node:http';
import type { Client } from '@temporalio/client';
import type { Config } from '../infra/config';
import type { Program } from '../infra/programs';
import { createApp } from './app';
import type { Sessions } from './session';

export async function startApi(config: Config, deps: { client: Client; programs: Map<string, Program> }): Promise<{ server: Server; url: string; close(): Promise<void> }> {
  // Listening first: with PORT=0 (the tests) and no PUBLIC_URL, the app's own origin has the port it got.
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const publicUrl = config.port === 0 && !config.env.PUBLIC_URL ? config.publicUrl.replace(/:0$/, `:${port}`) : config.publicUrl;
  const app = createApp({ config: { ...config, publicUrl }, client: deps.client, programs: deps.programs });
  server.on('request', app);
  const sessions = app.locals.sessions as Sessions;
  sessions.startSweeping();
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    async close() {
      sessions.stopSweeping();
      // Stop taking requests, let those in flight finish.
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
