import { Connection, Client } from '@temporalio/client';
import mongoose from 'mongoose';
import pRetry from 'p-retry';
import type { Config } from './config';
import { dataConverter } from './data-converter';
import { dbNameOf } from './db-name';
import { logger } from './logger';
import { detectStore } from './store';

/**
 * Connects to the Temporal frontend, trying again for about a minute: a process may come up before
 * the server is ready (a compose start, an embedded server on a busy machine). Each failed attempt
 * is logged; the last error is thrown.
 */
export function connectPatiently<T>(what: string, connect: () => Promise<T>): Promise<T> {
  return pRetry(connect, {
    retries: 5, factor: 2, minTimeout: 1000, maxTimeout: 10_000,
    onFailedAttempt: ({ error, attemptNumber, retriesLeft }) => {
      if (retriesLeft > 0) logger.warn({ err: { name: error.name, message: error.message }, attempt: attemptNumber }, `${what}: not reachable yet, trying again`);
    },
  });
}

export async function connectTemporal(config: Config): Promise<{ connection: Connection; client: Client }> {
  const address = config.temporal.address;
  if (!address) throw new Error('TEMPORAL_ADDRESS is not set');
  const connection = await connectPatiently('Temporal', () => Connection.connect({ address }));
  const client = new Client({ connection, namespace: config.temporal.namespace, dataConverter: dataConverter(config) });
  return { connection, client };
}

export async function connectMongo(config: Config): Promise<typeof mongoose> {
  if (!config.mongo.uri) throw new Error('MONGODB_URI is not set');
  // Fail fast instead of queueing: a request during an outage answers 503, activities retry.
  mongoose.set('bufferCommands', false);
  await mongoose.connect(config.mongo.uri, { serverSelectionTimeoutMS: 5000, dbName: dbNameOf(config.mongo.uri) });
  await Promise.all(Object.values(mongoose.models).map((m) => m.createIndexes()));
  // Once, here: what the store can do decides the paths of infra/store.ts, the overview and the
  // live feed (store.capabilities).
  const profile = await detectStore(mongoose.connection.db!);
  logger.info({ store: profile.server, version: profile.version, replicated: profile.replicated, capabilities: profile.capabilities }, 'store detected');
  return mongoose;
}


export async function disconnectMongo(): Promise<void> {
  await mongoose.disconnect();
}
