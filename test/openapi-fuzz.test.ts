// The OpenAPI document agrees with the app and with ../shared/API.md, and thousands of malformed
// requests generated from it get no 5xx answer.
import { expect } from 'chai';
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { harness, type Harness } from './support/harness';
import { testPersonnummer } from './support/fixtures';
import { createApp } from '../api/app';
import { loadPrograms } from '../infra/programs';

const ROOT = path.join(__dirname, '..');
const REQUESTS = 3_000;

describe('OpenAPI document and fuzzing (real servers)', function () {
  this.timeout(300_000);
  let h: Harness;
  let doc: { openapi: string; paths: Record<string, Record<string, { parameters: Array<{ name: string; in: string }>; requestBody?: unknown; responses: Record<string, { content?: Record<string, { schema?: unknown }> }> }>> };
  before(async () => {
    h = await harness();
    doc = (await h.request('GET', '/openapi.json')).body;
  });

  it('is OpenAPI 3.1 with every documented route served by the app', async () => {
    expect(doc.openapi).to.equal('3.1.0');
    const unserved: string[] = [];
    for (const [p, methods] of Object.entries(doc.paths)) {
      for (const method of Object.keys(methods)) {
        const url = p.replace(/\{[^}]+\}/g, 'x');
        const res = await h.request(method.toUpperCase(), url);
        if (res.status === 404 && res.body?.detail === 'no such resource') unserved.push(`${method} ${p}`);
      }
    }
    expect(unserved).to.deep.equal([]);
  });

  it('documents the body of every answer, so a typed client can be generated from it', () => {
    const undocumented: string[] = [];
    for (const [p, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        const [status, ok] = Object.entries(op.responses).find(([s]) => /^[23]/.test(s))!;
        // 204 and a redirect (the sign-in's 303) carry no body.
        if (status !== '204' && !status.startsWith('3') && !Object.values(ok.content ?? {}).some((c) => c.schema)) undocumented.push(`${method} ${p} ${status}`);
      }
    }
    expect(undocumented).to.deep.equal([]);
  });

  it('documents instants as UTC and names the shapes a client shares (Treatment, Flag, …)', () => {
    const schemas = (doc as unknown as { components: { schemas: Record<string, { properties?: Record<string, { pattern?: string; format?: string }> }> } }).components.schemas;
    expect(schemas).to.include.keys('Treatment', 'Module', 'Flag', 'Conversation', 'Message', 'TimelineEntry', 'ActivityPlanDetail', 'PatientTreatment', 'Statistics', 'Problem');
    const startedAt = JSON.stringify(schemas.Treatment!.properties!.startedAt);
    expect(startedAt).to.include('date-time');
    expect(startedAt).to.include('Z'); // zod's UTC-only pattern: no offsets
  });

  it('documents every route the app serves (walking Express\'s own router, not the source)', async () => {
    const app = createApp({ config: h.config, client: h.client, programs: loadPrograms(h.config.programOverrides) });
    type Layer = { route?: { path: string; methods: Record<string, boolean> }; handle?: { stack?: Layer[] } };
    const served: string[] = [];
    const walk = (stack: Layer[]) => {
      for (const layer of stack) {
        if (layer.route) for (const m of Object.keys(layer.route.methods)) served.push(`${m} ${layer.route.path.replace(/:([A-Za-z]+)/g, '{$1}')}`);
        else if (layer.handle?.stack) walk(layer.handle.stack);
      }
    };
    walk((app as unknown as { router: { stack: Layer[] } }).router.stack);
    expect(served.length).to.be.greaterThan(40); // the walk found the routes
    const documented = Object.entries(doc.paths).flatMap(([p, ms]) => Object.keys(ms).map((m) => `${m} ${p}`));
    // The codec router is mounted at /codec, so its own paths are suffixes; the docs' static assets are not API.
    const missing = served.filter((r) => !r.includes('/docs/') && !documented.some((d) => d === r || (r.startsWith('post /') && d.endsWith(`/codec${r.slice(5)}`))));
    expect(missing).to.deep.equal([]);
  });

  it('serves every path of ../shared/API.md', function () {
    const apiMd = path.join(ROOT, '..', 'shared', 'API.md');
    if (!existsSync(apiMd)) this.skip(); // reason: shared/ sits beside the repository in the workplace and in CI, not in a plain clone
    const text = readFileSync(apiMd, 'utf8');
    const wanted = [...text.matchAll(/`(GET|POST|PUT|PATCH|DELETE)(?: \/ (?:GET|POST|PUT|PATCH|DELETE))? (\/[^`\s]+)`/g)].flatMap((m) => {
      const methods = m[0].match(/GET|POST|PUT|PATCH|DELETE/g)!;
      return methods.map((meth) => `${meth.toLowerCase()} ${m[2]!.replace(/:([A-Za-z]+)/g, '{$1}').replace(/…/g, '')}`);
    });
    const documented = Object.entries(doc.paths).flatMap(([p, ms]) => Object.keys(ms).map((m) => `${m} ${p}`));
    const norm = (s: string) => s.replace(/\{[^}]+\}/g, '{}');
    const missing = wanted.filter((w) => !documented.some((d) => norm(d) === norm(w) || norm(d).endsWith(norm(w).split(' ')[1]!) && d.startsWith(w.split(' ')[0]!)));
    expect(wanted.length).to.be.greaterThan(20);
    expect(missing).to.deep.equal([]);
  });

  it('thousands of malformed requests against every endpoint: no 5xx, and the server stays up', async () => {
    const clinician = await h.token({ role: 'clinician', sub: 'SE2321000016-6666', careUnits: ['unit-fuzz'] });
    const pnr = testPersonnummer();
    const created = await h.request('POST', '/api/treatments', { token: clinician, body: { personnummer: pnr, programId: 'tobakshjalpen', careUnitId: 'unit-fuzz' } });
    const patient = await h.token({ role: 'patient', sub: pnr });
    await h.request('GET', '/api/me/treatment', { token: patient });
    const ops = await h.token({ role: 'ops', sub: 'ops-fuzz' });
    const tokenFor = (role: string) => (role === 'patient' ? patient : role === 'ops' ? ops : clinician);

    const nasty = fc.oneof(
      fc.string({ maxLength: 50 }),
      fc.string({ unit: 'binary', maxLength: 50 }),
      fc.constantFrom('', ' ', '\u0000', '\u202e', '𝕏'.repeat(20), '../../etc/passwd', '%00', 'x'.repeat(20_000), '{}', '[]', 'null', '19121212-1212', '__proto__', 'constructor'),
      fc.uuid(),
      fc.constant(created.body.id as string),
    );
    const json = fc.oneof(
      fc.anything({ maxDepth: 3, withObjectString: true, withNullPrototype: true }),
      fc.dictionary(nasty, fc.anything({ maxDepth: 2 }), { maxKeys: 6 }),
      fc.constant(JSON.parse('{"__proto__": {"polluted": 1}, "constructor": {"prototype": {"x": 1}}}')),
    );
    const sample = fc.record({
      params: fc.array(nasty, { minLength: 4, maxLength: 4 }),
      query: fc.dictionary(nasty, nasty, { maxKeys: 4 }),
      body: json,
      broken: fc.oneof(fc.constant(null), fc.constantFrom('{', '{"a":', '[1,2', 'nul', '\u0000', '{"x": "\\ud800"}')),
    });
    let sent = 0;
    const failures: string[] = [];
    const routes = Object.entries(doc.paths).flatMap(([p, ms]) => Object.entries(ms).map(([method, op]) => ({ path: p, method, role: (op as unknown as { 'x-roles': string })['x-roles'] })))
      .filter((r) => r.path !== '/docs');
    // 3,000 requests, about 50 per operation, the same every run (seed 42). `.ci/run` adds an outside
    // fuzzer's (schemathesis, `npm run test:contract`), which generates its own from the schemas.
    for (const route of routes) {
      const samples = fc.sample(sample, { numRuns: Math.ceil(REQUESTS / routes.length), seed: 42 });
      for (const s of samples) {
        let i = 0;
        const url = route.path.replace(/\{[^}]+\}/g, () => encodeURIComponent(s.params[i++ % 4]!)) + (Object.keys(s.query).length ? `?${new URLSearchParams(s.query).toString()}` : '');
        const role = route.role === 'clinician+ops' || route.role === 'any' ? 'clinician' : route.role;
        const res = await h.request(route.method.toUpperCase(), url, {
          token: role === 'none' ? undefined : tokenFor(role),
          ...(route.method === 'get' || route.method === 'delete' ? {} : s.broken !== null ? { rawBody: s.broken } : { rawBody: JSON.stringify(s.body) ?? 'null' }),
        });
        sent += 1;
        if (res.status >= 500 && !(route.path === '/readyz' && res.status === 503)) failures.push(`${route.method} ${url.slice(0, 120)} -> ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
      }
    }
    expect(sent).to.be.at.least(REQUESTS);
    expect(failures.slice(0, 10)).to.deep.equal([]);
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
    expect((await h.request('GET', '/healthz')).status).to.equal(200);
    expect((await h.request('GET', '/readyz')).status).to.equal(200);
  });
});
