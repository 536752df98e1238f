// The compose file and the local stack cannot drift apart: what `npm run stack` ran (its manifest)
// is compared with temporal-docker-compose.yml service by service: the service list, the images and
// their versions, the scripts of the one-shot services, and each process's environment. A change
// on either side fails here until stack/compose.ts (STACK_PLAN) and docs/operations.md follow it.
import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Stack } from '../../stack';
import { redact } from '../../stack';
import { CLI_IN_IMAGE, REPO_ROOT, STACK_PLAN, environmentOf, hostPath, readCompose } from '../../stack/compose';
import { TEMPORAL_SERVER_VERSION, UI_SERVER_VERSION } from '../../stack/binaries';
import { TEMPORAL_CLI_VERSION } from '../../dev/servers';
import { stackHarness } from './harness';

const compose = readCompose();
const tag = (service: string) => compose.get(service)!.image!.split(':')[1]!;

describe('temporal-docker-compose.yml and the stack that ran', function () {
  let s: Stack;
  let vars: Record<string, string>;

  before(async function () {
    this.timeout(1_200_000);
    s = await stackHarness();
    // The variables the stack ran with: the secrets from its env file, the rest from the manifest.
    const secrets = Object.fromEntries(readFileSync(path.join(s.dataDir, 'compose.env'), 'utf8').split('\n')
      .filter((l) => /^[A-Z_]+=/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    vars = { ...s.manifest.variables, ...secrets };
  });

  it('runs every service of the compose file and no other', () => {
    const services = [...compose.keys()].sort();
    expect(Object.keys(STACK_PLAN).sort(), 'stack/compose.ts STACK_PLAN').to.deep.equal(services);
    expect(Object.keys(s.manifest.services).sort(), 'what ran').to.deep.equal(services);
  });

  it('was planned for the images the compose file names', () => {
    for (const [name, svc] of compose) {
      const image = svc.image ?? '';
      expect(STACK_PLAN[name]!.image, `${name}: the compose file now says ${image}; update STACK_PLAN and the stack`).to.equal(image);
    }
  });

  it('ran the versions of those images', () => {
    const v = (service: string) => s.manifest.services[service]!.version;
    expect(v('postgresql'), 'postgres image major version').to.match(new RegExp(`\\(PostgreSQL\\) ${tag('postgresql')}\\.`));
    expect(v('temporal')).to.contain(tag('temporal'));
    expect(`v${tag('temporal')}`).to.equal(TEMPORAL_SERVER_VERSION);
    const [server, , , , cli] = tag('temporal-admin-tools').split('-');
    expect(v('temporal-admin-tools'), 'temporal-sql-tool').to.contain(server!);
    expect(`v${server}`).to.equal(TEMPORAL_SERVER_VERSION);
    // The CLI: the image has cli-1.5.0; the stack runs the dev server's v1.5.1 build (same 1.5 line).
    expect(cli, 'the admin-tools image\'s CLI (CLI_IN_IMAGE in stack/compose.ts)').to.equal(CLI_IN_IMAGE);
    expect(TEMPORAL_CLI_VERSION.replace(/^v|\.\d+$/g, '')).to.equal(cli!.replace(/\.\d+$/, ''));
    for (const oneShot of ['temporal-create-namespace', 'temporal-search-attributes']) {
      expect(compose.get(oneShot)!.image).to.equal(compose.get('temporal-admin-tools')!.image);
      expect(v(oneShot)).to.contain(TEMPORAL_CLI_VERSION.slice(1));
    }
    expect(v('temporal-ui')).to.contain(tag('temporal-ui'));
    expect(`v${tag('temporal-ui')}`).to.equal(UI_SERVER_VERSION);
    expect(tag('mongodb')).to.equal('7');
    expect(v('mongodb')).to.match(/ferretdb|v1\.24/i);
  });

  it('ran the compose file\'s own one-shot scripts, as they are now, to success', () => {
    for (const [name, svc] of compose) {
      if (svc.restart !== 'no') continue;
      const ran = s.manifest.services[name]!;
      const argv = [...svc.entrypoint, ...svc.command];
      const script = argv.find((a) => a.endsWith('.sh'))!;
      const host = hostPath(svc, script);
      expect(ran.script?.path, name).to.equal(path.relative(REPO_ROOT, host));
      expect(ran.command?.[0], `${name} entrypoint`).to.equal(argv[0]);
      expect(ran.script?.sha256, `${name}: the script changed since the stack ran it`).to.equal(createHash('sha256').update(readFileSync(host)).digest('hex'));
      expect(ran.script?.exitCode, name).to.equal(0);
    }
  });

  it('ran the workers and APIs with the compose file\'s command, two of each', () => {
    for (const name of ['worker', 'api']) {
      expect(s.manifest.services[name]!.command).to.deep.equal(compose.get(name)!.command);
      expect(s.manifest.services[name]!.processes).to.have.length(2);
    }
  });

  it('gave each process the compose file\'s environment, differing only where STACK_PLAN says why', () => {
    for (const [name, svc] of compose) {
      const plan = STACK_PLAN[name]!;
      const ran = s.manifest.services[name]!;
      const expected = redact(environmentOf(svc, vars));
      for (const key of Object.keys(plan.overrides)) expect(svc.rawEnvironment, `${name}: STACK_PLAN overrides ${key}, which the compose file no longer sets`).to.have.property(key);
      for (const [key, value] of Object.entries(expected)) {
        if (key in plan.overrides) continue;
        expect(ran.environment[key], `${name} ${key}`).to.equal(value);
      }
      const allowed = new Set([...Object.keys(expected), ...Object.keys(plan.extras), ...(['worker', 'api'].includes(name) ? s.manifest.testSettings : [])]);
      for (const key of Object.keys(ran.environment)) expect(allowed.has(key), `${name}: ${key} is given but neither the compose file nor STACK_PLAN names it`).to.equal(true);
    }
  });

  it('gave the Temporal server the compose file\'s dynamic config', () => {
    const svc = compose.get('temporal')!;
    const file = hostPath(svc, svc.rawEnvironment.DYNAMIC_CONFIG_FILE_PATH!);
    expect(existsSync(file)).to.equal(true);
    expect(s.manifest.services.temporal!.environment.DYNAMIC_CONFIG_FILE_PATH).to.equal(file);
  });
});
