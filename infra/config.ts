// Configuration is read and validated once; a bad value stops the process with one line naming it.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { dbNameOf } from './db-name';
import { isValidDuration } from '../domain/durations';

const port = z.coerce.number().int().min(0).max(65535);
const optionalString = z.string().trim().min(1).optional();
/** A poller count (a fixed maximum, at least 2) or `auto` (the SDK's autoscaling pollers). */
const pollers = z.string().trim().regex(/^(auto|\d{1,4})$/, 'must be a number of pollers (2 or more) or auto')
  .refine((v) => v === 'auto' || Number(v) >= 2, 'must be a number of pollers (2 or more) or auto');

/**
 * The worker's defaults, chosen by measurement (docs/performance.md, "Worker settings"): a sticky
 * cache that holds every open treatment of a worker (10,000), so a timer's task never replays; more
 * workflow-task slots and pollers than the SDK's 40 and 10, so a minute with many deadlines drains
 * quickly.
 */
export const WORKER_DEFAULTS = {
  maxCachedWorkflows: 10_000,
  maxConcurrentWorkflowTaskExecutions: 40,
  maxConcurrentActivityTaskExecutions: 100,
  maxConcurrentLocalActivityExecutions: 100,
  workflowPollers: '10',
  activityPollers: '10',
  workflowThreads: 1,
} as const;

/** Whether production requires a setting: every production process, or a production process that serves the API. */
export type ProductionNeed = 'required' | 'api';

/** One setting: its zod schema with its default, a one-line description, and whether production requires it. */
export interface Setting<S extends z.ZodType = z.ZodType> {
  schema: S;
  description: string;
  production?: ProductionNeed;
  /** The default in words, where it is computed rather than fixed in the schema (docs only). */
  computedDefault?: string;
  /** A secret, and the kind of value a new one is (`npm run stack` makes its own with NEW_SECRET). */
  secret?: keyof typeof NEW_SECRET;
  /** The compose file requires it (`${NAME:?}`) though the process runs without it (mail, SMS). */
  composeRequires?: true;
}

/** How a new secret of each kind is made: hex (safe inside a URL), a base64 key, a key list `id:key`. */
export const NEW_SECRET = {
  hex: () => randomBytes(32).toString('hex'),
  key: () => randomBytes(32).toString('base64'),
  keys: () => `k1:${randomBytes(32).toString('base64')}`,
} as const;

const setting = <S extends z.ZodType>(schema: S, description: string, more: Omit<Setting, 'schema' | 'description'> = {}): Setting<S> => ({ schema, description, ...more });
const GENERATED = 'generated in `DATA_DIR/secrets` (development)';

/**
 * Every setting the processes read, declared once: `loadConfig` parses the environment with these
 * schemas, `npm run docs:config` writes docs/configuration.md and .env.example from them, and
 * test/config-declaration.test.ts checks deploy/compose.env.example against them.
 */
