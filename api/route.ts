// One registration per endpoint: the method and path, who may call it, the schemas of its params,
// query and body, and its handler. The app mounts the registrations and the OpenAPI document is
// built from the same list, so the two cannot drift. Parsing, the role check and, for routes of
// one treatment, its lookup with visibility and the access log happen here, once per request.
import type { Request, RequestHandler, Response, Router } from 'express';
import type { z } from 'zod';
import type { Caller } from './auth';
import { forbidden, parse } from './errors';
import type { TreatmentRecord } from './treatments/service';

/** Who may call: one role, clinicians and ops, any signed-in caller, or anyone (no token). */
export type Role = 'clinician' | 'patient' | 'ops' | 'none' | 'clinician+ops' | 'any';

/** What the OpenAPI document says of a route. */
export interface RouteDoc {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** OpenAPI form: /api/treatments/{id} */
  path: string;
  summary: string;
  role: Role;
  params?: z.ZodObject;
  query?: z.ZodType;
  body?: z.ZodType;
  ok: number;
  /** The body of the `ok` answer (JSON); none for 204. The suite checks every real answer against it. */
  response?: z.ZodType;
  /** Other statuses whose answer has the same body (/readyz's 503). */
  also?: number[];
  alsoDescription?: string;
  /** A patient's write that grows the treatment's history: counted against the hourly quota first. */
  patientWrite?: true;
  /** An answer that is not JSON (Prometheus text, HTML). */
  produces?: 'text/plain' | 'text/html';
}

export interface Ctx<P, Q, B> {
  req: Request;
  res: Response;
  params: P;
  query: Q;
  body: B;
  /** The treatment the route is about (`treatment` in the registration): visible to the caller, its access logged. */
  treatment: TreatmentRecord;
  /** The answer's status when it differs from the registration's `ok` (200 for an existing treatment, say). */
  status?: number;
}

export interface Route<P extends z.ZodObject | undefined = z.ZodObject | undefined, Q extends z.ZodType | undefined = z.ZodType | undefined, B extends z.ZodType | undefined = z.ZodType | undefined> extends RouteDoc {
  params?: P;
  query?: Q;
  body?: B;
  /** Resolve the route's treatment before the handler: the clinician's (by :id) or the patient's own. */
  treatment?: 'clinician' | 'patient';

  /** The body of the answer (none for 204). */
  handle(ctx: Ctx<Parsed<P>, Parsed<Q>, Parsed<B>>): Promise<unknown> | unknown;
}
type Parsed<S> = S extends z.ZodType ? z.infer<S> : undefined;

/** Typed registration (the handler's ctx is inferred from the schemas). */
export function route<P extends z.ZodObject | undefined, Q extends z.ZodType | undefined, B extends z.ZodType | undefined>(r: Route<P, Q, B>): Route {
  return r as unknown as Route;
}

export interface TreatmentResolvers {
  clinician(req: Request, res: Response, id: string): Promise<TreatmentRecord>;
  patient(req: Request, res: Response): Promise<TreatmentRecord>;
  /** Counts a patient's write of the treatment (429 past the quota). */
  chargeWrite(treatmentId: string): Promise<void>;
}

function allows(role: Role, caller: Caller | undefined): boolean {
  if (role === 'none') return true;
  if (!caller) return false;
  if (role === 'any') return true;
  if (role === 'clinician+ops') return caller.role === 'clinician' || caller.role === 'ops';
  return caller.role === role;
}

const expressPath = (openApiPath: string) => openApiPath.replace(/\{(\w+)\}/g, ':$1');

/** Mounts the registrations on a router, each behind authentication unless its role is 'none'. */
export function mountRoutes(router: Router, routes: Route[], authenticate: RequestHandler, treatments: TreatmentResolvers): void {
  for (const r of routes) {
    const guard: RequestHandler[] = r.role === 'none' ? [] : [authenticate, (_req, res, next) => {
      if (!allows(r.role, res.locals.caller as Caller | undefined)) throw forbidden(`this endpoint is for the ${r.role.replace('+', ' and ')} role`);
      next();
    }];
    router[r.method](expressPath(r.path), ...guard, async (req: Request, res: Response) => {
      const params = r.params ? parse(r.params, req.params, 'params') : undefined;
      const query = r.query ? parse(r.query, req.query, 'query') : undefined;
      const body = r.body ? parse(r.body, req.body) : undefined;
      const ctx: Ctx<unknown, unknown, unknown> = { req, res, params, query, body, treatment: undefined as unknown as TreatmentRecord };
      if (r.treatment === 'clinician') ctx.treatment = await treatments.clinician(req, res, (params as { id: string }).id);
      if (r.treatment === 'patient') ctx.treatment = await treatments.patient(req, res);
      if (r.patientWrite) await treatments.chargeWrite(ctx.treatment._id);
      const answer = await r.handle(ctx as Parameters<Route['handle']>[0]);
      if (res.headersSent) return; // the handler answered itself (another content type)
      const status = ctx.status ?? r.ok;
      if (answer === undefined) res.status(status).end();
      else res.status(status).json(answer);
    });
  }
}
