// The typed REST client: paths, parameters and bodies come from the API's OpenAPI document
// (schema.d.ts, generated from the served /openapi.json by `npm run web:types`), and so are the
// answers the app reads; lib/api.ts unwraps them without a cast.
import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';
import { chosenCareUnit, CSRF_HEADER, currentSession, sessionEnded } from '../auth';

export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  errors?: Array<{ field: string; message: string }>;
  /** Seconds to wait (Retry-After on 429), when the API said. */
  retryAfter?: number;
}

/** An answer other than 2xx: the problem details, in words for the user. */
export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title ?? `Fel ${problem.status}`);
  }
  /** The message for one field (by its name in the request body), if the API named it. */
  fieldError(field: string): string | undefined {
    return this.problem.errors?.find((e) => e.field === field || e.field.endsWith(`.${field}`))?.message;
  }
}

// The session cookie goes along by itself (same origin); the CSRF header marks the call as the
// app's own, which a cross-site page cannot send. A 401 means the session has ended. A clinician
// with several care units names the one chosen to work in (x-care-unit): the access log records it.
const auth: Middleware = {
  onRequest({ request }) {
    for (const [k, v] of Object.entries(CSRF_HEADER)) request.headers.set(k, v);
    const unit = (currentSession()?.careUnits.length ?? 0) > 1 ? chosenCareUnit() : null;
    if (unit) request.headers.set('x-care-unit', unit);
    return request;
  },
  onResponse({ response }) {
    if (response.status === 401) sessionEnded();
    return response;
  },
};

export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });
api.use(auth);
