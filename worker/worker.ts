import { NativeConnection, Worker } from '@temporalio/worker';
import path from 'node:path';
import { createActivities } from '../activities';
import { createTransports } from '../lib/notify';
import type { Config } from '../config';

export async function createWorker(config: Config): Promise<{ worker: Worker; connection: NativeConnection }> {
  if (!config.temporal.address) throw new Error('TEMPORAL_ADDRESS is not set');
  const connection = await NativeConnection.connect({ address: config.temporal.address });
  const worker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    workflowsPath: path.join(__dirname, '..', 'workflows', 'index.ts'),
    activities: createActivities({ config, transports: createTransports(config) }),
  });
  return { worker, connection };
}
