import { expect } from 'chai';
import { parse } from 'yaml';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// Static checks of the production-like compose stack (no Docker engine needed).
// The one-shot setup scripts are also executed, against stub `temporal`,
// `temporal-sql-tool` and `nc` binaries, to check what they would really run.

import { ENTRY_POINTS, configNeeds } from '../system';
import { composeMustRequire, loadConfig } from '../infra/config';
import { requiredVariables } from '../stack/compose';

const repoRoot = path.join(__dirname, '..');
const composePath = path.join(__dirname, '..', 'temporal-docker-compose.yml');
const dockerfilePath = path.join(repoRoot, 'Dockerfile');
const dockerignorePath = path.join(repoRoot, '.dockerignore');

type Dict = Record<string, unknown>;

const SEARCH_ATTRIBUTES = ['TreatmentStatus', 'CareUnit', 'CurrentModule', 'ProgramId'] as const;
// What the compose file must require, from the one declaration (infra/config.ts), comments left out.
const REQUIRED_VARIABLES = composeMustRequire(fs.readFileSync(composePath, 'utf8').split('\n').filter((l) => !l.trim().startsWith('#')).join('\n'));
// Values for the variables the compose file requires, used where the tests interpolate.
const TEST_VARIABLES: Record<string, string> = {
  POSTGRES_PASSWORD: 'test-postgres-password',
  PATIENT_KEY_SECRET: 'test-patient-key-secret-of-32-characters',
  JWKS_URL: 'https://idp.example.test/.well-known/jwks.json',
  JWT_ISSUER: 'https://idp.example.test/',
  JWT_AUDIENCE: 'tobakshjalpen-api',
  SMTP_URL: 'smtp://mail.example.test:587',
  SMS_GATEWAY_URL: 'https://sms.example.test/v1/messages',
  SMS_GATEWAY_TOKEN: 'test-sms-token',
  PUBLIC_URL: 'https://tobakshjalpen.example.test',
  PAYLOAD_KEYS: 'k1:q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJA=',
  MONGODB_PASSWORD: '4f9c2a7d1e8b3c6a9f0e2d4b7a1c8e3f',
  ARCHIVE_KEY: 'mZq4t7wAzACAFAJaNdRgUkXp2s5v8y/BAEAH+MbQeTh=',
  TEMPORAL_UI_AUTH_PROVIDER_URL: 'https://idp.example.test/',
  TEMPORAL_UI_AUTH_CLIENT_ID: 'temporal-ui',
  TEMPORAL_UI_AUTH_CLIENT_SECRET: 'ui-client-secret-of-the-region',
};

function isDict(value: unknown): value is Dict {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asDict(value: unknown, what: string): Dict {
  expect(isDict(value), `${what} should be a mapping`).to.equal(true);
  return value as Dict;
}

const compose = asDict(parse(fs.readFileSync(composePath, 'utf8')), 'compose file');
const services = asDict(compose.services, 'services');

function service(name: string): Dict {
  expect(services, `service ${name}`).to.have.property(name);
  return asDict(services[name], `service ${name}`);
}

/** Compose `${VAR}`, `${VAR:-default}`, `${VAR:?error}` (and the colon-less forms) and `$$`. */
function interpolate(value: string, vars: Record<string, string>): string {
  return value.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?])([^}]*))?\}/g,
    (match, name: string | undefined, colon: string | undefined, op: string | undefined, arg: string | undefined) => {
      if (match === '$$') return '$';
      const key = name ?? '';
      const current = vars[key];
      const missing = colon ? current === undefined || current === '' : current === undefined;
      if (op === '?' && missing) throw new Error(`required variable ${key} is not set: ${arg ?? ''}`);
      if (op === '-' && missing) return arg ?? '';
      return current ?? '';
    },
  );
}

function environment(svc: Dict, vars: Record<string, string> = TEST_VARIABLES): Record<string, string> {
  const env: Record<string, string> = {};
  const raw = svc.environment;
  if (Array.isArray(raw)) {
    for (const entry of raw) {
      const text = String(entry);
      const eq = text.indexOf('=');
      if (eq > 0) env[text.slice(0, eq)] = interpolate(text.slice(eq + 1), vars);
    }
  } else if (isDict(raw)) {
    for (const [key, value] of Object.entries(raw)) env[key] = value == null ? '' : interpolate(String(value), vars);
  }
  return env;
}

function words(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.map(String);
  return String(value).split(/\s+/).filter(Boolean);
}

function healthcheckTest(svc: Dict): string {
  if (!isDict(svc.healthcheck)) return '';
  if (svc.healthcheck.disable === true) return '';
  const test = svc.healthcheck.test;
  return Array.isArray(test) ? test.map(String).join(' ') : String(test ?? '');
}

