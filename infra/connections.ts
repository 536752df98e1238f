import { Connection, Client } from '@temporalio/client';
import mongoose from 'mongoose';
import type { Config } from './config';
import { dataConverter } from './data-converter';
import { dbNameOf } from './db-name';
import { logger } from './logger';
import { detectStore } from './store';

export async function connectTemporal(config: Config): Promise<{ connection: Connection; client: Client }> {
  if (!config.temporal.address) throw new Error('TEMPORAL_ADDRESS is not set');
  const connection = await Connection.connect({ address: config.temporal.address });
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
