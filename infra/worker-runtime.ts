// The Temporal worker's own metrics (task latencies, slots, sticky cache, …) come from its Rust
// core, which serves them in Prometheus format on a port of its own. Installed once per process.
import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import net from 'node:net';

let metricsUrl: string | null = null;

export async function installWorkerRuntime(opts: { logLevel?: LogLevel; metricsPort?: number } = {}): Promise<string> {
  if (metricsUrl) return metricsUrl;
  const port = opts.metricsPort ?? (await freePort());
  Runtime.install({
    logger: new DefaultLogger(opts.logLevel ?? 'INFO'),
    // Signals are the entry point's (system/stopOnSignals): one owner, one orderly stop.
    shutdownSignals: [],
    telemetryOptions: { metrics: { prometheus: { bindAddress: `127.0.0.1:${port}` } } },
  });
  metricsUrl = `http://127.0.0.1:${port}/metrics`;
  return metricsUrl;
}

/** The worker's metrics when a worker runs in this process (npm start, tests), else nothing. */
export async function workerMetricsText(): Promise<string> {
  if (!metricsUrl) return '';
  try {
    const res = await fetch(metricsUrl, { signal: AbortSignal.timeout(2000) });
    return res.ok ? await res.text() : '';
  } catch {
    return '';
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}
