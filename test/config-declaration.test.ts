import { expect } from 'chai';
import { parse } from 'yaml';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// Each setting is declared once (infra/config.ts): what it generates must match the committed
// files, the compose example must agree with it, and reading it must have no side effects.

import { COMPOSE_SETTINGS, ConfigError, SETTINGS, ensureDevSecrets, loadConfig, type Setting } from '../infra/config';
import { GENERATED_FILES, configurationMarkdown, envExample, schemaDefault } from '../infra/config-docs';

const root = path.join(__dirname, '..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');
const DECLARED: Record<string, Setting> = { ...SETTINGS, ...COMPOSE_SETTINGS };

/** The compose example's variables: `NAME=value` (set) and `# NAME=value` (commented out: optional, at its default). */
function exampleVariables(): Map<string, { value: string; commented: boolean }> {
  const named = new Map<string, { value: string; commented: boolean }>();
  for (const line of read('deploy/compose.env.example').split('\n')) {
    const m = /^(#\s*)?([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (m) named.set(m[2]!, { value: m[3]!, commented: m[1] !== undefined });
  }
  return named;
}

type Service = { command?: unknown; environment?: Record<string, unknown> };
const compose = parse(read('temporal-docker-compose.yml')) as { services: Record<string, Service> };
const composeText = read('temporal-docker-compose.yml').split('\n').filter((l) => !l.trim().startsWith('#')).join('\n');
/** The compose services that run our processes (`npm run worker`, `npm run api`). */
const processes = Object.entries(compose.services).filter(([, s]) => /^npm run (worker|api)$/.test([s.command].flat().join(' ')));

describe('configuration: each setting declared once', () => {
  it('every setting has a one-line description; a default fixed in its schema is not described again in words', () => {
    for (const [name, s] of Object.entries(DECLARED)) {
      expect(s.description, name).to.be.a('string').and.match(/\S/);
      expect(s.description, name).to.not.include('\n');
      if (schemaDefault(s) !== undefined) expect(s.computedDefault, `${name}: its default is in its schema`).to.equal(undefined);
    }
    expect(Object.keys(SETTINGS).filter((k) => k in COMPOSE_SETTINGS), 'declared twice').to.deep.equal([]);
  });

  for (const [what, file, generate] of [['docs/configuration.md', GENERATED_FILES.doc, configurationMarkdown], ['.env.example', GENERATED_FILES.envExample, envExample]] as const) {
    it(`${what} is what the declaration generates (else run npm run docs:config)`, () => {
      const committed = read(file).split('\n');
      const generated = generate().split('\n');
      const line = generated.findIndex((text, i) => committed[i] !== text);
      const at = line === -1 ? committed.length === generated.length ? null : Math.min(committed.length, generated.length) : line;
      expect(at === null, `${file} differs from the declaration in infra/config.ts at line ${(at ?? 0) + 1}: run npm run docs:config`).to.equal(true);
    });
  }

  it('the docs link the generated page', () => {
    expect(read('README.md')).to.include('(docs/configuration.md)');
    expect(read('docs/operations.md')).to.include('(configuration.md)');
  });

  describe('deploy/compose.env.example against the declaration', () => {
    const example = exampleVariables();

    it('names only variables the declaration knows, each one the compose file uses', () => {
      const unknown = [...example.keys()].filter((name) => !(name in DECLARED));
      expect(unknown, 'variables in deploy/compose.env.example that infra/config.ts does not declare').to.deep.equal([]);
      const unused = [...example.keys()].filter((name) => !composeText.includes(`\${${name}`));
      expect(unused, 'variables in deploy/compose.env.example that temporal-docker-compose.yml never reads').to.deep.equal([]);
    });

    it('lists every variable production requires, unless the compose file sets it itself', () => {
      expect(processes.map(([name]) => name).sort()).to.deep.equal(['api', 'worker']);
      const missing: string[] = [];
      for (const [name, s] of Object.entries(DECLARED)) {
        if (!s.production || example.has(name)) continue;
        const needing = name in COMPOSE_SETTINGS ? [] : processes.filter(([service]) => s.production === 'required' || service === 'api');
        // Set by the compose file from other values (TEMPORAL_ADDRESS, MONGODB_URI): nothing for the operator to give.
        const setByCompose = needing.length > 0 && needing.every(([, svc]) => {
          const value = svc.environment?.[name];
          return value !== undefined && !String(value).includes(`\${${name}`);
        });
        if (!setByCompose) missing.push(name);
      }
      expect(missing, 'required in production but missing from deploy/compose.env.example').to.deep.equal([]);
    });

    it('a variable commented out is at its declared default, and a required one is left empty', () => {
      for (const [name, { value, commented }] of example) {
        const s = DECLARED[name];
        if (!s) continue; // named above
        if (commented) expect(value, `${name}: the example's default`).to.equal(schemaDefault(s));
        if (s.production) expect({ value, commented }, `${name} is required: set and empty`).to.deep.equal({ value: '', commented: false });
      }
    });

    it('every variable the compose file reads is declared', () => {
      const read = [...new Set([...composeText.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]!))];
      expect(read.filter((name) => !(name in DECLARED))).to.deep.equal([]);
    });
  });

  describe('loadConfig follows the declaration', () => {
    const keys = `k1:${Buffer.from(Array.from({ length: 32 }, (_, i) => i * 7)).toString('base64')}`;
    const production: Record<string, string> = {
      DATA_DIR: path.join(os.tmpdir(), 'config-declaration-unused'), NODE_ENV: 'production',
      TEMPORAL_ADDRESS: 'temporal:7233', MONGODB_URI: 'mongodb://db:27017/tobakshjalpen',
      PATIENT_KEY_SECRET: 'a7f3c9e1b5d2f8a4c6e0b3d9f1a5c7e2', PAYLOAD_KEYS: keys, ARCHIVE_KEY: keys.slice(3),
      PUBLIC_URL: 'https://tobakshjalpen.region.example',
      JWKS_URL: 'https://idp.region.example/jwks', JWT_ISSUER: 'https://idp.region.example', JWT_AUDIENCE: 'tobakshjalpen',
    };

    it('the defaults are the schemas\' defaults', () => {
      const config = loadConfig({ ...production }, { auth: true });
      for (const [name, s] of Object.entries(SETTINGS)) {
        const fixed = schemaDefault(s);
        if (fixed !== undefined && !(name in production)) expect(String(config.env[name as keyof typeof config.env]), name).to.equal(fixed);
      }
    });

    it('production refuses to start without what the declaration says it requires, naming each one missing', () => {
      expect(() => loadConfig(production, { auth: true })).to.not.throw();
      for (const [name, s] of Object.entries(SETTINGS)) {
        if (name === 'NODE_ENV') continue; // what makes it production
        const without = { ...production };
        delete without[name];
        const api = () => loadConfig(without, { auth: true });
        const worker = () => loadConfig(without, { auth: false });
        if (s.production === 'required') {
          expect(api, name).to.throw(ConfigError, new RegExp(`${name} is required when NODE_ENV=production`));
          expect(worker, name).to.throw(ConfigError, new RegExp(`${name} is required`));
        } else if (s.production === 'api') {
          expect(api, name).to.throw(ConfigError, new RegExp(`${name} is required`));
          expect(worker, `${name}: a worker verifies no tokens`).to.not.throw();
        } else {
          expect(api, `${name} is not required in production`).to.not.throw();
        }
      }
      const none = loadConfig.bind(null, { NODE_ENV: 'production' }, { auth: false });
      const required = Object.entries(SETTINGS).filter(([, s]) => s.production === 'required').map(([name]) => name);
      expect(none).to.throw(`configuration: ${required.join(', ')} are required when NODE_ENV=production`);
    });

    it('parsing creates nothing: no DATA_DIR, no secrets; the entry point makes those at startup', () => {
      const dataDir = path.join(mkdtempSync(path.join(os.tmpdir(), 'config-declaration-')), 'data');
      const env = { DATA_DIR: dataDir };
      expect(() => loadConfig(env, { auth: true, development: true })).to.throw(ConfigError, /is not set and .* does not exist/);
      expect(existsSync(dataDir), 'loadConfig made DATA_DIR').to.equal(false);
      ensureDevSecrets(env);
      expect(readdirSync(path.join(dataDir, 'secrets')).sort()).to.deep.equal(['archive-key', 'dev-jwt-secret', 'patient-key-secret', 'payload-key-dev1']);
      const first = loadConfig(env, { auth: true, development: true });
      ensureDevSecrets(env); // a second start keeps them
      const second = loadConfig(env, { auth: true, development: true });
      expect(second.patientKeySecret).to.equal(first.patientKeySecret);
      expect(second.payloadKeys).to.equal(first.payloadKeys);
      expect(second.auth).to.deep.equal(first.auth);
      // Production reads no development secret, and ensureDevSecrets makes none there.
      const elsewhere = path.join(path.dirname(dataDir), 'production');
      ensureDevSecrets({ ...production, DATA_DIR: elsewhere });
      loadConfig({ ...production, DATA_DIR: elsewhere });
      expect(existsSync(elsewhere)).to.equal(false);
    });
  });
});