interface PortMapping {
  hostIp: string | undefined;
  published: string | undefined;
  target: number;
}

function ports(svc: Dict): PortMapping[] {
  const raw = svc.ports;
  if (raw === undefined) return [];
  expect(raw, 'ports').to.be.an('array');
  return (raw as unknown[]).map((entry): PortMapping => {
    if (isDict(entry)) {
      return {
        hostIp: entry.host_ip === undefined ? undefined : String(entry.host_ip),
        published: entry.published === undefined ? undefined : String(entry.published),
        target: Number(entry.target),
      };
    }
    const spec = String(entry).replace(/\/(tcp|udp)$/, '');
    const ipv6 = /^\[([^\]]+)\]:(.*)$/.exec(spec);
    const rest = ipv6 ? (ipv6[2] ?? '') : spec;
    const parts = rest.split(':');
    const target = Number(parts[parts.length - 1]);
    if (ipv6) return { hostIp: ipv6[1], published: parts[0], target };
    if (parts.length === 3) return { hostIp: parts[0], published: parts[1], target };
    if (parts.length === 2) return { hostIp: undefined, published: parts[0], target };
    return { hostIp: undefined, published: undefined, target };
  });
}

function dependsOn(svc: Dict): Record<string, string> {
  const raw = svc.depends_on;
  const deps: Record<string, string> = {};
  if (Array.isArray(raw)) {
    for (const name of raw) deps[String(name)] = 'service_started';
  } else if (isDict(raw)) {
    for (const [name, spec] of Object.entries(raw)) {
      deps[name] = isDict(spec) && typeof spec.condition === 'string' ? spec.condition : 'service_started';
    }
  }
  return deps;
}

function networksOf(svc: Dict): string[] {
  const raw = svc.networks;
  if (raw === undefined) return ['default'];
  if (Array.isArray(raw)) return raw.map(String);
  return Object.keys(asDict(raw, 'networks'));
}

function shareNetwork(a: string, b: string): boolean {
  const theirs = networksOf(service(b));
  return networksOf(service(a)).some((n) => theirs.includes(n));
}

interface BindMount {
  source: string;
  target: string;
}

function bindMounts(svc: Dict): BindMount[] {
  const raw = svc.volumes;
  if (!Array.isArray(raw)) return [];
  const mounts: BindMount[] = [];
  for (const entry of raw) {
    if (isDict(entry)) {
      if (entry.type === 'bind') mounts.push({ source: String(entry.source), target: String(entry.target) });
      continue;
    }
    const [source, target] = String(entry).split(':');
    if (source !== undefined && target !== undefined && /^[./~]/.test(source)) mounts.push({ source, target });
  }
  return mounts;
}

/** Host path of a file the container sees at `containerPath`, through a bind mount of this repository. */
function hostPathOf(svc: Dict, containerPath: string): string {
  for (const mount of bindMounts(svc)) {
    const prefix = mount.target.replace(/\/$/, '') + '/';
    if (containerPath.startsWith(prefix)) {
      return path.join(repoRoot, mount.source, containerPath.slice(prefix.length));
    }
  }
  throw new Error(`${containerPath} is not inside a bind mount of this repository`);
}

/** The setup script a one-shot admin-tools service runs, as a host path. */
function setupScriptOf(name: string): string {
  const svc = service(name);
  const script = [...words(svc.entrypoint), ...words(svc.command)].find((w) => w.endsWith('.sh'));
  expect(script, `${name} runs a shell script`).to.be.a('string');
  const hostPath = hostPathOf(svc, script as string);
  expect(fs.existsSync(hostPath), `${hostPath} exists`).to.equal(true);
  return hostPath;
}

const STUB = `#!/bin/sh
name=\${0##*/}
{ printf '%s' "$name"; for a in "$@"; do printf '\\037%s' "$a"; done; printf '\\n'; } >> "$STUB_LOG"
if [ -n "\${STUB_FAIL:-}" ]; then
  case "$name $*" in *"$STUB_FAIL"*) exit 1 ;; esac
fi
exit 0
`;

interface ScriptRun {
  status: number;
  calls: string[][];
  output: string;
}

