// Builds the Express app; server.ts listens. Tests build the same app.
import express from 'express';
import mongoose from 'mongoose';
import type { Client } from '@temporalio/client';
import type { Config } from '../infra/config';
import type { Program } from '../infra/programs';
import { createAuthenticator } from './auth';
import { codecRouter } from './codec';
import { docsRouter } from './openapi';
import { httpDuration, registry } from '../infra/metrics';
import { workerMetricsText } from '../infra/worker-runtime';
import { logger } from '../infra/logger';
import { opsAccessLogRouter, patientAccessLogRouter } from './access-log';
import { createHash, randomUUID } from 'node:crypto';
import helmet from 'helmet';
import { rateLimit, ipKeyGenerator } from 'express-rate-limit';
import { clinicianRouter } from './clinician';
import { HttpError, notFound, problemHandler } from './errors';
import { patientRouter } from './patient';
import { TreatmentService } from './service';
import { ClinicalService } from './clinical';
import { longArcClinicianRouter, statisticsRouter } from './long-arc';

export function createApp(deps: { config: Config; client: Client; programs: Map<string, Program> }) {
  const { config, client, programs } = deps;
  const service = new TreatmentService(config, client, [...programs.keys()]);
  const clinical = new ClinicalService(service);
  const app = express();
  app.disable('x-powered-by');
  // Every request has an id: echoed to the client, written to the access log and the logs.
  app.use((req, res, next) => {
    const given = req.headers['x-request-id'];
    res.locals.requestId = typeof given === 'string' && /^[A-Za-z0-9._-]{8,64}$/.test(given) ? given : randomUUID();
    res.setHeader('x-request-id', res.locals.requestId as string);
    next();
  });
  app.set('query parser', 'simple');
  app.use(helmet());
  // Per caller: the bearer token's hash when there is one, else the address.
  app.use(rateLimit({
    windowMs: 60_000,
    limit: config.rateLimitPerMinute,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    keyGenerator: (req) => {
      const auth = req.headers.authorization;
      return auth ? createHash('sha256').update(auth).digest('base64url') : ipKeyGenerator(req.ip ?? 'unknown');
    },
    handler: (_req, _res, next) => next(new HttpError(429, 'Too many requests', 'slow down and try again in a minute')),
  }));
  const authenticate = createAuthenticator(config);
  // The codec server takes larger bodies (whole histories) and answers CORS preflights itself.
  app.use('/codec', codecRouter(config, authenticate));
  app.use(express.json({ limit: '100kb' }));

  app.use((req, res, next) => {
    const end = httpDuration.startTimer();
    // One log line per request, with its id; the route template, never the URL (no ids of people in logs).
    const log = logger.child({ requestId: res.locals.requestId });
    res.locals.log = log;
    res.on('finish', () => {
      const route = `${req.baseUrl}${req.route?.path ?? ''}` || 'unmatched';
      const seconds = end({ method: req.method, route, status: String(res.statusCode) });
      log.info({ method: req.method, route, status: res.statusCode, ms: Math.round(seconds * 1000) }, 'request');
    });
    next();
  });
  app.get('/metrics', async (_req, res) => {
    res.type(registry.contentType).send(`${await registry.metrics()}\n${await workerMetricsText()}`);
  });
  app.use(docsRouter());
  app.get('/healthz', (_req, res) => { res.json({ status: 'ok' }); });
  app.get('/readyz', async (_req, res) => {
    const checks = await Promise.allSettled([
      client.connection.workflowService.getSystemInfo({}),
      mongoose.connection.db ? mongoose.connection.db.admin().ping() : Promise.reject(new Error('not connected')),
    ]);
    const [temporal, mongo] = checks.map((c) => (c.status === 'fulfilled' ? 'ok' : 'unavailable'));
    const ready = temporal === 'ok' && mongo === 'ok';
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'unavailable', temporal, mongodb: mongo });
  });

  app.get('/api/programs/:programId', authenticate, (req, res) => {
    const program = programs.get(String(req.params.programId));
    if (!program) throw notFound('program');
    res.json(program);
  });
  app.use('/api/me', authenticate, patientAccessLogRouter(service), patientRouter(service, clinical, programs));
  app.use('/api/ops', authenticate, opsAccessLogRouter(service));
  app.use('/api', authenticate, statisticsRouter(config, programs));
  app.use('/api', authenticate, clinicianRouter(service, clinical, programs), longArcClinicianRouter(service, programs));
  app.use((_req, _res) => { throw notFound('resource'); });
  app.use(problemHandler);
  return app;
}
