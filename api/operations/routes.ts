// Operations: liveness, readiness, metrics and the API's own documentation; no token needed.
import mongoose from 'mongoose';
import { registry } from '../../infra/metrics';
import { workerMetricsText } from '../../infra/worker-runtime';
import { route, type Route, type RouteDoc } from '../route';
import type { ApiDeps } from '../deps';

export function operationsRoutes({ client }: ApiDeps): Route[] {
  return [
    route({
      method: 'get', path: '/healthz', summary: 'The process is up', role: 'none', ok: 200,
      handle: () => ({ status: 'ok' }),
    }),
    route({
      method: 'get', path: '/readyz', summary: 'Temporal and MongoDB are reachable', role: 'none', ok: 200,
      async handle(ctx) {
        const checks = await Promise.allSettled([
          client.connection.workflowService.getSystemInfo({}),
          mongoose.connection.db ? mongoose.connection.db.admin().ping() : Promise.reject(new Error('not connected')),
        ]);
        const [temporal, mongo] = checks.map((c) => (c.status === 'fulfilled' ? 'ok' : 'unavailable'));
        const ready = temporal === 'ok' && mongo === 'ok';
        ctx.status = ready ? 200 : 503;
        return { status: ready ? 'ready' : 'unavailable', temporal, mongodb: mongo };
      },
    }),
    route({
      method: 'get', path: '/metrics', summary: 'Prometheus metrics (HTTP, domain counters, process)', role: 'none', ok: 200,
      async handle({ res }) {
        res.type(registry.contentType).send(`${await registry.metrics()}\n${await workerMetricsText()}`);
      },
    }),
  ];
}

/** Served by the docs router (api/openapi.ts). */
export const documentationDocs: RouteDoc[] = [
  { method: 'get', path: '/openapi.json', summary: 'This document', role: 'none', ok: 200 },
  { method: 'get', path: '/docs', summary: 'Interactive API documentation', role: 'none', ok: 200 },
];
