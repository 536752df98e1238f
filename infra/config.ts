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

const envSchema = z.object({
  NODE_ENV: z.string().default('development'),
  PORT: port.default(3000),
  HOST: z.string().default('127.0.0.1'),
  DATA_DIR: z.string().default('.data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TEMPORAL_ADDRESS: optionalString,
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_TASK_QUEUE: z.string().default('treatments'),
  TEMPORAL_PORT: port.default(7233),
  TEMPORAL_UI_PORT: port.default(8233),
  MONGODB_URI: optionalString,
  MONGODB_PORT: port.default(27017),
  PATIENT_KEY_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  AUTH_MODE: z.enum(['development', 'production']).optional(),
  TOKEN_MAX_AGE_HOURS: z.coerce.number().int().min(1).max(24).default(12),
  DEV_JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  JWKS_URL: z.url().optional(),
  JWT_ISSUER: optionalString,
  JWT_AUDIENCE: optionalString,
  /** The web app's OpenID Connect issuer (production: the region's; development: the local provider). */
  OIDC_ISSUER: z.url().optional(),
  OIDC_CLIENT_ID: z.string().trim().min(1).default('tobakshjalpen-web'),
  /** The development OpenID Connect provider's port (default PORT + 1; a free port when PORT is 0). */
  DEV_OIDC_PORT: port.optional(),
  PROGRAM_OVERRIDES: optionalString,
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL').optional(),
  SMTP_FROM: z.string().default('Tobakshjälpen <no-reply@tobakshjalpen.invalid>'),
  /** The sender of neutral notices (to an address the patient has not confirmed): no program name in it. */
  SMTP_FROM_NEUTRAL: z.string().default('1177 e-tjänster <no-reply@e-tjanster.invalid>'),
  SMS_GATEWAY_URL: z.url().optional(),
  SMS_GATEWAY_TOKEN: optionalString,
  /** The origin browsers reach the web app and API at (links in e-mails, the sign-in's redirect, the session cookie). Default: http://HOST:PORT; required in production. */
  PUBLIC_URL: z.url().optional(),
  /** A web-app session ends after this many minutes without use (fractions allowed, for tests). */
  SESSION_IDLE_MINUTES: z.coerce.number().positive().max(24 * 60).default(30),
  /** A web-app session ends this many hours after sign-in, used or not (fractions allowed). */
  SESSION_ABSOLUTE_HOURS: z.coerce.number().positive().max(7 * 24).default(12),
  /** The API's OpenID Connect client secret at the provider (client_secret_basic); unset: a public client with PKCE only. */
  OIDC_CLIENT_SECRET: optionalString,
  NOTIFY_MAX_PER_RECIPIENT_PER_HOUR: z.coerce.number().int().min(1).max(10_000).default(10),
  NOTIFY_COALESCE_MINUTES: z.coerce.number().int().min(0).max(1440).default(15),
  NOTIFICATION_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(10),
  ARCHIVE_MONGODB_URI: optionalString,
  ARCHIVE_DB: z.string().regex(/_archive$/, 'must end in _archive').optional(),
  /** The archive's own key (not the payload codec's): base64 of 32 random bytes. */
  ARCHIVE_KEY: z.string().regex(/^[A-Za-z0-9+/=]{43,44}$/, 'must be base64 of 32 random bytes (openssl rand -base64 32)').optional(),
  /** How long an archived record is kept after gallring, then deleted by the nightly retention sweep. */
  ARCHIVE_RETENTION: z.string().refine(isValidDuration, 'must be an ISO 8601 duration such as P10Y').default('P10Y'),
  /** How long access-log entries are kept (PDL logs), then deleted by the nightly retention sweep. */
  ACCESS_LOG_RETENTION: z.string().refine(isValidDuration, 'must be an ISO 8601 duration such as P10Y').default('P10Y'),
  CARE_UNIT_REGIONS: optionalString,
  PAYLOAD_KEYS: z.string().regex(/^[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/=]{43,44}(,[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/=]{43,44})*$/, 'must be "id:base64-32-byte-key[,id:key…]"').optional(),
  CODEC_CORS_ORIGIN: optionalString,
  TRUST_PROXY: z.string().regex(/^(true|false|\d{1,2}|[0-9a-fA-F.:/,\s]+|loopback|linklocal|uniquelocal)$/, 'must be true, false, a hop count or addresses (express trust proxy)').optional(),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(600),
  // 03:15 exists every night in Sweden, once: 02:15 is skipped on the spring DST Sunday and repeats in autumn.
  NIGHTLY_CRON: z.string().default('15 3 * * *'),
  NIGHTLY_JOBS: z.enum(['on', 'off']).default('on'),
  ACTIVITY_PLANS_MAX: z.coerce.number().int().min(1).max(100).default(10),
  /** A patient's messages, forms and activity answers per treatment and hour (each grows the workflow's history). */
  PATIENT_WRITES_PER_HOUR: z.coerce.number().int().min(1).max(100_000).default(60),
  METRICS_PORT: port.optional(),
  /** Where METRICS_PORT listens: loopback by default; 0.0.0.0 in a container scraped over its private network. */
  METRICS_HOST: z.string().default('127.0.0.1'),
  /** /docs and /openapi.json on the API port: on in development, off in production unless asked for. */
  API_DOCS: z.enum(['on', 'off']).optional(),
  WORKER_METRICS_PORT: port.optional(),
  // The Temporal worker's capacity (docs/performance.md, "Worker settings"); unset: the defaults below.
  /** Workflows kept in the sticky cache (0: none, every task replays its history). */
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).max(1_000_000).optional(),
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: z.coerce.number().int().min(2).max(10_000).optional(),
  WORKER_MAX_CONCURRENT_ACTIVITIES: z.coerce.number().int().min(1).max(10_000).optional(),
  WORKER_MAX_CONCURRENT_LOCAL_ACTIVITIES: z.coerce.number().int().min(1).max(10_000).optional(),
  /** Workflow-task pollers: a fixed maximum (a number) or `auto` (scaled by the server's feedback). */
  WORKER_WORKFLOW_POLLERS: pollers.optional(),
  WORKER_ACTIVITY_POLLERS: pollers.optional(),
  /** Threads that run workflow tasks (the SDK: 1 with its shared V8 context). */
  WORKER_WORKFLOW_THREADS: z.coerce.number().int().min(1).max(64).optional(),
  SERVER_CACHE_DIR: optionalString,
  XDG_CACHE_HOME: optionalString,
  TEMPORAL_CLI_PATH: optionalString,
  FERRETDB_PATH: optionalString,
});

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

