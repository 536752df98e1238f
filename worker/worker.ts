// The Temporal worker: the workflow bundle and the activities, on the system's shared client.
import { NativeConnection, Worker, type WorkflowBundle } from '@temporalio/worker';
import type { Client } from '@temporalio/client';
import { createActivities } from '../activities';
import { createTransports } from '../infra/notify';
import type { Program } from '../infra/programs';
import { dataConverter, payloadCodec } from '../infra/data-converter';
import type { Config } from '../infra/config';
import { connectPatiently } from '../infra/connections';
import { WORKFLOWS_PATH } from './workflow-bundle';

export async function createWorker(
  config: Config, deps: { client: Client; programs: Map<string, Program>; workflowsPath?: string; workflowBundle?: WorkflowBundle },
): Promise<{ worker: Worker; close(): Promise<void> }> {
  const address = config.temporal.address;
  if (!address) throw new Error('TEMPORAL_ADDRESS is not set');
  const connection = await connectPatiently('Temporal (worker)', () => NativeConnection.connect({ address }));
  const worker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    // Sticky cache, task slots and pollers: WORKER_* (infra/config.ts; docs/performance.md, "Worker settings").
    ...config.worker,
    // A bundle made already (passed in, or WORKFLOW_BUNDLE's file), else today's code bundled here.
    ...(deps.workflowBundle ? { workflowBundle: deps.workflowBundle }
      : config.workflowBundlePath && !deps.workflowsPath ? { workflowBundle: { codePath: config.workflowBundlePath } }
        : { workflowsPath: deps.workflowsPath ?? WORKFLOWS_PATH }),
    dataConverter: dataConverter(config),
    activities: createActivities({
      config, transports: createTransports(config), client: deps.client, programs: deps.programs, codec: payloadCodec(config),
    }),
  });
  return { worker, close: () => connection.close() };
}