export const SETTINGS = {
  NODE_ENV: setting(z.string().default('development'), '`production` turns on the production checks: the settings production requires, no development tokens, no placeholder secrets, no `/metrics` or `/docs` on the API port'),
  PORT: setting(port.default(3000), 'the port the API and the web app listen on (0: a free one)'),
  HOST: setting(z.string().default('127.0.0.1'), "the API's bind address (0.0.0.0 in a container)"),
  DATA_DIR: setting(z.string().default('.data'), "the embedded servers' data and the development secrets (`DATA_DIR/secrets`)"),
  LOG_LEVEL: setting(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'), 'the log level (pino): fatal, error, warn, info, debug, trace or silent'),
  TEMPORAL_ADDRESS: setting(optionalString, 'host:port of the Temporal frontend; with `MONGODB_URI` also set, nothing embedded starts', { production: 'required', computedDefault: 'an embedded dev server (development)' }),
  TEMPORAL_NAMESPACE: setting(z.string().default('default'), 'the Temporal namespace'),
  TEMPORAL_TASK_QUEUE: setting(z.string().default('treatments'), 'the task queue the workers poll and the API starts treatments on'),
  TEMPORAL_PORT: setting(port.default(7233), "the embedded dev server's gRPC port (development)"),
  TEMPORAL_UI_PORT: setting(port.default(8233), "the embedded dev server's web UI port (development)"),
  MONGODB_URI: setting(optionalString, 'the MongoDB connection string (the path names the database), e.g. `mongodb://db:27017/tobakshjalpen?replicaSet=rs0`', { production: 'required', computedDefault: 'an embedded FerretDB (development)' }),
  MONGODB_PORT: setting(port.default(27017), "the embedded FerretDB's port (development)"),
  PATIENT_KEY_SECRET: setting(z.string().min(32, 'must be at least 32 characters').optional(), 'the HMAC key of the patient keys (the personnummer hash), at least 32 characters; changing it orphans existing patient keys', { production: 'required', computedDefault: GENERATED, secret: 'hex' }),
  AUTH_MODE: setting(z.enum(['development', 'production']).optional(), 'how the API verifies tokens: `production` (`JWKS_URL`, `JWT_ISSUER`, `JWT_AUDIENCE`) or `development` (loopback only)', { computedDefault: '`production` when `NODE_ENV=production`; `development` in `npm start`, `npm run token` and the tests; otherwise the API requires it' }),
  TOKEN_MAX_AGE_HOURS: setting(z.coerce.number().int().min(1).max(24).default(12), 'the longest a token may live, in hours (`exp` and `iat` are required)'),
  DEV_JWT_SECRET: setting(z.string().min(32, 'must be at least 32 characters').optional(), 'the HS256 key of development tokens (`npm run token`), at least 32 characters; development only', { computedDefault: GENERATED }),
  JWKS_URL: setting(z.url().optional(), "where the API fetches the identity provider's signing keys (JWKS)", { production: 'api' }),
  JWT_ISSUER: setting(optionalString, 'the `iss` every token must carry', { production: 'api' }),
  JWT_AUDIENCE: setting(optionalString, 'the `aud` every token must carry', { production: 'api' }),
  OIDC_ISSUER: setting(z.url().optional(), 'the OpenID Connect provider the API signs web-app users in at', { computedDefault: '`JWT_ISSUER` in production; the local provider in development' }),
  OIDC_CLIENT_ID: setting(z.string().trim().min(1).default('tobakshjalpen-web'), "the API's client id at that provider"),
  DEV_OIDC_PORT: setting(port.optional(), "the development OpenID Connect provider's port (development)", { computedDefault: '`PORT` + 1 (a free port when `PORT` is 0)' }),
  PROGRAM_OVERRIDES: setting(optionalString, 'a JSON file deep-merged into the programs (arrays of objects with ids, such as modules, merge by id)'),
  SMTP_URL: setting(z.string().regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL').optional(), 'the e-mail transport, `smtp[s]://user:password@host:port` (nodemailer); the worker sends notices and the API verification codes through it; unset in production, no e-mail goes out (the compose file requires it)', { computedDefault: 'a local capture in `npm start`', composeRequires: true }),
  SMTP_FROM: setting(z.string().default('Tobakshjälpen <no-reply@tobakshjalpen.invalid>'), 'the sender of e-mail'),
  SMTP_FROM_NEUTRAL: setting(z.string().default('1177 e-tjänster <no-reply@e-tjanster.invalid>'), 'the sender of neutral notices (to an address the patient has not confirmed): no program name in it'),
  SMS_GATEWAY_URL: setting(z.url().optional(), 'the HTTP SMS gateway (`POST {to, message}` with an `Idempotency-Key` header); the worker and the API send through it; unset in production, no SMS goes out (the compose file requires it)', { computedDefault: 'a local capture in `npm start`', composeRequires: true }),
  SMS_GATEWAY_TOKEN: setting(optionalString, "the SMS gateway's bearer token (the compose file requires it)", { secret: 'hex', composeRequires: true }),
  PUBLIC_URL: setting(z.url().optional(), "the web app's origin: links in e-mails, the sign-in's redirect (`/auth/callback`), the session cookie (`Secure` and `__Host-` over https) and the CSRF origin check", { production: 'required', computedDefault: '`http://HOST:PORT`' }),
  SESSION_IDLE_MINUTES: setting(z.coerce.number().positive().max(24 * 60).default(30), 'a web-app session ends after this many minutes unused (fractions allowed, for tests)'),
  SESSION_ABSOLUTE_HOURS: setting(z.coerce.number().positive().max(7 * 24).default(12), 'a web-app session ends this many hours after sign-in, used or not (fractions allowed)'),
  OIDC_CLIENT_SECRET: setting(optionalString, "the API's client secret at the provider (`client_secret_basic`)", { computedDefault: 'none: a public client with PKCE only' }),
  NOTIFY_MAX_PER_RECIPIENT_PER_HOUR: setting(z.coerce.number().int().min(1).max(10_000).default(10), 'notices to one address or number per hour; the rest end `suppressed`'),
  NOTIFY_COALESCE_MINUTES: setting(z.coerce.number().int().min(0).max(1440).default(15), 'a repeated "something waits" notice within this many minutes is `coalesced`'),
  NOTIFICATION_MAX_ATTEMPTS: setting(z.coerce.number().int().min(1).max(100).default(10), 'attempts before a notification ends `failed`'),
  ARCHIVE_MONGODB_URI: setting(optionalString, 'the gallring archive on another MongoDB server', { computedDefault: 'the `MONGODB_URI` server' }),
  ARCHIVE_DB: setting(z.string().regex(/_archive$/, 'must end in _archive').optional(), "the gallring archive's database (its name ends in `_archive`)", { computedDefault: '`<database>_archive`' }),
  ARCHIVE_KEY: setting(z.string().regex(/^[A-Za-z0-9+/=]{43,44}$/, 'must be base64 of 32 random bytes (openssl rand -base64 32)').optional(), "the archive's own key (not the payload codec's), base64 of 32 random bytes: every archived record is sealed with it", { production: 'required', computedDefault: GENERATED, secret: 'key' }),
  ARCHIVE_RETENTION: setting(z.string().refine(isValidDuration, 'must be an ISO 8601 duration such as P10Y').default('P10Y'), 'how long an archived record is kept after gallring (ISO 8601 duration); the nightly retention sweep deletes it then'),
  ACCESS_LOG_RETENTION: setting(z.string().refine(isValidDuration, 'must be an ISO 8601 duration such as P10Y').default('P10Y'), 'how long access-log entries (PDL logs) are kept (ISO 8601 duration); the nightly retention sweep deletes older ones'),
  CARE_UNIT_REGIONS: setting(optionalString, 'a JSON object, or the path of a JSON file, mapping care unit ids to a region id, or to `{ "region"?, "name"? }`: the region for statistics, the name people read ([care units by name](operations.md#care-units-by-name))', { computedDefault: 'none (`npm start` and the tests: names for the demo units)' }),
  PAYLOAD_KEYS: setting(z.string().regex(/^[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/=]{43,44}(,[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/=]{43,44})*$/, 'must be "id:base64-32-byte-key[,id:key…]"').optional(), 'master keys of the payload codec, `id:base64-of-32-bytes[,id:key…]`; the first encrypts; the API and the worker share them', { production: 'required', computedDefault: GENERATED, secret: 'keys' }),
  CODEC_CORS_ORIGIN: setting(optionalString, 'the Temporal UI origin whose browser may call the codec server (`/codec`)', { computedDefault: 'the embedded UI, `http://127.0.0.1:TEMPORAL_UI_PORT`' }),
  TRUST_PROXY: setting(z.string().regex(/^(true|false|\d{1,2}|[0-9a-fA-F.:/,\s]+|loopback|linklocal|uniquelocal)$/, 'must be true, false, a hop count or addresses (express trust proxy)').optional(), "Express's `trust proxy`: true, false, a hop count, or the load balancers' addresses whose `X-Forwarded-For` is believed"),
  RATE_LIMIT_PER_MINUTE: setting(z.coerce.number().int().min(1).max(1_000_000).default(600), 'requests per minute per caller (token subject, or address until a token verifies) and API replica'),
  // 03:15 exists every night in Sweden, once: 02:15 is skipped on the spring DST Sunday and repeats in autumn.
  NIGHTLY_CRON: setting(z.string().default('15 3 * * *'), 'when the nightly jobs tick (cron, Europe/Stockholm; pick a time that exists every night, once)'),
  NIGHTLY_JOBS: setting(z.enum(['on', 'off']).default('on'), 'whether a worker schedules the nightly jobs: `on` or `off`'),
  ACTIVITY_PLANS_MAX: setting(z.coerce.number().int().min(1).max(100).default(10), 'activity plans not stopped, per treatment'),
  PATIENT_WRITES_PER_HOUR: setting(z.coerce.number().int().min(1).max(100_000).default(60), "a patient's messages, conversations, forms and activity answers per treatment and hour (then 429 with `Retry-After`); each grows the workflow's history"),
  METRICS_PORT: setting(port.optional(), '`npm run worker` and `npm run api` serve `/metrics` on this port, apart from the public port', { computedDefault: 'none' }),
  METRICS_HOST: setting(z.string().default('127.0.0.1'), 'where `METRICS_PORT` listens (0.0.0.0 in a container scraped over its private network)'),
  API_DOCS: setting(z.enum(['on', 'off']).optional(), '`/docs` and `/openapi.json` on the API port: `on` or `off`', { computedDefault: '`on` in development, `off` in production' }),
  WORKER_METRICS_PORT: setting(port.optional(), "the Temporal worker core's own Prometheus endpoint", { computedDefault: 'a free port' }),
  // The Temporal worker's capacity (docs/performance.md, "Worker settings").
  WORKER_MAX_CACHED_WORKFLOWS: setting(z.coerce.number().int().min(0).max(1_000_000).default(WORKER_DEFAULTS.maxCachedWorkflows), "the worker's sticky cache: open treatments kept in memory (about 0.31 MB each); one outside it replays its history at its next task; 0 turns the cache off ([performance](performance.md#worker-settings))"),
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: setting(z.coerce.number().int().min(2).max(10_000).default(WORKER_DEFAULTS.maxConcurrentWorkflowTaskExecutions), "the worker's slots for workflow tasks (at most `WORKER_MAX_CACHED_WORKFLOWS`)"),
  WORKFLOW_BUNDLE: setting(optionalString, "a file with the workflow code bundled beforehand (`bundleWorkflowCode`'s output): the worker loads it instead of bundling `workflows/` at its start (seconds of CPU); `npm test` makes one per run for all its processes", { computedDefault: 'bundled at the worker\'s start' }),
  WORKER_MAX_CONCURRENT_ACTIVITIES: setting(z.coerce.number().int().min(1).max(10_000).default(WORKER_DEFAULTS.maxConcurrentActivityTaskExecutions), "the worker's slots for activities"),
  WORKER_MAX_CONCURRENT_LOCAL_ACTIVITIES: setting(z.coerce.number().int().min(1).max(10_000).default(WORKER_DEFAULTS.maxConcurrentLocalActivityExecutions), "the worker's slots for local activities"),
  WORKER_WORKFLOW_POLLERS: setting(pollers.default(WORKER_DEFAULTS.workflowPollers), "workflow-task pollers: a number (2 or more, at most the slots) or `auto` (scaled by the server's feedback)"),
  WORKER_ACTIVITY_POLLERS: setting(pollers.default(WORKER_DEFAULTS.activityPollers), 'activity-task pollers: a number (2 or more) or `auto`'),
  WORKER_WORKFLOW_THREADS: setting(z.coerce.number().int().min(1).max(64).default(WORKER_DEFAULTS.workflowThreads), "threads that run workflow tasks (the SDK's default, 1, with its shared V8 context)"),
  SERVER_CACHE_DIR: setting(optionalString, 'where the development servers are built and found', { computedDefault: '`$XDG_CACHE_HOME/tobakshjalpen` (`~/.cache/tobakshjalpen`)' }),
  XDG_CACHE_HOME: setting(optionalString, "the user's cache directory, under which `SERVER_CACHE_DIR` is by default", { computedDefault: '`~/.cache`' }),
  TEMPORAL_CLI_PATH: setting(optionalString, 'a `temporal` binary to use instead of building one (development)'),
  FERRETDB_PATH: setting(optionalString, 'a `ferretdb` binary to use instead of building one (development)'),
};

/**
 * Variables of temporal-docker-compose.yml that no process reads: the compose file passes them to
 * the servers it runs (deploy/compose.env.example sets them).
 */
export const COMPOSE_SETTINGS = {
  POSTGRES_PASSWORD: setting(z.string().min(1), 'the password of the `temporal` PostgreSQL role (the Temporal server and its schema job)', { production: 'required', secret: 'hex' }),
  MONGODB_PASSWORD: setting(z.string().min(1), 'the password of the `tobakshjalpen` MongoDB user; the compose file puts it in `MONGODB_URI`', { production: 'required', secret: 'hex' }),
  TEMPORAL_UI_ORIGIN: setting(z.url().default('http://localhost:8080'), "the Temporal UI's browser origin: its CORS allow-list and the API's `CODEC_CORS_ORIGIN`"),
  TEMPORAL_UI_AUTH_PROVIDER_URL: setting(z.url(), "the OpenID Connect provider operators sign in to the Temporal UI at (the region's)", { production: 'required' }),
  TEMPORAL_UI_AUTH_CLIENT_ID: setting(z.string().min(1), "the Temporal UI's client id at that provider", { production: 'required' }),
  TEMPORAL_UI_AUTH_CLIENT_SECRET: setting(z.string().min(1), "the Temporal UI's client secret at that provider", { production: 'required', secret: 'hex' }),
  TEMPORAL_NAMESPACE_RETENTION: setting(z.string().default('720h'), 'how long closed workflows are kept in namespace `default`; used only when the namespace is first created'),
  TEMPORAL_NUM_HISTORY_SHARDS: setting(z.coerce.number().int().min(1).default(512), "the Temporal cluster's history shards: fixed at its first start, never changed afterwards"),
};

/** Every declared setting, the processes' and the compose file's own. */
export const DECLARED_SETTINGS: Record<string, Setting> = { ...SETTINGS, ...COMPOSE_SETTINGS };

/**
 * What the compose file must require of its caller (`${NAME:?}`), by the declaration: every setting
 * it reads that production requires, that is a secret, or that it requires on its own account.
 */
export function composeMustRequire(composeText: string): string[] {
  return Object.entries(DECLARED_SETTINGS)
    .filter(([name, s]) => (s.production || s.secret || s.composeRequires) && composeText.includes(`\${${name}`))
    .map(([name]) => name).sort();
}

type Shape<T extends Record<string, Setting>> = { [K in keyof T]: T[K]['schema'] };
const shapeOf = <T extends Record<string, Setting>>(settings: T) => Object.fromEntries(Object.entries(settings).map(([name, s]) => [name, s.schema])) as Shape<T>;
const envSchema = z.object(shapeOf(SETTINGS));

export type Env = z.infer<typeof envSchema>;

export interface Config {
  env: Env;
  port: number;
  host: string;
  dataDir: string;
  production: boolean;
  temporal: { address?: string; namespace: string; taskQueue: string; port: number; uiPort: number };
  mongo: { uri?: string; port: number };
  patientKeySecret: string;
  /** Tokens need exp and iat, and may live at most this long. */
  tokenMaxAgeSeconds: number;
  /** How the API verifies tokens; null in a process that serves no API (a worker alone). */
  auth: AuthConfig | null;
  programOverrides?: string;
  archive: { uri?: string; dbName: string; key: Buffer; retention: string };
  /** How long access-log entries are kept. */
  accessLogRetention: string;
  /** Master keys of the payload codec, "id:base64key,…"; the first encrypts. */
  payloadKeys: string;
  /** The Temporal UI origin that may call the codec server. */
  codecCorsOrigin: string;
  /** Express's `trust proxy`: hops or addresses of load balancers whose X-Forwarded-For is believed. */
  trustProxy?: boolean | number | string;
  /** Requests per minute per caller (token subject, or address until a token verifies). */
  rateLimitPerMinute: number;
  /** Care unit id -> region id, for statistics by region. */
  careUnitRegions: Record<string, string>;
  /** Care unit id -> the unit's name, as clinicians and patients read it (CARE_UNIT_REGIONS' objects). */
  careUnitNames: Record<string, string>;
  nightly: { cron: string; enabled: boolean };
  /** At most this many activity plans that have not been stopped, per treatment. */
  activityPlansMax: number;
  /** Our Prometheus metrics when a worker runs alone (METRICS_PORT). */
  metricsPort?: number;
  metricsHost: string;
  /** A patient's writes per treatment and hour (PATIENT_WRITES_PER_HOUR). */
  patientWritesPerHour: number;
  /** /metrics on the API port (development only; production serves it on METRICS_PORT, off the public port). */
  metricsOnApiPort: boolean;
  /** /docs and /openapi.json on the API port (API_DOCS; off in production by default). */
  apiDocs: boolean;
  /** The Temporal worker core's own Prometheus endpoint (WORKER_METRICS_PORT; default a free port). */
  workerMetricsPort?: number;
  /** The Temporal worker's capacity (WORKER_*): sticky cache, task slots and pollers. */
  worker: WorkerSettings;
  /** A workflow bundle made beforehand (WORKFLOW_BUNDLE), else the worker bundles workflows/ itself. */
  workflowBundlePath?: string;
  /** The web app's sign-in: the OpenID Connect issuer and this app's client id (issuer null: no sign-in configured). */
  web: { oidcIssuer: string | null; oidcClientId: string; oidcClientSecret?: string };
  /**
   * The origin browsers use (PUBLIC_URL, no trailing slash; default http://HOST:PORT). With PORT=0
   * the API replaces it by the port it got, unless PUBLIC_URL was given.
   */
  publicUrl: string;
  /** The web app's server-side sessions: idle and absolute limits in milliseconds. */
  session: { idleMs: number; absoluteMs: number };
  /** The development OpenID Connect provider's port (0: a free one). */
  devOidcPort: number;
  /** Where the embedded servers are built and found (development). */
  servers: { cacheDir: string; temporalCliPath?: string; ferretdbPath?: string };
  notifications: {
    smtpUrl?: string; smtpFrom: string; smtpFromNeutral: string; smsGatewayUrl?: string; smsGatewayToken?: string; publicUrl: string; maxAttempts: number;
    /** Notices to one address or number per hour, beyond which they are suppressed. */
    maxPerRecipientPerHour: number;
    /** "Something waits" notices repeated within this many minutes are coalesced. */
    coalesceMinutes: number;
  };
}

/** Pollers: a fixed maximum, or scaled between 1 and 100 by the server's feedback. */
export type Pollers = { type: 'simple-maximum'; maximum: number } | { type: 'autoscaling' };

export interface WorkerSettings {
  maxCachedWorkflows: number;
  maxConcurrentWorkflowTaskExecutions: number;
  maxConcurrentActivityTaskExecutions: number;
  maxConcurrentLocalActivityExecutions: number;
  workflowTaskPollerBehavior: Pollers;
  activityTaskPollerBehavior: Pollers;
  workflowThreadPoolSize: number;
}

const pollersOf = (value: string): Pollers => (value === 'auto' ? { type: 'autoscaling' } : { type: 'simple-maximum', maximum: Number(value) });

function workerSettings(env: Env): WorkerSettings {
  const maxCachedWorkflows = env.WORKER_MAX_CACHED_WORKFLOWS;
  const tasks = env.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS;
  if (maxCachedWorkflows === 1) throw new ConfigError('configuration: WORKER_MAX_CACHED_WORKFLOWS must be 0 (no cache) or at least 2');
  if (maxCachedWorkflows > 0 && tasks > maxCachedWorkflows) {
    throw new ConfigError(`configuration: WORKER_MAX_CONCURRENT_WORKFLOW_TASKS (${tasks}) cannot exceed WORKER_MAX_CACHED_WORKFLOWS (${maxCachedWorkflows})`);
  }
  const workflowPollers = pollersOf(env.WORKER_WORKFLOW_POLLERS);
  if (workflowPollers.type === 'simple-maximum' && workflowPollers.maximum > tasks) {
    throw new ConfigError(`configuration: WORKER_WORKFLOW_POLLERS (${workflowPollers.maximum}) cannot exceed WORKER_MAX_CONCURRENT_WORKFLOW_TASKS (${tasks})`);
  }
  return {
    maxCachedWorkflows,
    maxConcurrentWorkflowTaskExecutions: tasks,
    maxConcurrentActivityTaskExecutions: env.WORKER_MAX_CONCURRENT_ACTIVITIES,
    maxConcurrentLocalActivityExecutions: env.WORKER_MAX_CONCURRENT_LOCAL_ACTIVITIES,
    workflowTaskPollerBehavior: workflowPollers,
    activityTaskPollerBehavior: pollersOf(env.WORKER_ACTIVITY_POLLERS),
    workflowThreadPoolSize: env.WORKER_WORKFLOW_THREADS,
  };
}

export type AuthConfig =
  | {
    mode: 'development'; secret: string; issuer: string; audience: string;
    /** Tokens of the development OpenID Connect provider, verified through its JWKS (as production does). */
    oidc?: { issuer: string; jwksUrl: string };
  }
  | { mode: 'production'; jwksUrl: string; issuer: string; audience: string };

/** What a process needs beyond the common settings: the API needs token verification, a worker does not. */
export interface ConfigNeeds {
  auth?: boolean;
  /** A development entry point (npm start, npm run token, the tests, the benchmark): development tokens by default. */
  development?: boolean;
}

export const DEV_ISSUER = 'tobakshjalpen-dev';
export const DEV_AUDIENCE = 'tobakshjalpen-api';

export class ConfigError extends Error {}

/**
 * Secrets that development needs but nobody should have to invent, each for its setting when that
 * is unset: made once by an entry point at startup (`ensureDevSecrets`), kept in DATA_DIR/secrets,
 * and only read by `loadConfig`. Each is 32 random bytes, base64url.
 */
const DEV_SECRETS = {
  DEV_JWT_SECRET: 'dev-jwt-secret',
  PATIENT_KEY_SECRET: 'patient-key-secret',
  ARCHIVE_KEY: 'archive-key',
  PAYLOAD_KEYS: 'payload-key-dev1',
} as const satisfies Partial<Record<keyof typeof SETTINGS, string>>;

/**
 * Makes the development secrets that DATA_DIR lacks (for the settings the environment leaves
 * unset): what an entry point does at startup, before `loadConfig`, outside production. A bad
 * DATA_DIR or NODE_ENV is left for `loadConfig` to name.
 */
export function ensureDevSecrets(source: Record<string, string | undefined> = process.env): void {
  const parsed = envSchema.pick({ NODE_ENV: true, DATA_DIR: true }).safeParse(source);
  if (!parsed.success || parsed.data.NODE_ENV === 'production') return;
  for (const [variable, name] of Object.entries(DEV_SECRETS)) {
    if (source[variable] !== undefined) continue;
    const file = path.join(path.resolve(parsed.data.DATA_DIR), 'secrets', name);
    if (existsSync(file)) continue;
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    try {
      writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err; // else another process wrote it first
    }
  }
}

/** A development secret made by `ensureDevSecrets` (read only: parsing creates nothing). */
function devSecret(dataDir: string, variable: keyof typeof DEV_SECRETS): string {
  const file = path.join(dataDir, 'secrets', DEV_SECRETS[variable]);
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    throw new ConfigError(`configuration: ${variable} is not set and ${file} does not exist (development: the entry point makes it at startup, ensureDevSecrets)`);
  }
}

/**
 * CARE_UNIT_REGIONS: a JSON object, or the path of a JSON file, mapping care unit ids to a region
 * (a string) or to `{ "region"?, "name"? }`: the unit's region for statistics, its name for people.
 */
function parseCareUnits(value: string | undefined): Pick<Config, 'careUnitRegions' | 'careUnitNames'> {
  if (!value) return { careUnitRegions: {}, careUnitNames: {} };
  let parsed: unknown;
  try {
    parsed = JSON.parse(value.trim().startsWith('{') ? value : readFileSync(value, 'utf8'));
  } catch {
    throw new ConfigError('configuration: CARE_UNIT_REGIONS must be a JSON object or a JSON file mapping care units to regions');
  }
  const unit = z.union([z.string(), z.strictObject({ region: z.string().min(1).optional(), name: z.string().trim().min(1).max(200).optional() })]);
  const result = z.record(z.string(), unit).safeParse(parsed);
  if (!result.success) throw new ConfigError('configuration: CARE_UNIT_REGIONS must map care unit ids to region ids (strings) or to {"region", "name"}');
  const careUnitRegions: Record<string, string> = {};
  const careUnitNames: Record<string, string> = {};
  for (const [id, u] of Object.entries(result.data)) {
    const region = typeof u === 'string' ? u : u.region;
    if (region) careUnitRegions[id] = region;
    if (typeof u !== 'string' && u.name) careUnitNames[id] = u.name;
  }
  return { careUnitRegions, careUnitNames };
}

/** The host of the default PUBLIC_URL: the address `npm start` serves on (loopback for a wildcard bind). */
function defaultPublicHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

/** What example files and tutorials put where a secret belongs. */
const PLACEHOLDER = /change[-_ ]?me|changeit|placeholder|example|secret123|^(password|secret|token|x+)$|base64-of|your[-_]/i;

/**
 * A production process refuses a secret that is a placeholder (`change-me`, `user:password@`):
 * the example env file must not start a stack whose secrets anyone can read in the repository.
 */
function refusePlaceholders(env: Env): void {
  const secrets: Array<[string, string | undefined]> = [
    ['PATIENT_KEY_SECRET', env.PATIENT_KEY_SECRET],
    ['SMS_GATEWAY_TOKEN', env.SMS_GATEWAY_TOKEN],
    ['DEV_JWT_SECRET', env.DEV_JWT_SECRET],
    ['OIDC_CLIENT_SECRET', env.OIDC_CLIENT_SECRET],
    ['SMTP_URL password', env.SMTP_URL ? decodeURIComponent(new URL(env.SMTP_URL).password) || undefined : undefined],
    ['MONGODB_URI password', env.MONGODB_URI && /^mongodb(\+srv)?:\/\//.test(env.MONGODB_URI) ? decodeURIComponent(new URL(env.MONGODB_URI).password) || undefined : undefined],
  ];
  for (const [name, value] of secrets) {
    if (value !== undefined && PLACEHOLDER.test(value)) {
      throw new ConfigError(`configuration: ${name} is a placeholder; set a real secret (NODE_ENV=production)`);
    }
  }
  for (const entry of (env.PAYLOAD_KEYS ?? '').split(',').filter(Boolean)) {
    const [id, key] = entry.split(':') as [string, string];
    const bytes = Buffer.from(key, 'base64');
    if (bytes.length !== 32 || new Set(bytes).size < 8) {
      throw new ConfigError(`configuration: PAYLOAD_KEYS key "${id}" must be 32 random bytes in base64 (openssl rand -base64 32)`);
    }
  }
}

/**
 * The one reader of the process environment: every entry point parses it here, once, with the
 * declaration above. Parsing has no side effects: it creates no file or directory (the entry point
 * makes the development secrets first, `ensureDevSecrets`), only reads what the settings name.
 */
export function loadConfig(source: Record<string, string | undefined> = process.env, needs: ConfigNeeds = { auth: true }): Config {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`configuration: ${issue.path.join('.')} ${issue.message}`);
  }
  const env = parsed.data;
  const dataDir = path.resolve(env.DATA_DIR);
  const production = env.NODE_ENV === 'production';
  // Development tokens only when asked for: AUTH_MODE=development, or a development entry point.
  const authMode = env.AUTH_MODE ?? (production ? 'production' : needs.development ? 'development' : undefined);
  if (production && authMode === 'development') throw new ConfigError('configuration: AUTH_MODE=development is refused when NODE_ENV=production');
  if (production) {
    refusePlaceholders(env);
    // What production requires (the declaration's `production`): named all at once.
    const verifiesTokens = needs.auth === true && authMode === 'production';
    const missing = Object.entries(SETTINGS)
      .filter(([name, s]) => (s.production === 'required' || (s.production === 'api' && verifiesTokens)) && env[name as keyof Env] === undefined)
      .map(([name]) => name);
    if (missing.length > 0) {
      throw new ConfigError(`configuration: ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} required when NODE_ENV=production (docs/configuration.md)`);
    }
  }
  // A worker verifies no tokens (auth null): production needs no JWKS settings there.
  let auth: Config['auth'] = null;
  if (needs.auth) {
    if (!authMode) {
      throw new ConfigError('configuration: AUTH_MODE is required: production (with JWKS_URL, JWT_ISSUER, JWT_AUDIENCE) or development (loopback only; npm start chooses it itself)');
    } else if (authMode === 'production') {
      if (!env.JWKS_URL || !env.JWT_ISSUER || !env.JWT_AUDIENCE) {
        const missing = Object.keys(SETTINGS).filter((k) => SETTINGS[k as keyof Env].production === 'api' && !env[k as keyof Env]);
        throw new ConfigError(`configuration: ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} required when AUTH_MODE=production`);
      }
      auth = { mode: 'production', jwksUrl: env.JWKS_URL, issuer: env.JWT_ISSUER, audience: env.JWT_AUDIENCE };
    } else {
      if (!['127.0.0.1', '::1', 'localhost'].includes(env.HOST)) {
        throw new ConfigError(`configuration: AUTH_MODE=development serves only on loopback (HOST=127.0.0.1), not on ${env.HOST}`);
      }
      auth = {
        mode: 'development',
        secret: env.DEV_JWT_SECRET ?? devSecret(dataDir, 'DEV_JWT_SECRET'),
        issuer: DEV_ISSUER,
        audience: DEV_AUDIENCE,
      };
    }
  }
  const publicUrl = (env.PUBLIC_URL ?? `http://${defaultPublicHost(env.HOST)}:${env.PORT}`).replace(/\/$/, '');
  return {
    env,
    port: env.PORT,
    host: env.HOST,
    dataDir,
    production,
    temporal: {
      address: env.TEMPORAL_ADDRESS,
      namespace: env.TEMPORAL_NAMESPACE,
      taskQueue: env.TEMPORAL_TASK_QUEUE,
      port: env.TEMPORAL_PORT,
      uiPort: env.TEMPORAL_UI_PORT,
    },
    mongo: { uri: env.MONGODB_URI, port: env.MONGODB_PORT },
    patientKeySecret: env.PATIENT_KEY_SECRET ?? devSecret(dataDir, 'PATIENT_KEY_SECRET'),
    auth,
    programOverrides: env.PROGRAM_OVERRIDES ? path.resolve(env.PROGRAM_OVERRIDES) : undefined,
    workflowBundlePath: env.WORKFLOW_BUNDLE ? path.resolve(env.WORKFLOW_BUNDLE) : undefined,
    archive: {
      uri: env.ARCHIVE_MONGODB_URI,
      dbName: env.ARCHIVE_DB ?? `${dbNameOf(env.MONGODB_URI ?? '')}_archive`,
      key: env.ARCHIVE_KEY ? Buffer.from(env.ARCHIVE_KEY, 'base64') : Buffer.from(devSecret(dataDir, 'ARCHIVE_KEY'), 'base64url'),
      retention: env.ARCHIVE_RETENTION,
    },
    accessLogRetention: env.ACCESS_LOG_RETENTION,
    ...parseCareUnits(env.CARE_UNIT_REGIONS),
    payloadKeys: env.PAYLOAD_KEYS ?? `dev1:${Buffer.from(devSecret(dataDir, 'PAYLOAD_KEYS'), 'base64url').toString('base64')}`,
    codecCorsOrigin: env.CODEC_CORS_ORIGIN ?? `http://127.0.0.1:${env.TEMPORAL_UI_PORT}`,
    rateLimitPerMinute: env.RATE_LIMIT_PER_MINUTE,
    tokenMaxAgeSeconds: env.TOKEN_MAX_AGE_HOURS * 3600,
    trustProxy: env.TRUST_PROXY === undefined ? undefined : env.TRUST_PROXY === 'true' ? true : env.TRUST_PROXY === 'false' ? false : /^\d+$/.test(env.TRUST_PROXY) ? Number(env.TRUST_PROXY) : env.TRUST_PROXY,
    nightly: { cron: env.NIGHTLY_CRON, enabled: env.NIGHTLY_JOBS === 'on' },
    activityPlansMax: env.ACTIVITY_PLANS_MAX,
    metricsPort: env.METRICS_PORT,
    metricsHost: env.METRICS_HOST,
    patientWritesPerHour: env.PATIENT_WRITES_PER_HOUR,
    metricsOnApiPort: !production,
    apiDocs: (env.API_DOCS ?? (production ? 'off' : 'on')) === 'on',
    workerMetricsPort: env.WORKER_METRICS_PORT,
    worker: workerSettings(env),
    web: {
      oidcIssuer: env.OIDC_ISSUER ?? (authMode === 'production' ? env.JWT_ISSUER ?? null : null), oidcClientId: env.OIDC_CLIENT_ID,
      ...(env.OIDC_CLIENT_SECRET ? { oidcClientSecret: env.OIDC_CLIENT_SECRET } : {}),
    },
    publicUrl,
    session: { idleMs: Math.round(env.SESSION_IDLE_MINUTES * 60_000), absoluteMs: Math.round(env.SESSION_ABSOLUTE_HOURS * 3_600_000) },
    devOidcPort: env.DEV_OIDC_PORT ?? (env.PORT === 0 ? 0 : env.PORT + 1),
    servers: {
      cacheDir: env.SERVER_CACHE_DIR ?? path.join(env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'tobakshjalpen'),
      temporalCliPath: env.TEMPORAL_CLI_PATH,
      ferretdbPath: env.FERRETDB_PATH,
    },
    notifications: {
      smtpUrl: env.SMTP_URL,
      smtpFrom: env.SMTP_FROM,
      smtpFromNeutral: env.SMTP_FROM_NEUTRAL,
      smsGatewayUrl: env.SMS_GATEWAY_URL,
      smsGatewayToken: env.SMS_GATEWAY_TOKEN,
      publicUrl,
      maxAttempts: env.NOTIFICATION_MAX_ATTEMPTS,
      maxPerRecipientPerHour: env.NOTIFY_MAX_PER_RECIPIENT_PER_HOUR,
      coalesceMinutes: env.NOTIFY_COALESCE_MINUTES,
    },
  };
}

