// What an outside fuzzer (schemathesis) reads in /openapi.json holds (issue 26): undeclared methods
// answer 405 with Allow, schema-valid requests are not refused for values the schema admits, and
// every answer the rate limit can give is documented.
import { expect } from 'chai';
import { harness, type Harness } from './support/harness';

describe('the contract as an outside fuzzer reads it', function () {
  this.timeout(60_000);
  let h: Harness;
  let doc: { paths: Record<string, Record<string, { parameters?: Array<{ name: string; schema: { enum?: string[] } }>; requestBody?: { content: { 'application/json': { schema: unknown } } }; responses: Record<string, unknown> }>> };
  before(async () => {
    h = await harness();
    doc = await (await fetch(`${h.baseUrl}/openapi.json`)).json() as typeof doc;
  });

  it('a method a path does not have answers 405 with Allow, as problem details', async () => {
    for (const [path, allow] of [['/api/treatments', 'GET, HEAD, POST'], ['/healthz', 'GET, HEAD'], ['/api/treatments/00000000-0000-4000-8000-000000000000/flags/read', 'POST']] as const) {
      const res = await fetch(`${h.baseUrl}${path}`, { method: 'TRACE' }).catch(() => null) ?? await fetch(`${h.baseUrl}${path}`, { method: 'PATCH' });
      expect(res.status, path).to.equal(405);
      expect(res.headers.get('allow'), path).to.equal(allow);
      expect(res.headers.get('content-type')).to.match(/problem\+json/);
    }
    expect((await fetch(`${h.baseUrl}/api/nothing-here`, { method: 'TRACE' }).catch(() => null))?.status ?? 404).to.equal(404);
  });

  it('the statistics region is one of the configured regions; a start date is format: date', () => {
    const region = doc.paths['/api/statistics']!.get!.parameters!.find((p) => p.name === 'region')!;
    expect(region.schema.enum).to.deep.equal(['region-x', 'region-y', 'region-z']);
    const plan = JSON.stringify(doc.paths['/api/treatments/{id}/activity-plans']!.post!.requestBody!.content['application/json'].schema);
    expect(plan).to.match(/"startDate":\{[^}]*"format":"date"/);
  });

  it('429 is documented on every path, the open ones too', () => {
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) expect(op.responses, `${method} ${path}`).to.have.property('429');
    }
  });
});
