// Calls to the REST API through the one typed client (api/client.ts, generated paths and bodies):
// `request` answers the body as the OpenAPI document types it, or throws ApiError with the
// problem details. No cast: the problem is read with zod, the body narrowed by its presence.
import { z } from 'zod';
import { ApiError } from '../api/client';

const limit = z.union([z.number(), z.string()]).optional();
const problemSchema = z.object({
  type: z.string().optional(),
  title: z.string().optional(),
  detail: z.string().optional(),
  errors: z.array(z.object({
    field: z.string(), message: z.string(), code: z.string().optional(), origin: z.string().optional(), minimum: limit, maximum: limit, format: z.string().optional(),
  })).optional(),
});

function problemOf(error: unknown, response: Response): ApiError {
  const parsed = problemSchema.safeParse(error);
  const problem = parsed.success ? parsed.data : {};
  const retryAfter = Number(response.headers.get('retry-after'));
  return new ApiError({ ...problem, status: response.status, title: problem.title ?? response.statusText, ...(retryAfter > 0 ? { retryAfter } : {}) });
}

type Answer<D> = Promise<{ data?: D; error?: unknown; response: Response }>;

/** The answer's body (2xx with a body), or ApiError. */
export async function request<D>(call: Answer<D>): Promise<D> {
  const { data, error, response } = await call;
  if (!response.ok) throw problemOf(error, response);
  if (data === undefined) throw new ApiError({ status: response.status, title: 'Tomt svar från servern' });
  return data;
}

/** A call whose answer is only its status (204, or a body the page does not read). */
export async function send(call: Answer<unknown>): Promise<void> {
  const { error, response } = await call;
  if (!response.ok) throw problemOf(error, response);
}

/** The answer's body and status (Starta answers 200 for an existing treatment, 201 for a new one). */
export async function requestWithStatus<D>(call: Answer<D>): Promise<{ data: D; status: number }> {
  const { data, error, response } = await call;
  if (!response.ok) throw problemOf(error, response);
  if (data === undefined) throw new ApiError({ status: response.status, title: 'Tomt svar från servern' });
  return { data, status: response.status };
}