/** The configuration with the servers and transports a development environment started (see system/). */
export function withServices(config: Config, services: {
  temporalAddress?: string; mongoUri?: string; smtpUrl?: string; smsGatewayUrl?: string;
  oidc?: { issuer: string; jwksUrl: string };
}): Config {
  const mongoUri = services.mongoUri ?? config.mongo.uri;
  // The development provider signs in the web app, and the API accepts its tokens beside `npm run token`'s.
  const oidc = services.oidc && config.auth?.mode === 'development' ? services.oidc : undefined;
  return {
    ...config,
    ...(oidc && config.auth?.mode === 'development' ? {
      auth: { ...config.auth, oidc },
      web: { ...config.web, oidcIssuer: config.env.OIDC_ISSUER ?? oidc.issuer },
    } : {}),
    temporal: { ...config.temporal, address: services.temporalAddress ?? config.temporal.address },
    mongo: { ...config.mongo, uri: mongoUri },
    archive: { ...config.archive, dbName: config.env.ARCHIVE_DB ?? `${dbNameOf(mongoUri ?? '')}_archive` },
    notifications: {
      ...config.notifications,
      smtpUrl: services.smtpUrl ?? config.notifications.smtpUrl,
      smsGatewayUrl: services.smsGatewayUrl ?? config.notifications.smsGatewayUrl,
    },
  };
}
