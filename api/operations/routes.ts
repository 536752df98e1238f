// Operations: liveness, readiness, metrics and the API's own documentation; no token needed.
import mongoose from 'mongoose';
import { z } from 'zod';
import { registry } from '../../infra/metrics';
import { workerMetricsText } from '../../infra/worker-runtime';
import { route, type Route, type RouteDoc } from '../route';
import type { ApiDeps } from '../deps';

const readiness = z.object({
  status: z.enum(['ready', 'unavailable']), temporal: z.enum(['ok', 'unavailable']), mongodb: z.enum(['ok', 'unavailable']), checkedAt: z.iso.datetime(),
}).meta({ id: 'Readiness' });

/** How long one readiness check answers every caller: anyone may ask, the servers are asked at most this often. */
const READINESS_TTL_MS = 5000;

export function operationsRoutes({ client, config }: ApiDeps): Route[] {
  let last: { at: number; answer: Promise<{ status: string; temporal: string; mongodb: string; checkedAt: string }> } | null = null;
  const check = async () => {
    const timeout = <T>(p: Promise<T>) => Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), 2000))]);
    const checks = await Promise.allSettled([
      timeout(client.connection.workflowService.getSystemInfo({})),
      timeout(mongoose.connection.db ? mongoose.connection.db.admin().ping() : Promise.reject(new Error('not connected'))),
    ]);
    const [temporal, mongodb] = checks.map((c) => (c.status === 'fulfilled' ? 'ok' : 'unavailable')) as [string, string];
    return { status: temporal === 'ok' && mongodb === 'ok' ? 'ready' : 'unavailable', temporal, mongodb, checkedAt: new Date().toISOString() };
  };
  const answerOfReadiness = () => {
    if (!last || Date.now() - last.at > READINESS_TTL_MS) last = { at: Date.now(), answer: check() };
    return last.answer;
  };
  return [
    route({
      method: 'get', path: '/healthz', summary: 'The process is up', role: 'none', ok: 200, response: z.object({ status: z.literal('ok') }),
      handle: () => ({ status: 'ok' }),
    }),
    route({
      method: 'get', path: '/readyz', summary: 'Temporal and MongoDB are reachable (503 with the same body when not)', role: 'none', ok: 200, also: [503], alsoDescription: 'Not ready: the same body', response: readiness,
      async handle(ctx) {
        const answer = await answerOfReadiness();
        ctx.status = answer.status === 'ready' ? 200 : 503;
        return answer;
      },
    }),
    // Production serves metrics on METRICS_PORT only, off the public port.
    ...(config.metricsOnApiPort ? [
      route({
        method: 'get', path: '/metrics', summary: 'Prometheus metrics (HTTP, domain counters, process)', role: 'none', ok: 200, produces: 'text/plain',
        async handle({ res }) {
          res.type(registry.contentType).send(`${await registry.metrics()}\n${await workerMetricsText()}`);
        },
      }),
    ] : []),
  ];
}

/** Served by the docs router (api/openapi.ts). */
export const documentationDocs: RouteDoc[] = [
  { method: 'get', path: '/openapi.json', summary: 'This document', role: 'none', ok: 200, response: z.record(z.string(), z.unknown()) },
  { method: 'get', path: '/docs', summary: 'Interactive API documentation', role: 'none', ok: 200, produces: 'text/html' },
];
