// The benchmark's system: the same boot path as `npm start` and the tests (system/), on a data
// directory of its own, with the benchmark's workflow bundle (the engine's plus the bare baselines).
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { startSystem, type System } from '../system';
import { developmentServices, type DevServices } from '../dev';

export async function startBenchSystem(
  name: string, log: (line: string) => void = () => undefined,
  /** Settings for this run that the environment does not name itself (the benchmark's sticky cache). */
  defaults: Record<string, string> = {},
): Promise<System & { dataDir: string; dev: DevServices }> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `tobakshjalpen-${name}-`));
  const system = await startSystem({
    env: {
      ...defaults, ...process.env, DATA_DIR: dataDir, PORT: '0', TEMPORAL_PORT: '0', TEMPORAL_UI_PORT: '0', MONGODB_PORT: '0',
      TEMPORAL_TASK_QUEUE: `${name}-${randomUUID()}`, NIGHTLY_JOBS: 'off', SMTP_URL: undefined, SMS_GATEWAY_URL: undefined,
      RATE_LIMIT_PER_MINUTE: '1000000', LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    },
    services: developmentServices({ log }),
    worker: { workflowsPath: path.join(__dirname, 'workflows.ts') },
    api: true,
    temporalLogLevel: 'ERROR',
  });
  return { ...system, dataDir, dev: system.services as DevServices };
}
