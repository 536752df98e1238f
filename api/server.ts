// `npm run api`: the API alone, against TEMPORAL_ADDRESS and MONGODB_URI.
import type { Server } from 'node:http';
import { loadConfig, type Config } from '../infra/config';
import { connectMongo, connectTemporal } from '../infra/connections';
import { logger } from '../infra/logger';
import { loadPrograms } from '../infra/programs';
import { createApp } from './app';

export async function startApi(config: Config): Promise<{ server: Server; url: string; close(): Promise<void> }> {
  const programs = loadPrograms(config.programOverrides);
  const { client, connection } = await connectTemporal(config);
  const app = createApp({ config, client, programs });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(config.port, config.host, () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    async close() {
      // Stop taking requests, let those in flight finish, then drop the connections.
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await connection.close();
    },
  };
}

if (require.main === module) {
  (async () => {
    const config = loadConfig();
    await connectMongo(config);
    const api = await startApi(config);
    logger.info({ url: api.url }, 'api listening');
    for (const sig of ['SIGINT', 'SIGTERM'] as const) {
      process.once(sig, async () => {
        await api.close();
        const mongoose = (await import('mongoose')).default;
        await mongoose.disconnect();
        process.exit(0);
      });
    }
  })().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
