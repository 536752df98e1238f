// A small error hierarchy, mapped to RFC 9457 problem details by one middleware.
import type { ErrorRequestHandler } from 'express';
import { z } from 'zod';
import pRetry from 'p-retry';
import { WorkflowUpdateFailedError, WorkflowNotFoundError, ServiceError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { FAILURE_TYPES } from '../domain/types';
import { ACTIVITY_FAILURE_TYPES } from '../activities/failures';
import { logger as rootLogger } from '../infra/logger';

/**
 * One thing wrong with the request, at the field it names (its path in the body or query). `message`
 * is English for developers; `code` says what is wrong for a client to put in its own words: zod's
 * issue codes (too_small, too_big, invalid_type, invalid_format, invalid_value, unrecognized_keys,
 * custom) and the API's own (unknown: no such thing, rate_limited, wrong_code, code_expired,
 * no_code). A limit comes along: `minimum`/`maximum` (a number, a length, a count or a date) and
 * `origin`, what it counts (number, string, array, date); `format` names an expected format.
 */
export interface FieldError {
  field: string; message: string; code: string;
  origin?: string; minimum?: number | string; maximum?: number | string; format?: string;
}
type Reason = Omit<FieldError, 'field' | 'message'>;

/**
 * The problem types beyond the status (RFC 9457 `type`; otherwise about:blank, the status says it):
 * a 400 whose `errors` name the fields, and the 409s a client words differently.
 */
export const PROBLEM_TYPES = {
  validation: 'urn:tobakshjalpen:problem:validation',
  readOnly: 'urn:tobakshjalpen:problem:read-only',
  notOpen: 'urn:tobakshjalpen:problem:not-open',
  answerTimePassed: 'urn:tobakshjalpen:problem:answer-time-passed',
  alreadyAnswered: 'urn:tobakshjalpen:problem:already-answered',
} as const;

export class HttpError extends Error {
  constructor(
    readonly status: number, readonly title: string, detail?: string, readonly errors: FieldError[] = [], readonly headers: Record<string, string> = {},
    readonly type: string = status === 400 && errors.length ? PROBLEM_TYPES.validation : 'about:blank',
  ) {
    super(detail ?? title);
  }
}

export const badRequest = (field: string, message: string, reason: Reason = { code: 'invalid_value' }) =>
  new HttpError(400, 'Invalid request', `${field}: ${message}`, [{ field, message, ...reason }]);
export const notFound = (what = 'treatment') => new HttpError(404, 'Not found', `no such ${what}`);
export const conflict = (detail: string, type = 'about:blank') => new HttpError(409, 'Conflict', detail, [], {}, type);
export const forbidden = (detail: string) => new HttpError(403, 'Forbidden', detail);
export const unauthorized = (detail = 'a valid bearer token is required') => new HttpError(401, 'Unauthorized', detail);
export const unavailable = (detail: string) => new HttpError(503, 'Service unavailable', detail);

/** A zod issue's reason, machine-readable: its code, and the limit or format it names. */
export function reasonOf(issue: z.core.$ZodIssue): Reason {
  const reason: Reason = { code: issue.code };
  if (issue.code === 'too_small' || issue.code === 'too_big') {
    reason.origin = issue.origin;
    const limit = issue.code === 'too_small' ? issue.minimum : issue.maximum;
    const value = typeof limit === 'bigint' ? Number(limit) : limit;
    if (issue.code === 'too_small') reason.minimum = value; else reason.maximum = value;
  }
  if (issue.code === 'invalid_format') reason.format = issue.format;
  if (issue.code === 'invalid_type') reason.origin = issue.expected;
  return reason;
}

/**
 * A zod failure as a 400 naming each field, with the reason why (reasonOf). Under a prefix (a form's
 * answers), a key not asked for is named in the field.
 */
export function fromZod(error: z.ZodError, location: 'body' | 'query' | 'params' = 'body', prefix: string[] = []): HttpError {
  const errors: FieldError[] = error.issues.map((issue) => {
    const path = [...prefix, ...issue.path.map(String), ...(prefix.length && issue.code === 'unrecognized_keys' ? [issue.keys.join(',')] : [])];
    return { field: path.length ? path.join('.') : location, message: issue.message, ...reasonOf(issue) };
  });
  return new HttpError(400, 'Invalid request', errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
}

export function parse<T extends z.ZodType>(schema: T, value: unknown, location: 'body' | 'query' | 'params' = 'body'): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw fromZod(result.error, location);
  return result.data;
}

/**
 * Each typed failure a workflow rule or an activity throws (ApplicationFailure's `type`), and the
 * answer it becomes: the caller's request named something that is not there (404) or came at the
 * wrong time (409). An activity that lacks its wiring is ours, not the caller's: 503.
 */
export const FAILURE_STATUS: Record<string, { status: number; title: string }> = {
  [FAILURE_TYPES.unknownModule]: { status: 404, title: 'Not found' },
  [FAILURE_TYPES.unknownSection]: { status: 404, title: 'Not found' },
  [FAILURE_TYPES.unknownForm]: { status: 404, title: 'Not found' },
  [FAILURE_TYPES.illegalTransition]: { status: 409, title: 'Conflict' },
  [ACTIVITY_FAILURE_TYPES.treatmentNotFound]: { status: 404, title: 'Not found' },
  [ACTIVITY_FAILURE_TYPES.notArchived]: { status: 409, title: 'Conflict' },
  [ACTIVITY_FAILURE_TYPES.misconfigured]: { status: 503, title: 'Service unavailable' },
};

/** The first typed failure along the cause chain (an update's failure, an activity's or child's failure inside it). */
function typedFailure(err: unknown): ApplicationFailure | null {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) {
    if (e instanceof ApplicationFailure && e.type && FAILURE_STATUS[e.type]) return e;
  }
  return null;
}

