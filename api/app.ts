// Builds the Express app from the features' registrations; server.ts listens. Tests build the same app.
import express from 'express';
import type { Client } from '@temporalio/client';
import type { Config } from '../infra/config';
import type { Program } from '../infra/programs';
import { createAuthenticator } from './auth';
import { codecDocs, codecRouter } from './codec/routes';
import { docsRouter } from './openapi';
import { httpDuration } from '../infra/metrics';
import { logger } from '../infra/logger';
import { createHash, randomUUID } from 'node:crypto';
import path from 'node:path';
import helmet from 'helmet';
import compression from 'compression';
import { rateLimit, ipKeyGenerator } from 'express-rate-limit';
import { HttpError, notFound, problemHandler } from './errors';
import { TreatmentService } from './treatments/service';
import { ClinicalService } from './clinical-work/service';
import { contactVerification } from './verification';
import { callerOf, type Caller } from './auth';
import { ClinicianModel } from '../models/clinical';
import { accessorOf } from './access-log/service';
import { mountRoutes, route, type Route, type RouteDoc, type TreatmentResolvers } from './route';
import { patientActiveSignal, workflowIdFor } from '../workflows/definitions';
import { z } from 'zod';
import type { ApiDeps } from './deps';
import { treatmentRoutes } from './treatments/routes';
import { moduleRoutes } from './modules/routes';
import { clinicalWorkRoutes } from './clinical-work/routes';
import { activityPlanRoutes } from './activity-plans/routes';
import { statisticsRoutes } from './statistics/routes';
import { accessLogRoutes } from './access-log/routes';
import { careUnitRoutes } from './care-units/routes';
import { archiveRoutes } from './archive/routes';
import { chargePatientWrite } from './write-quota';
import { upsertRacing } from '../infra/store';
import { patientRoutes } from './patient/routes';
import { documentationDocs, operationsRoutes } from './operations/routes';
import { liveRoutes } from './live/routes';
import { programSchema } from '../domain/program';
import { Sessions, sessionDocs, sessionRoutes } from './session';

/** Patient activity is reported at most this often per treatment, to keep histories small. */
const ACTIVITY_REPORT_INTERVAL_MS = 60_000;

/** Every feature's registrations, in the order the API presents them. */
function featureRoutes(deps: ApiDeps): Route[] {
  const programRoute = route({
    method: 'get', path: '/api/programs/{programId}', summary: 'A program: modules, forms, end reasons, durations', role: 'any',
    params: z.object({ programId: z.string() }), ok: 200, response: programSchema.meta({ id: 'Program' }),
    handle({ params }) {
      const program = deps.programs.get(params.programId);
      if (!program) throw notFound('program');
      return program;
    },
  });
  return [
    ...treatmentRoutes(deps), ...moduleRoutes(deps), ...clinicalWorkRoutes(deps), ...activityPlanRoutes(deps),
    ...statisticsRoutes(deps), ...careUnitRoutes(deps), programRoute, ...patientRoutes(deps), ...accessLogRoutes(deps), ...archiveRoutes(deps), ...operationsRoutes(deps),
    ...liveRoutes(), ...sessionRoutes(),
  ];
}

const WEB_DIST = path.resolve(__dirname, '..', 'web', 'dist');
/** The web app's pages: the sign-in choice, the failed sign-in, the clinician's and the patient's. */
const WEB_PAGES = /^\/(inloggad|behandlare|invanare)?(\/.*)?$/;

/** What the web app adds to the OpenAPI document (it lists every route the app serves). */
const webAppDocs: RouteDoc[] = [
  { method: 'get', path: '/', summary: 'The web app (HTML); its pages /behandlare/…, /invanare/… and /inloggad answer the same', role: 'none', ok: 200, produces: 'text/html' },
];

/**
 * The built web app at `/` (same origin as /api): its assets, and index.html for the app's own
 * pages (the sign-in choice, /behandlare/…, /invanare/…, /inloggad where a failed sign-in is told).
 */
