// Prometheus metrics: one registry per process. The API serves it at /metrics; a worker running
// alone serves it on METRICS_PORT.
import http from 'node:http';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export const registry = new Registry();
collectDefaultMetrics({ register: registry });

export const httpDuration = new Histogram({
  name: 'http_request_duration_seconds', help: 'HTTP request durations by route and status',
  labelNames: ['method', 'route', 'status'] as const, buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5], registers: [registry],
});
export const treatmentsStarted = new Counter({ name: 'treatments_started_total', help: 'Treatments started', labelNames: ['program'] as const, registers: [registry] });
export const treatmentsEnded = new Counter({ name: 'treatments_ended_total', help: 'Treatments ended, by end reason', labelNames: ['reason'] as const, registers: [registry] });
export const notificationsSent = new Counter({ name: 'notifications_sent_total', help: 'Notifications delivered', labelNames: ['channel'] as const, registers: [registry] });
export const notificationsFailed = new Counter({ name: 'notifications_failed_total', help: 'Notifications that ended failed', labelNames: ['channel'] as const, registers: [registry] });
export const flagsRaised = new Counter({ name: 'flags_raised_total', help: 'Flags raised, by type', labelNames: ['type'] as const, registers: [registry] });

/** Metrics on a port of their own (METRICS_PORT), apart from the public API port. */
export function serveMetrics(port: number, host = '127.0.0.1'): http.Server {
  return http.createServer((req, res) => {
    if (req.url !== '/metrics') { res.writeHead(404).end(); return; }
    res.setHeader('content-type', registry.contentType);
    registry.metrics().then((text) => res.end(text), () => res.writeHead(500).end());
  }).listen(port, host);
}