/** Turns a rejected or failed workflow update into the answer the client should see. */
export function fromWorkflowError(err: unknown): unknown {
  const typed = typedFailure(err);
  if (typed) {
    const { status, title } = FAILURE_STATUS[typed.type!]!;
    return new HttpError(status, title, typed.message);
  }
  if (err instanceof WorkflowUpdateFailedError) {
    const cause = err.cause;
    rootLogger.error({ cause: { name: (cause as Error | undefined)?.name, type: (cause as ApplicationFailure | undefined)?.type } }, 'update failed');
  }
  if (err instanceof WorkflowNotFoundError) return unavailable('the treatment workflow is not running');
  return err;
}

function isUnavailable(err: unknown): boolean {
  if (err instanceof ServiceError) return true;
  const name = (err as { name?: string })?.name ?? '';
  return /^Mongo(ServerSelection|Network|NotConnected)Error$/.test(name) || /MongooseServerSelectionError/.test(name)
    || (err instanceof Error && (/client must be connected|buffering timed out|connection .* closed/i.test(err.message) || isStoreBusy(err)));
}

/** FerretDB on SQLite refuses a write while another holds the lock; it is worth trying again. */
export function isStoreBusy(err: unknown): boolean {
  // A write conflict (MongoDB's code 112) is as transient as a busy SQLite file.
  return err instanceof Error && (/SQLITE_BUSY|SQLITE_LOCKED|database (table )?is locked/.test(err.message) || (err as { code?: number }).code === 112);
}

/** Runs a MongoDB operation again when the store was only busy. */
export async function retryWhenBusy<T>(op: () => Promise<T>, attempts = 6): Promise<T> {
  // 40 ms, 80 ms, … on average (p-retry's jitter is ×1 to ×2), about 1.2 s in all, as before.
  return pRetry(op, { retries: attempts - 1, factor: 2, minTimeout: 27, randomize: true, shouldRetry: ({ error }) => isStoreBusy(error) });
}

export const problemHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const logger = (res.locals.log as typeof rootLogger | undefined) ?? rootLogger;
  let problem: HttpError;
  const typed = err instanceof HttpError ? null : typedFailure(err);
  if (err instanceof HttpError) problem = err;
  else if (typed) problem = new HttpError(FAILURE_STATUS[typed.type!]!.status, FAILURE_STATUS[typed.type!]!.title, typed.message);
  else if ((err as { type?: string }).type === 'entity.parse.failed') problem = badRequest('body', 'is not valid JSON', { code: 'invalid_format', format: 'json' });
  else if ((err as { type?: string }).type === 'entity.too.large') problem = new HttpError(413, 'Payload too large', 'the request body is too large');
  else if (isUnavailable(err)) {
    logger.warn({ err: { name: (err as Error).name, message: (err as Error).message }, path: req.route?.path }, 'backing service unavailable');
    problem = unavailable('a backing service is unavailable; try again shortly');
  } else {
    logger.error({ err: { name: (err as Error)?.name, message: (err as Error)?.message, stack: (err as Error)?.stack } }, 'unhandled error');
    problem = new HttpError(500, 'Internal error', 'something went wrong on our side');
  }
  for (const [name, value] of Object.entries(problem.headers)) res.setHeader(name, value);
  res.status(problem.status).type('application/problem+json').json({
    type: problem.type,
    title: problem.title,
    status: problem.status,
    detail: problem.message,
    ...(problem.errors.length ? { errors: problem.errors } : {}),
  });
};
