import { NativeConnection, Worker } from '@temporalio/worker';
import path from 'node:path';
import { createActivities } from '../activities';
import { createTransports } from '../infra/notify';
import { Client, Connection } from '@temporalio/client';
import { loadPrograms } from '../infra/programs';
import { dataConverter, payloadCodec } from '../infra/data-converter';
import type { Config } from '../infra/config';

export async function createWorker(config: Config, opts: { workflowsPath?: string } = {}): Promise<{ worker: Worker; connection: NativeConnection; client: Client; close(): Promise<void> }> {
  if (!config.temporal.address) throw new Error('TEMPORAL_ADDRESS is not set');
  const connection = await NativeConnection.connect({ address: config.temporal.address });
  // The nightly sweeps query and signal treatments: activities get a client of their own.
  const clientConnection = await Connection.connect({ address: config.temporal.address });
  const client = new Client({ connection: clientConnection, namespace: config.temporal.namespace, dataConverter: dataConverter(config) });
  const worker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    workflowsPath: opts.workflowsPath ?? path.join(__dirname, '..', 'workflows', 'index.ts'),
    dataConverter: dataConverter(config),
    activities: createActivities({
      config, transports: createTransports(config), client, programs: loadPrograms(config.programOverrides), codec: payloadCodec(config),
    }),
  });
  return {
    worker, connection, client,
    async close() { await connection.close(); await clientConnection.close(); },
  };
}