/** Runs a setup script the way its service would, with stubbed tools on PATH. */
function runSetupScript(serviceName: string, extraEnv: Record<string, string> = {}): ScriptRun {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'compose-test-'));
  try {
    const bin = path.join(dir, 'bin');
    fs.mkdirSync(bin);
    for (const tool of ['temporal', 'temporal-sql-tool', 'nc']) {
      fs.writeFileSync(path.join(bin, tool), STUB, { mode: 0o755 });
    }
    const log = path.join(dir, 'calls.log');
    fs.writeFileSync(log, '');
    const env: Record<string, string> = {
      PATH: `${bin}:/usr/bin:/bin`,
      ...environment(service(serviceName)),
      STUB_LOG: log,
      SETUP_RETRY_SECONDS: '0',
      SETUP_MAX_ATTEMPTS: '3',
      ...extraEnv,
    };
    let status = 0;
    let output = '';
    try {
      output = execFileSync('sh', [setupScriptOf(serviceName)], { env, encoding: 'utf8', stdio: 'pipe' });
    } catch (err) {
      const failure = err as { status?: number; stdout?: string; stderr?: string };
      status = failure.status ?? 1;
      output = `${failure.stdout ?? ''}${failure.stderr ?? ''}`;
    }
    const calls = fs
      .readFileSync(log, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split('\x1f'));
    return { status, calls, output };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function flagValue(call: string[], flag: string): string | undefined {
  const i = call.indexOf(flag);
  return i >= 0 ? call[i + 1] : undefined;
}

function isCall(call: string[], ...prefix: string[]): boolean {
  return prefix.every((word, i) => call[i] === word);
}

function allStrings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => allStrings(v, out));
  else if (isDict(value)) Object.entries(value).forEach(([k, v]) => (allStrings(k, out), allStrings(v, out)));
  return out;
}