const pollersOf = (value: string): Pollers => (value === 'auto' ? { type: 'autoscaling' } : { type: 'simple-maximum', maximum: Number(value) });

function workerSettings(env: Env): WorkerSettings {
  const maxCachedWorkflows = env.WORKER_MAX_CACHED_WORKFLOWS ?? WORKER_DEFAULTS.maxCachedWorkflows;
  const tasks = env.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS ?? WORKER_DEFAULTS.maxConcurrentWorkflowTaskExecutions;
  if (maxCachedWorkflows === 1) throw new ConfigError('configuration: WORKER_MAX_CACHED_WORKFLOWS must be 0 (no cache) or at least 2');
  if (maxCachedWorkflows > 0 && tasks > maxCachedWorkflows) {
    throw new ConfigError(`configuration: WORKER_MAX_CONCURRENT_WORKFLOW_TASKS (${tasks}) cannot exceed WORKER_MAX_CACHED_WORKFLOWS (${maxCachedWorkflows})`);
  }
  const workflowPollers = pollersOf(env.WORKER_WORKFLOW_POLLERS ?? WORKER_DEFAULTS.workflowPollers);
  if (workflowPollers.type === 'simple-maximum' && workflowPollers.maximum > tasks) {
    throw new ConfigError(`configuration: WORKER_WORKFLOW_POLLERS (${workflowPollers.maximum}) cannot exceed WORKER_MAX_CONCURRENT_WORKFLOW_TASKS (${tasks})`);
  }
  return {
    maxCachedWorkflows,
    maxConcurrentWorkflowTaskExecutions: tasks,
    maxConcurrentActivityTaskExecutions: env.WORKER_MAX_CONCURRENT_ACTIVITIES ?? WORKER_DEFAULTS.maxConcurrentActivityTaskExecutions,
    maxConcurrentLocalActivityExecutions: env.WORKER_MAX_CONCURRENT_LOCAL_ACTIVITIES ?? WORKER_DEFAULTS.maxConcurrentLocalActivityExecutions,
    workflowTaskPollerBehavior: workflowPollers,
    activityTaskPollerBehavior: pollersOf(env.WORKER_ACTIVITY_POLLERS ?? WORKER_DEFAULTS.activityPollers),
    workflowThreadPoolSize: env.WORKER_WORKFLOW_THREADS ?? WORKER_DEFAULTS.workflowThreads,
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

/** A secret that development needs but nobody should have to invent: made once, kept in DATA_DIR. */
function devSecret(dataDir: string, name: string, bytes = 32): string {
  const file = path.join(dataDir, 'secrets', name);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const secret = randomBytes(bytes).toString('base64url');
  try {
    writeFileSync(file, secret, { mode: 0o600, flag: 'wx' });
  } catch {
    return readFileSync(file, 'utf8').trim(); // another process wrote it first
  }
  return secret;
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

/** The one reader of the process environment: every entry point parses it here, once. */
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
  if (production && !env.PATIENT_KEY_SECRET) {
    throw new ConfigError('configuration: PATIENT_KEY_SECRET is required when NODE_ENV=production');
  }
  if (production && !env.PAYLOAD_KEYS) {
    throw new ConfigError('configuration: PAYLOAD_KEYS is required when NODE_ENV=production');
  }
  if (production && !env.ARCHIVE_KEY) {
    throw new ConfigError('configuration: ARCHIVE_KEY is required when NODE_ENV=production (the gallring archive is encrypted with it)');
  }
  if (production) refusePlaceholders(env);
  let auth: Config['auth'] = null;
  if (!needs.auth) {
    // A worker verifies no tokens: production needs no JWKS settings there.
    if (production && authMode === 'development') throw new ConfigError('configuration: AUTH_MODE=development is refused when NODE_ENV=production');
  } else if (!authMode) {
    throw new ConfigError('configuration: AUTH_MODE is required: production (with JWKS_URL, JWT_ISSUER, JWT_AUDIENCE) or development (loopback only; npm start chooses it itself)');
  } else if (authMode === 'production') {
    if (!env.JWKS_URL || !env.JWT_ISSUER || !env.JWT_AUDIENCE) {
      const missing = ['JWKS_URL', 'JWT_ISSUER', 'JWT_AUDIENCE'].find((k) => !env[k as keyof Env]);
      throw new ConfigError(`configuration: ${missing} is required when AUTH_MODE=production`);
    }
    auth = { mode: 'production', jwksUrl: env.JWKS_URL, issuer: env.JWT_ISSUER, audience: env.JWT_AUDIENCE };
  } else {
    if (production) throw new ConfigError('configuration: AUTH_MODE=development is refused when NODE_ENV=production');
    if (!['127.0.0.1', '::1', 'localhost'].includes(env.HOST)) {
      throw new ConfigError(`configuration: AUTH_MODE=development serves only on loopback (HOST=127.0.0.1), not on ${env.HOST}`);
    }
    auth = {
      mode: 'development',
      secret: env.DEV_JWT_SECRET ?? devSecret(dataDir, 'dev-jwt-secret'),
      issuer: DEV_ISSUER,
      audience: DEV_AUDIENCE,
    };
  }
  if (production && !env.PUBLIC_URL) {
    throw new ConfigError('configuration: PUBLIC_URL is required when NODE_ENV=production (the origin of the web app: e-mail links, sign-in redirect, session cookie)');
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
    patientKeySecret: env.PATIENT_KEY_SECRET ?? devSecret(dataDir, 'patient-key-secret'),
    auth,
    programOverrides: env.PROGRAM_OVERRIDES ? path.resolve(env.PROGRAM_OVERRIDES) : undefined,
    archive: {
      uri: env.ARCHIVE_MONGODB_URI,
      dbName: env.ARCHIVE_DB ?? `${dbNameOf(env.MONGODB_URI ?? '')}_archive`,
      key: env.ARCHIVE_KEY ? Buffer.from(env.ARCHIVE_KEY, 'base64') : Buffer.from(devSecret(dataDir, 'archive-key', 32), 'base64url'),
      retention: env.ARCHIVE_RETENTION,
    },
    accessLogRetention: env.ACCESS_LOG_RETENTION,
    ...parseCareUnits(env.CARE_UNIT_REGIONS),
    payloadKeys: env.PAYLOAD_KEYS ?? `dev1:${Buffer.from(devSecret(dataDir, 'payload-key-dev1', 32), 'base64url').toString('base64')}`,
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
