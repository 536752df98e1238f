// The typed REST client: paths, parameters and bodies come from the API's OpenAPI document
// (schema.d.ts, generated at build time). Where the document does not yet describe an answer's
// body, the local types in ./types say what the app reads.
import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';
import { currentSession } from '../auth';

export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  errors?: Array<{ field: string; message: string }>;
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

const auth: Middleware = {
  onRequest({ request }) {
    const s = currentSession();
    if (s) request.headers.set('authorization', `Bearer ${s.accessToken}`);
    return request;
  },
};

export const api = createClient<paths>({ baseUrl: '' });
api.use(auth);

/** Unwraps an openapi-fetch answer: the body as T, or throws ApiError with the problem details. */
export async function unwrap<T>(call: Promise<{ data?: unknown; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) {
    const e = (error ?? {}) as Partial<Problem>;
    throw new ApiError({ ...e, status: response.status, title: e.title ?? response.statusText });
  }
  return data as T;
}
