// The one boot path. `npm start`, `npm run worker`, `npm run api`, the test harness and the
// benchmark all start here: configuration read once, servers (development only, through `dev`),
// MongoDB, one Temporal client, the worker, the nightly cron, the API; stop() undoes it in reverse.
import type { Client } from '@temporalio/client';
import type { Worker, WorkflowBundle } from '@temporalio/worker';
import type { LogLevel } from '@temporalio/worker';
import { ensureDevSecrets, loadConfig, withServices, type Config, type ConfigNeeds } from '../infra/config';
import { connectMongo, connectTemporal, disconnectMongo } from '../infra/connections';
import { backfillOverview } from '../infra/overview-rows';
import { checkRelease } from '../infra/release';
import { installWorkerRuntime } from '../infra/worker-runtime';
import { logger } from '../infra/logger';
import { serveMetrics } from '../infra/metrics';
import { scheduleNightlyJobs } from '../infra/nightly';
import { loadPrograms, type Program } from '../infra/programs';
import { createWorker } from '../worker/worker';
import { startApi } from '../api/server';

/** What a development environment provides when the configuration names no server (see dev/). */
export interface Services {
  temporalAddress?: string;
  mongoUri?: string;
  temporalUiUrl?: string | null;
  smtpUrl?: string;
  smsGatewayUrl?: string;
  /** A development OpenID Connect provider for the web app's sign-in (its tokens are verified through its JWKS). */
  oidc?: { issuer: string; jwksUrl: string };
  stop(): Promise<void>;
}
export type ServiceProvider = (config: Config) => Promise<Services>;

export interface SystemOptions {
  /** Variables the configuration is read from, once (default: the process environment). */
  env?: Record<string, string | undefined>;
  /** Starts what the configuration does not name (embedded servers, mail and SMS capture): development only. */
  services?: ServiceProvider;
  /** Run a worker in this process (optionally with another workflow bundle, for the benchmark). */
  worker?: boolean | { workflowsPath?: string; workflowBundle?: WorkflowBundle };
  /** Schedule the nightly jobs (default: with a worker, as NIGHTLY_JOBS says). */
  nightly?: boolean;
  api?: boolean;
  /** Serve our Prometheus metrics on METRICS_PORT (a worker running alone). */
  metrics?: boolean;
  /** The Temporal core's log level in this process. */
  temporalLogLevel?: LogLevel;
}

export interface System {
  config: Config;
  client: Client;
  programs: Map<string, Program>;
  services: Services | null;
  worker: Worker | null;
  /** Resolves when the worker has stopped (or at once without a worker). */
  workerDone: Promise<void>;
  apiUrl: string | null;
  temporalUiUrl: string | null;
  stop(): Promise<void>;
}

/** The processes a deployment runs (`npm run worker`, `npm run api`) and what each starts. */
export const ENTRY_POINTS = {
  worker: { worker: true, metrics: true },
  api: { api: true, metrics: true },
} as const satisfies Record<string, SystemOptions>;

/** Settings are required only where they are used: token verification only in a process with the API. */
export function configNeeds(options: SystemOptions): ConfigNeeds {
  return { auth: options.api === true, development: options.services !== undefined };
}

export async function startSystem(options: SystemOptions = {}): Promise<System> {
  ensureDevSecrets(options.env); // development: the secrets nobody should have to invent (parsing makes nothing)
  const base = loadConfig(options.env, configNeeds(options));
  logger.level = base.env.LOG_LEVEL;
  const undo: Array<() => Promise<unknown>> = [];
  let stopping: Promise<void> | null = null;
  const stop = () => {
    stopping ??= (async () => {
      for (const step of undo.reverse()) await step().catch((err) => logger.error({ error: (err as Error).message }, 'stopping'));
    })();
    return stopping;
  };
  try {
    const services = options.services ? await options.services(base) : null;
    if (services) undo.push(() => services.stop());
    const config = services ? withServices(base, services) : base;
    if (options.worker) {
      await installWorkerRuntime({ logLevel: options.temporalLogLevel ?? 'WARN', metricsPort: config.workerMetricsPort });
    }
    const mongo = await connectMongo(config);
    undo.push(() => disconnectMongo());
    await checkRelease(mongo.connection.db!, config.dataDir);
    // Once per store: the overview's rows and unread markers for what was written before them.
    await backfillOverview();
    const { client, connection } = await connectTemporal(config);
    undo.push(() => connection.close());
    const programs = loadPrograms(config.programOverrides);

    let worker: Worker | null = null;
    let workerDone: Promise<void> = Promise.resolve();
    if (options.worker) {
      const w = await createWorker(config, { client, programs, ...(typeof options.worker === 'object' ? options.worker : {}) });
      worker = w.worker;
      workerDone = worker.run();
      // The worker drains its tasks before the connections below it close.
      undo.push(async () => {
        if (w.worker.getState() === 'RUNNING') w.worker.shutdown();
        await workerDone.catch(() => undefined);
        await w.close();
      });
      if (options.nightly ?? config.nightly.enabled) {
        const nightly = scheduleNightlyJobs(client, config);
        undo.push(async () => { nightly.stop(); await nightly.catchingUp; });
      }
    }
    if (options.metrics && config.metricsPort) {
      const server = serveMetrics(config.metricsPort, config.metricsHost);
      undo.push(() => new Promise((resolve) => server.close(resolve)));
    }
    let apiUrl: string | null = null;
    if (options.api) {
      const api = await startApi(config, { client, programs });
      apiUrl = api.url;
      undo.push(() => api.close());
    }
    return { config, client, programs, services, worker, workerDone, apiUrl, temporalUiUrl: services?.temporalUiUrl ?? null, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Stops the system on SIGINT and SIGTERM (once), then exits. */
export function stopOnSignals(system: Pick<System, 'stop'>, before?: () => void): void {
  let stopping = false;
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.on(sig, () => {
      if (stopping) return;
      stopping = true;
      before?.();
      system.stop().then(() => process.exit(0), (err) => { console.error(err); process.exit(1); });
    });
  }
}