describe('temporal-docker-compose.yml', function () {
  const expectedServices = [
    'postgresql',
    'temporal-admin-tools',
    'temporal',
    'temporal-search-attributes',
    'temporal-ui',
    'mongodb',
    'worker',
    'api',
  ];

  it('defines the whole stack', function () {
    for (const name of expectedServices) expect(services, name).to.have.property(name);
  });

  it('pins image versions (Temporal server 1.29.x with matching admin-tools, UI 2.x)', function () {
    expect(service('postgresql').image).to.equal('postgres:16');
    expect(service('mongodb').image).to.equal('mongo:7');
    const server = String(service('temporal').image);
    expect(server).to.match(/^temporalio\/server:1\.29\.\d+$/);
    const serverVersion = server.split(':')[1] as string;
    for (const name of ['temporal-admin-tools', 'temporal-search-attributes']) {
      const image = String(service(name).image);
      expect(image, name).to.match(/^temporalio\/admin-tools:/);
      expect(image.split(':')[1], `${name} tools match the server`).to.satisfy((tag: string) =>
        tag === serverVersion || tag.startsWith(`${serverVersion}-`),
      );
    }
    expect(service('temporal-ui').image).to.match(/^temporalio\/ui:2\.\d+\.\d+$/);
    for (const [name, svc] of Object.entries(services)) {
      if (!isDict(svc) || svc.image === undefined) continue;
      expect(String(svc.image), `${name} image`).to.not.match(/:latest$|^[^:]+$/);
      expect(String(svc.image), `${name} image`).to.not.include('auto-setup');
    }
  });

  it('publishes Temporal on 7233, the UI on 8080 and the API on 3000', function () {
    const published = (name: string, port: number) =>
      ports(service(name)).some((p) => p.target === port && p.published === String(port));
    expect(published('temporal', 7233), 'temporal 7233').to.equal(true);
    expect(published('temporal-ui', 8080), 'ui 8080').to.equal(true);
    expect(published('api', 3000), 'api 3000').to.equal(true);
  });

  it('does not publish PostgreSQL or MongoDB on all interfaces', function () {
    for (const [name, svc] of Object.entries(services)) {
      for (const port of ports(asDict(svc, name))) {
        const isDatabase = [5432, 27017].includes(port.target) || ['postgresql', 'mongodb'].includes(name);
        if (isDatabase && port.published !== undefined) {
          expect(port.hostIp, `${name} publishes ${port.target}`).to.equal('127.0.0.1');
        }
      }
    }
  });

  it('keeps the unauthenticated Temporal frontend and UI off public interfaces', function () {
    for (const name of ['temporal', 'temporal-ui']) {
      for (const port of ports(service(name))) {
        if (port.published !== undefined) expect(port.hostIp, `${name}:${port.target}`).to.equal('127.0.0.1');
      }
    }
  });

  it('has healthchecks for postgres, temporal, mongodb and the api', function () {
    expect(healthcheckTest(service('postgresql'))).to.include('pg_isready');
    expect(healthcheckTest(service('temporal'))).to.match(/temporal operator cluster health|tctl/);
    const mongo = healthcheckTest(service('mongodb'));
    expect(mongo).to.include('mongosh');
    expect(mongo).to.include('rs.initiate');
    expect(mongo).to.include("_id:'rs0'");
    expect(mongo).to.include("host:'mongodb:27017'");
    const api = healthcheckTest(service('api'));
    expect(api).to.include('http://localhost:3000/readyz');
    expect(api).to.match(/^CMD(-SHELL)? node /);
  });

  it('runs mongodb as the rs0 replica set', function () {
    // The entrypoint writes the replica-set key file, then execs mongod with these arguments.
    const args = words(service('mongodb').entrypoint).join(' ').split(/\s+/);
    const i = args.indexOf('--replSet');
    expect(i, '--replSet').to.be.at.least(0);
    expect(args[i + 1]).to.equal('rs0');
    expect(args).to.include('--bind_ip_all');
  });

  for (const name of ['worker', 'api']) {
    describe(name, function () {
      it('connects to Temporal and to the MongoDB replica set', function () {
        const env = environment(service(name));
        expect(env.TEMPORAL_ADDRESS).to.equal('temporal:7233');
        expect(env.MONGODB_URI).to.match(/^mongodb:\/\/tobakshjalpen:[^@]+@mongodb:27017\/tobakshjalpen\?/);
        expect(new URL(env.MONGODB_URI as string).searchParams.get('replicaSet')).to.equal('rs0');
        expect(env.NODE_ENV).to.equal('production');
      });

      it('requires PATIENT_KEY_SECRET from the environment', function () {
        const raw = asDict(service(name).environment, 'environment');
        expect(String(raw.PATIENT_KEY_SECRET)).to.match(/^\$\{PATIENT_KEY_SECRET:\?/);
        expect(String(raw.PAYLOAD_KEYS)).to.match(/^\$\{PAYLOAD_KEYS:\?/);
        if (name === 'worker') {
          // The worker sends the notifications: real transports, never a default.
          for (const key of ['SMTP_URL', 'SMS_GATEWAY_URL', 'SMS_GATEWAY_TOKEN', 'PUBLIC_URL']) {
            expect(String(raw[key]), key).to.match(new RegExp(`^\\$\\{${key}:\\?`));
          }
        }
        expect(() => environment(service(name), {})).to.throw(/required variable/);
      });

      it('passes the configuration validation of the process it starts (production mode)', function () {
        const entry = ENTRY_POINTS[name as keyof typeof ENTRY_POINTS];
        const config = loadConfig({ ...environment(service(name)), DATA_DIR: os.tmpdir() }, configNeeds(entry));
        expect(config.production).to.equal(true);
        expect(config.auth === null, 'token verification only where the API runs').to.equal(name === 'worker');
      });

      it('is built from the repository Dockerfile', function () {
        const build = service(name).build;
        const context = typeof build === 'string' ? build : String(asDict(build, 'build').context ?? '.');
        const dockerfile = isDict(build) && build.dockerfile !== undefined ? String(build.dockerfile) : 'Dockerfile';
        expect(path.resolve(repoRoot, context)).to.equal(path.resolve(repoRoot));
        expect(path.resolve(repoRoot, context, dockerfile)).to.equal(dockerfilePath);
      });

      it(`runs npm run ${name}`, function () {
        expect(words(service(name).command).join(' ')).to.equal(`npm run ${name}`);
      });

      it('starts after Temporal, MongoDB and the search attributes are ready', function () {
        expect(dependsOn(service(name))).to.deep.include({
          temporal: 'service_healthy',
          mongodb: 'service_healthy',
          'temporal-search-attributes': 'service_completed_successfully',
        });
      });
    });
  }

  it('configures the api for production authentication', function () {
    const raw = asDict(service('api').environment, 'environment');
    for (const key of ['JWKS_URL', 'JWT_ISSUER', 'JWT_AUDIENCE']) {
      expect(String(raw[key]), key).to.match(new RegExp(`^\\$\\{${key}:\\?`));
    }
    const env = environment(service('api'));
    expect(env.AUTH_MODE).to.equal('production');
    expect(env.PORT).to.equal('3000');
  });

  it('requires every secret from the environment instead of defaulting it', function () {
    const required = new Set<string>();
    for (const text of allStrings(compose)) {
      for (const m of text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*):?\?/g)) required.add(m[1] as string);
    }
    expect(REQUIRED_VARIABLES).to.include.members(['POSTGRES_PASSWORD', 'PAYLOAD_KEYS', 'SMTP_URL', 'TEMPORAL_UI_AUTH_CLIENT_SECRET']);
    // Exactly: a variable required here and nowhere declared so would be a requirement nobody documents.
    expect([...required].sort()).to.deep.equal(REQUIRED_VARIABLES);
    // And the stack (npm run stack) requires what this file requires.
    expect(requiredVariables(composePath)).to.deep.equal(REQUIRED_VARIABLES);
  });

  it('uses only ${VAR} interpolation (a bare $ would be expanded by compose, not the container)', function () {
    for (const text of allStrings(compose)) {
      const leftover = text.replace(/\$\$|\$\{[A-Za-z_][A-Za-z0-9_]*(?::?[-?][^}]*)?\}/g, '');
      expect(leftover, text).to.not.include('$');
    }
  });

  describe('safe by default (security #13)', () => {
    it('attack: the example env file cannot start the stack, and placeholder secrets are refused by the processes', function () {
      const example = fs.readFileSync(path.join(repoRoot, 'deploy', 'compose.env.example'), 'utf8');
      const given = Object.fromEntries(example.split('\n').filter((l) => /^[A-Z_]+=/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
      for (const name of REQUIRED_VARIABLES) expect(given[name], `${name} is empty in the example`).to.equal('');
      const env = environment(service('worker'));
      const config = (overrides: Record<string, string>) => () => loadConfig({ ...env, DATA_DIR: os.tmpdir(), ...overrides }, configNeeds(ENTRY_POINTS.worker));
      expect(config({})).to.not.throw();
      expect(config({ SMS_GATEWAY_TOKEN: 'change-me' })).to.throw(/SMS_GATEWAY_TOKEN is a placeholder/);
      expect(config({ SMTP_URL: 'smtp://user:password@mail.region.example:587' })).to.throw(/SMTP_URL password is a placeholder/);
      expect(config({ PATIENT_KEY_SECRET: 'change-me-change-me-change-me-change-me' })).to.throw(/PATIENT_KEY_SECRET is a placeholder/);
      expect(config({ MONGODB_URI: 'mongodb://tobakshjalpen:password@mongodb:27017/x' })).to.throw(/MONGODB_URI password is a placeholder/);
      expect(config({ PAYLOAD_KEYS: 'k1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=' })).to.throw(/PAYLOAD_KEYS key "k1" must be 32 random bytes/);
    });

    it('MongoDB requires a user and password, with a replica-set key file', function () {
      const env = environment(service('mongodb'));
      expect(env.MONGO_INITDB_ROOT_USERNAME).to.equal('tobakshjalpen');
      expect(env.MONGO_INITDB_ROOT_PASSWORD).to.equal(TEST_VARIABLES.MONGODB_PASSWORD);
      expect(words(service('mongodb').entrypoint).join(' ')).to.include('--keyFile');
      for (const name of ['worker', 'api']) {
        const uri = new URL(environment(service(name)).MONGODB_URI!);
        expect(uri.username, name).to.equal('tobakshjalpen');
        expect(uri.searchParams.get('authSource'), name).to.equal('admin');
      }
    });

    it('the Temporal UI signs operators in and offers no write actions', function () {
      const env = environment(service('temporal-ui'));
      expect(env.TEMPORAL_AUTH_ENABLED).to.equal('true');
      expect(env.TEMPORAL_AUTH_PROVIDER_URL).to.equal(TEST_VARIABLES.TEMPORAL_UI_AUTH_PROVIDER_URL);
      expect(env.TEMPORAL_DISABLE_WRITE_ACTIONS).to.equal('true');
    });

    it('the UI origin and the codec server\'s CORS origin are one setting', function () {
      expect(environment(service('api')).CODEC_CORS_ORIGIN).to.equal(environment(service('temporal-ui')).TEMPORAL_CORS_ORIGINS);
      const other = { ...TEST_VARIABLES, TEMPORAL_UI_ORIGIN: 'https://temporal.region.example' };
      expect(environment(service('api'), other).CODEC_CORS_ORIGIN).to.equal('https://temporal.region.example');
      expect(environment(service('temporal-ui'), other).TEMPORAL_CORS_ORIGINS).to.equal('https://temporal.region.example');
    });

    it('the public API port serves neither /metrics nor /docs; metrics go to a port inside the network', function () {
      const env = environment(service('api'));
      const config = loadConfig({ ...env, DATA_DIR: os.tmpdir() }, configNeeds(ENTRY_POINTS.api));
      expect(config.apiDocs).to.equal(false);
      expect(config.metricsOnApiPort).to.equal(false);
      expect(config.metricsPort).to.equal(9464);
      const published = (service('api').ports as unknown[]).map(String);
      expect(published.some((p) => p.includes('9464'))).to.equal(false);
    });
  });

  it('points the UI at Temporal and at the API codec server', function () {
    const env = environment(service('temporal-ui'));
    expect(env.TEMPORAL_ADDRESS).to.equal('temporal:7233');
    expect(env.TEMPORAL_CODEC_ENDPOINT).to.equal('http://localhost:3000/codec');
    expect(env.TEMPORAL_CORS_ORIGINS).to.match(/^https?:\/\//);
  });

  it('configures the Temporal server for PostgreSQL', function () {
    const env = environment(service('temporal'));
    expect(env.DB).to.equal('postgres12');
    expect(env.POSTGRES_SEEDS).to.equal('postgresql');
    expect(env.POSTGRES_PWD).to.equal(TEST_VARIABLES.POSTGRES_PASSWORD);
    expect(env.BIND_ON_IP).to.equal('0.0.0.0');
    expect(dependsOn(service('temporal'))).to.deep.include({
      postgresql: 'service_healthy',
      'temporal-admin-tools': 'service_completed_successfully',
    });
    const dynamicConfig = env.DYNAMIC_CONFIG_FILE_PATH as string;
    expect(dynamicConfig, 'DYNAMIC_CONFIG_FILE_PATH').to.be.a('string');
    const hostFile = hostPathOf(service('temporal'), dynamicConfig);
    expect(fs.existsSync(hostFile), hostFile).to.equal(true);
    expect(() => parse(fs.readFileSync(hostFile, 'utf8'))).to.not.throw();
  });

  describe('dependencies', function () {
    it('name only defined services', function () {
      for (const [name, svc] of Object.entries(services)) {
        for (const target of Object.keys(dependsOn(asDict(svc, name)))) {
          expect(services, `${name} depends on ${target}`).to.have.property(target);
        }
      }
    });

    it('wait for health only on services that have a healthcheck, and for completion only on one-shots', function () {
      for (const [name, svc] of Object.entries(services)) {
        for (const [target, condition] of Object.entries(dependsOn(asDict(svc, name)))) {
          expect(['service_started', 'service_healthy', 'service_completed_successfully']).to.include(condition);
          if (condition === 'service_healthy') {
            expect(healthcheckTest(service(target)), `${name} waits for ${target} health`).to.not.equal('');
          }
          if (condition === 'service_completed_successfully') {
            const restart = service(target).restart;
            expect(restart === undefined || restart === 'no', `${target} is a one-shot`).to.equal(true);
          }
        }
      }
    });

    it('have no cycles', function () {
      const state = new Map<string, 'visiting' | 'done'>();
      const visit = (name: string, trail: string[]) => {
        if (state.get(name) === 'done') return;
        expect(state.get(name), `cycle: ${[...trail, name].join(' -> ')}`).to.not.equal('visiting');
        state.set(name, 'visiting');
        for (const target of Object.keys(dependsOn(service(name)))) visit(target, [...trail, name]);
        state.set(name, 'done');
      };
      for (const name of Object.keys(services)) visit(name, []);
    });

    it('order the one-shot Temporal setup: schema, server, namespace, search attributes', function () {
      expect(dependsOn(service('temporal-admin-tools'))).to.deep.include({ postgresql: 'service_healthy' });
      expect(dependsOn(service('temporal-search-attributes'))).to.deep.include({ temporal: 'service_healthy' });
      const namespaceJob = Object.keys(dependsOn(service('temporal-search-attributes'))).find((n) =>
        /namespace/.test(n),
      );
      expect(namespaceJob, 'a namespace job runs before the search attributes').to.be.a('string');
      expect(dependsOn(service(namespaceJob as string))).to.deep.include({ temporal: 'service_healthy' });
    });
  });

  describe('networks and volumes', function () {
    it('are all defined', function () {
      const networks = isDict(compose.networks) ? Object.keys(compose.networks) : [];
      const volumes = isDict(compose.volumes) ? Object.keys(compose.volumes) : [];
      for (const [name, svc] of Object.entries(services)) {
        for (const network of networksOf(asDict(svc, name))) {
          if (network !== 'default') expect(networks, `${name} network`).to.include(network);
        }
        const raw = asDict(svc, name).volumes;
        for (const entry of Array.isArray(raw) ? raw : []) {
          let namedVolume: string | undefined;
          if (isDict(entry)) {
            if (entry.type === 'volume' && entry.source !== undefined) namedVolume = String(entry.source);
          } else {
            const parts = String(entry).split(':');
            // "name:/path" is a named volume; "./dir:/path" or "/dir:/path" a bind mount; "/path" anonymous.
            if (parts.length >= 2 && !/^[./~]/.test(parts[0] ?? '')) namedVolume = parts[0];
          }
          if (namedVolume !== undefined) expect(volumes, `${name} volume`).to.include(namedVolume);
        }
      }
    });

    it('let each service reach what it talks to', function () {
      const links: Array<[string, string]> = [
        ['temporal-admin-tools', 'postgresql'],
        ['temporal', 'postgresql'],
        ['temporal-search-attributes', 'temporal'],
        ['temporal-ui', 'temporal'],
        ['worker', 'temporal'],
        ['worker', 'mongodb'],
        ['api', 'temporal'],
        ['api', 'mongodb'],
      ];
      for (const [from, to] of links) expect(shareNetwork(from, to), `${from} -> ${to}`).to.equal(true);
    });

    it('persist the database data directories', function () {
      const volumeTargets = (name: string) =>
        (service(name).volumes as unknown[]).map((v) => (isDict(v) ? String(v.target) : String(v).split(':')[1]));
      expect(volumeTargets('postgresql')).to.include('/var/lib/postgresql/data');
      expect(volumeTargets('mongodb')).to.include('/data/db');
    });
  });

  describe('temporal-admin-tools schema setup', function () {
    it('creates and migrates both databases with the postgres12 plugin', function () {
      const run = runSetupScript('temporal-admin-tools');
      expect(run.status, run.output).to.equal(0);
      const sqlCalls = run.calls.filter((c) => c[0] === 'temporal-sql-tool');
      for (const call of sqlCalls) {
        expect(flagValue(call, '--plugin')).to.equal('postgres12');
        expect(flagValue(call, '--ep')).to.equal('postgresql');
        expect(flagValue(call, '-u')).to.equal('temporal');
      }
      for (const [db, dir] of [
        ['temporal', 'temporal'],
        ['temporal_visibility', 'visibility'],
      ] as const) {
        const steps = sqlCalls.filter((c) => flagValue(c, '--db') === db);
        const index = (verb: string) => steps.findIndex((c) => c.includes(verb));
        expect(index('create'), `${db} create`).to.be.at.least(0);
        expect(index('setup-schema'), `${db} setup-schema`).to.be.greaterThan(index('create'));
        expect(index('update-schema'), `${db} update-schema`).to.be.greaterThan(index('setup-schema'));
        const update = steps[index('update-schema')] as string[];
        expect(flagValue(update, '-d')).to.equal(`/etc/temporal/schema/postgresql/v12/${dir}/versioned`);
      }
    });

    it('fails when the schema cannot be set up, so the server never starts on a broken schema', function () {
      const run = runSetupScript('temporal-admin-tools', { STUB_FAIL: 'setup-schema' });
      expect(run.status).to.not.equal(0);
    });
  });

  describe('temporal-search-attributes', function () {
    it('registers all four Keyword attributes on namespace default via temporal:7233', function () {
      const run = runSetupScript('temporal-search-attributes');
      expect(run.status, run.output).to.equal(0);
      const creates = run.calls.filter((c) => isCall(c, 'temporal', 'operator', 'search-attribute', 'create'));
      expect(creates, 'search-attribute create calls').to.not.be.empty;
      const registered: Record<string, string> = {};
      for (const call of creates) {
        expect(flagValue(call, '--address')).to.equal('temporal:7233');
        expect(flagValue(call, '--namespace') ?? flagValue(call, '-n')).to.equal('default');
        const names = call.flatMap((arg, i) => (arg === '--name' ? [call[i + 1] as string] : []));
        const types = call.flatMap((arg, i) => (arg === '--type' ? [call[i + 1] as string] : []));
        expect(types).to.have.length(names.length);
        names.forEach((n, i) => (registered[n] = types[i] as string));
      }
      expect(registered).to.deep.equal(Object.fromEntries(SEARCH_ATTRIBUTES.map((n) => [n, 'Keyword'])));
    });

    it('waits until the attributes can be queried before reporting success', function () {
      const run = runSetupScript('temporal-search-attributes');
      const probe = run.calls.find((c) => isCall(c, 'temporal', 'workflow', 'list'));
      expect(probe, 'a visibility query probe').to.not.equal(undefined);
      const query = flagValue(probe as string[], '--query') ?? '';
      for (const name of SEARCH_ATTRIBUTES) expect(query).to.include(name);
      const lastCreate = run.calls.reduce(
        (last, c, i) => (isCall(c, 'temporal', 'operator', 'search-attribute', 'create') ? i : last),
        -1,
      );
      expect(lastCreate, 'search-attribute create').to.be.at.least(0);
      expect(run.calls.indexOf(probe as string[]), 'probe runs after the last create').to.be.greaterThan(lastCreate);
    });

    it('fails (after retrying) when the attributes cannot be created, so workers do not start', function () {
      const run = runSetupScript('temporal-search-attributes', { STUB_FAIL: 'search-attribute create' });
      expect(run.status).to.not.equal(0);
      const attempts = run.calls.filter((c) => isCall(c, 'temporal', 'operator', 'search-attribute', 'create'));
      expect(attempts).to.have.length(3);
    });
  });

  describe('namespace job', function () {
    const namespaceJob = () =>
      Object.keys(dependsOn(service('temporal-search-attributes'))).find((n) => /namespace/.test(n)) as string;

    it('creates namespace default when it does not exist', function () {
      const run = runSetupScript(namespaceJob(), { STUB_FAIL: 'namespace describe' });
      expect(run.status, run.output).to.equal(0);
      const create = run.calls.find((c) => isCall(c, 'temporal', 'operator', 'namespace', 'create'));
      expect(create, 'namespace create').to.not.equal(undefined);
      expect(flagValue(create as string[], '--namespace') ?? flagValue(create as string[], '-n')).to.equal('default');
      expect(flagValue(create as string[], '--address')).to.equal('temporal:7233');
      expect(flagValue(create as string[], '--retention')).to.match(/^\d+[hd]$/);
    });

    it('leaves an existing namespace alone', function () {
      const run = runSetupScript(namespaceJob());
      expect(run.status, run.output).to.equal(0);
      expect(run.calls.some((c) => isCall(c, 'temporal', 'operator', 'namespace', 'create'))).to.equal(false);
    });
  });
});

describe('Dockerfile', function () {
  const instructions = () =>
    fs
      .readFileSync(dockerfilePath, 'utf8')
      .replace(/\\\n/g, ' ')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#'));

  it('exists and starts FROM node:20', function () {
    expect(fs.existsSync(dockerfilePath)).to.equal(true);
    const from = instructions().find((l) => /^FROM\s/i.test(l));
    expect(from).to.match(/^FROM\s+node:20[-.\w]*(\s|$)/i);
  });

  /** The instructions of the image that runs: those after the last FROM (a build stage comes before). */
  const finalStage = () => {
    const lines = instructions();
    const from = lines.map((l, i) => (/^FROM\s/i.test(l) ? i : -1)).filter((i) => i >= 0).pop() ?? 0;
    return lines.slice(from);
  };

  it('installs production dependencies with npm ci from the lockfile', function () {
    const lines = finalStage();
    const copyLock = lines.findIndex((l) => /^COPY\s.*package-lock\.json/i.test(l));
    const npmCi = lines.findIndex((l) => /^RUN\s.*\bnpm ci\b/i.test(l));
    expect(npmCi, 'RUN npm ci').to.be.at.least(0);
    expect(copyLock, 'package-lock.json copied before npm ci').to.be.within(0, npmCi);
    expect(lines[npmCi]).to.include('--omit=dev');
  });

  it('builds the web app in a stage of its own and copies only web/dist into the image', function () {
    const lines = instructions();
    const stage = lines.find((l) => /^FROM\s+node:20\S*\s+AS\s+web$/i.test(l));
    expect(stage, 'FROM node:20… AS web').to.be.a('string');
    const build = lines.findIndex((l) => /^RUN\s.*\bnpm run web:build\b/.test(l));
    expect(build, 'RUN npm run web:build').to.be.greaterThan(lines.indexOf(stage!));
    expect(finalStage()).to.include('COPY --from=web /build/web/dist ./web/dist');
    expect(finalStage().some((l) => /web:build/.test(l)), 'no build tools in the image').to.equal(false);
  });

  it('runs as the unprivileged node user and starts the api by default', function () {
    const lines = finalStage();
    const user = lines.filter((l) => /^USER\s/i.test(l)).pop();
    expect(user).to.equal('USER node');
    const cmd = lines.filter((l) => /^CMD\s/i.test(l)).pop() ?? '';
    expect(cmd.replace(/[[\]",]/g, ' ').trim().split(/\s+/).slice(1).join(' ')).to.equal('npm run api');
  });

  it('can run the worker and api without dev dependencies', function () {
    const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
      scripts?: Record<string, string>;
      dependencies?: Record<string, string>;
    };
    expect(pkg.scripts?.worker).to.match(/^tsx /);
    expect(pkg.scripts?.api).to.match(/^tsx /);
    expect(pkg.dependencies, 'tsx must be a runtime dependency').to.have.property('tsx');
  });

  it('keeps dependencies, VCS data, tests and secrets out of the build context', function () {
    const ignored = fs
      .readFileSync(dockerignorePath, 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#'));
    expect(ignored).to.include.members(['node_modules', '.data', '.git', 'test', 'bench', '.env']);
  });
});