function webApp(): express.Router {
  const router = express.Router();
  // Hashed file names: cached for a year; index.html always fresh.
  router.use('/assets', compression(), express.static(path.join(WEB_DIST, 'assets'), { index: false, immutable: true, maxAge: '365d' }));
  const index = path.join(WEB_DIST, 'index.html');
  const page: express.RequestHandler = (_req, res) => {
    res.setHeader('cache-control', 'no-cache');
    res.sendFile(index, (err) => {
      if (err && !res.headersSent) res.status(503).type('text/plain; charset=utf-8').send('Webbappen är inte byggd: npm run web:build');
    });
  };
  router.get('/', page);
  // The app's other pages (deep links such as /behandlare/behandlingar/<id>): the same page.
  router.use((req, res, next) => {
    if ((req.method === 'GET' || req.method === 'HEAD') && req.path !== '/' && WEB_PAGES.test(req.path)) page(req, res, next);
    else next();
  });
  return router;
}

/** The registrations of every route the app serves (for the OpenAPI document and its tests). */
export function allRouteDocs(app: { locals: Record<string, unknown> }): RouteDoc[] {
  return app.locals.routeDocs as RouteDoc[];
}

export function createApp(input: { config: Config; client: Client; programs: Map<string, Program> }) {
  const { config, client, programs } = input;
  const service = new TreatmentService(config, client, [...programs.keys()]);
  const deps: ApiDeps = { config, client, programs, service, clinical: new ClinicalService(service), verification: contactVerification(config) };
  const routes = featureRoutes(deps);
  const treatments: TreatmentResolvers = {
    chargeWrite: (treatmentId) => chargePatientWrite(treatmentId, config.patientWritesPerHour),
    // The treatment named by :id, if this clinician may see it (else 404); the access is logged.
    clinician: (req, res, id) => service.visibleToClinician(id, accessorOf(req, res), { command: req.method !== 'GET' }),
    // The patient's treatment; any request counts as activity (lastActiveAt, the inactivity flag).
    async patient(_req, res) {
      const t = await service.ofPatient(callerOf(res, 'patient').personnummer);
      if (t.status === 'active' && (!t.lastActiveAt || Date.now() - t.lastActiveAt.getTime() > ACTIVITY_REPORT_INTERVAL_MS)) {
        void client.workflow.getHandle(workflowIdFor(t._id)).signal(patientActiveSignal, Date.now()).catch(() => undefined);
      }
      return t;
    },
  };
  const app = express();
  app.disable('x-powered-by');
  // Every request has an id: echoed to the client, written to the access log and the logs.
  app.use((req, res, next) => {
    // Our own id, always: a client-sent x-request-id is logged beside it, never stored as the request id.
    const given = req.headers['x-request-id'];
    res.locals.requestId = randomUUID();
    if (typeof given === 'string' && /^[A-Za-z0-9._-]{8,64}$/.test(given)) res.locals.clientRequestId = given;
    res.setHeader('x-request-id', res.locals.requestId as string);
    next();
  });
  app.set('query parser', 'simple');
  // The web app talks to this origin only: the API signs it in (api/session.ts), so no page script
  // connects to the identity provider.
  app.use(helmet({ contentSecurityPolicy: { directives: { connectSrc: ["'self'"] } } }));
  // The web app (built ahead of time into web/dist), before the rate limit: its files carry no token.
  app.use(webApp());
  // Behind a load balancer, TRUST_PROXY says which hops to believe for the client address.
  if (config.trustProxy !== undefined) app.set('trust proxy', config.trustProxy);
  const tooMany = (_req: express.Request, _res: express.Response, next: express.NextFunction) => next(new HttpError(429, 'Too many requests', 'slow down and try again in a minute'));
  // Until a token verifies, requests count against the client's address: every refused token
  // (401) and every request without one. Junk tokens cannot buy fresh buckets.
  app.use(rateLimit({
    windowMs: 60_000,
    limit: config.rateLimitPerMinute,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    keyGenerator: (req) => ipKeyGenerator(req.ip ?? 'unknown'),
    skipSuccessfulRequests: true,
    requestWasSuccessful: (_req, res) => res.locals.caller !== undefined,
    handler: tooMany,
  }));
  // Once it verifies, the caller's own bucket (role and subject; never the raw header).
  const perCaller = rateLimit({
    windowMs: 60_000,
    limit: config.rateLimitPerMinute,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    keyGenerator: (_req, res) => {
      const c = res.locals.caller as Caller;
      return createHash('sha256').update(`${c.role}:${c.role === 'clinician' ? c.hsaId : c.role === 'patient' ? c.personnummer : c.id}`).digest('base64url');
    },
    handler: tooMany,
  });
  // The web app's sessions (cookie), beside Bearer tokens; the API process sweeps expired ones (server.ts).
  const sessions = new Sessions(config);
  app.locals.sessions = sessions;
  const verified = createAuthenticator(config, sessions.authenticate);
  const verify: express.RequestHandler = (req, res, next) => verified(req, res, (err?: unknown) => (err ? next(err) : perCaller(req, res, next)));
  // A clinician who signs in becomes known in the care units of the token (for byte av behandlare).
  const known = new Set<string>();
  const authenticate: express.RequestHandler = (req, res, next) => verify(req, res, (err?: unknown) => {
    const caller = res.locals.caller as Caller | undefined;
    if (err || caller?.role !== 'clinician') { next(err); return; }
    const key = `${caller.hsaId}|${caller.careUnits.join(',')}|${caller.name ?? ''}`;
    if (known.has(key)) { next(); return; }
    // A clinician's first requests race: one upsert inserts, the others meet its _id and update.
    upsertRacing(() => ClinicianModel.updateOne({ _id: caller.hsaId }, { $addToSet: { careUnits: { $each: caller.careUnits } }, ...(caller.name ? { $set: { name: caller.name } } : {}) }, { upsert: true }))
      .then(() => { known.add(key); next(); }, next);
  });
  // The codec server takes larger bodies (whole histories) and answers CORS preflights itself.
  app.use('/codec', codecRouter(config, authenticate));
  app.use(express.json({ limit: '100kb' }));

  app.use((req, res, next) => {
    const end = httpDuration.startTimer();
    // One log line per request, with its id; the route template, never the URL (no ids of people in logs).
    const log = logger.child({ requestId: res.locals.requestId, ...(res.locals.clientRequestId ? { clientRequestId: res.locals.clientRequestId } : {}) });
    res.locals.log = log;
    res.on('finish', () => {
      const route = `${req.baseUrl}${req.route?.path ?? ''}` || 'unmatched';
      const seconds = end({ method: req.method, route, status: String(res.statusCode) });
      log.info({ method: req.method, route, status: res.statusCode, ms: Math.round(seconds * 1000) }, 'request');
    });
    next();
  });
  // The document describes every route; the public port serves it (and /docs) only where API_DOCS
  // says so: off in production by default, where the typed client is generated at build time.
  const docs: RouteDoc[] = [...routes, ...sessionDocs, ...codecDocs, ...(config.apiDocs ? documentationDocs : []), ...webAppDocs];
  app.locals.routeDocs = docs;
  if (config.apiDocs) app.use(docsRouter(docs));
  app.use(sessions.router());
  const api = express.Router();
  mountRoutes(api, routes, authenticate, treatments);
  app.use(api);
  // A path the API has, asked with a method it does not: 405 naming the methods it has (Allow).
  const allowed = methodsByPath(docs);
  app.use((req, res) => {
    const methods = allowed(req.path);
    if (methods.length) {
      res.setHeader('Allow', methods.join(', '));
      throw new HttpError(405, 'Method not allowed', `${req.method} is not allowed here; allowed: ${methods.join(', ')}`);
    }
    throw notFound('resource');
  });
  app.use(problemHandler);
  return app;
}

/** The methods each documented path answers (HEAD with GET), found by the request's path. */
function methodsByPath(docs: RouteDoc[]): (path: string) => string[] {
  const byPath = new Map<string, Set<string>>();
  for (const d of docs) (byPath.get(d.path) ?? byPath.set(d.path, new Set()).get(d.path)!).add(d.method.toUpperCase());
  const patterns = [...byPath].map(([p, methods]) => ({
    re: new RegExp(`^${p.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+')}$`),
    methods: methods.has('GET') ? [...methods, 'HEAD'] : [...methods],
  }));
  return (path) => [...new Set(patterns.filter((p) => p.re.test(path)).flatMap((p) => p.methods))].sort();
}
