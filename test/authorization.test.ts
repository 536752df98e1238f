// Every endpoint × every kind of caller, with the exact status: no cross-unit or cross-patient
// read or write. Plus the access log (PDL), production token verification and hardening.
import { expect } from 'chai';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { harness, type Harness } from './support/harness';
import { eventually, testPersonnummer } from './support/fixtures';
import { createApp } from '../api/app';
import { loadConfig } from '../infra/config';
import { loadPrograms } from '../infra/programs';

const UUID0 = '00000000-0000-4000-8000-000000000000';

describe('authorization, access log and hardening (real servers)', function () {
  this.timeout(120_000);
  let h: Harness;
  const callers: Record<string, string | undefined> = {};
  let A: { id: string; pnr: string; conv: string; form: string; plan: string; occasionless: true };
  let B: { id: string; pnr: string };

  before(async () => {
    h = await harness();
    callers.none = undefined;
    callers.expired = await h.token({ role: 'clinician', sub: 'SE2321000016-0001', careUnits: ['unit-auth'] }, '-1m');
    callers.unit = await h.token({ role: 'clinician', sub: 'SE2321000016-0001', careUnits: ['unit-auth'] });
    callers.otherUnit = await h.token({ role: 'clinician', sub: 'SE2321000016-0002', careUnits: ['unit-other'] });
    callers.ops = await h.token({ role: 'ops', sub: 'ops-1' });
    const start = async () => {
      const pnr = testPersonnummer();
      const res = await h.request('POST', '/api/treatments', { token: callers.unit, body: { personnummer: pnr, programId: 'tobakshjalpen', careUnitId: 'unit-auth', patient: { name: 'Auth Person' } } });
      return { id: res.body.id as string, pnr };
    };
    const a = await start();
    B = await start();
    callers.patientA = await h.token({ role: 'patient', sub: a.pnr });
    callers.patientB = await h.token({ role: 'patient', sub: B.pnr });
    await h.request('GET', '/api/me/treatment', { token: callers.patientA });
    await h.request('GET', '/api/me/treatment', { token: callers.patientB });
    const conv = await h.request('POST', `/api/treatments/${a.id}/conversations`, { token: callers.unit, body: { subject: 's', text: 't', notify: false } });
    const form = await h.request('POST', '/api/me/treatment/modules/step-1/forms/tobacco-habits', { token: callers.patientA, body: { answers: { tobaccoType: ['snus'], amountPerDay: 1 } } });
    const plan = await h.request('POST', `/api/treatments/${a.id}/activity-plans`, { token: callers.unit, body: { title: 'p', elements: [{ formId: 'check-in' }], schedule: { weekdays: ['mon'], times: ['08:00'], weeks: 1 }, answerWindowDays: 1 } });
    A = { ...a, conv: conv.body.id, form: form.body.id, plan: plan.body.id, occasionless: true };
    // A token for another audience, signed with the right key: refused.
    const { SignJWT: Sign } = await import('jose');
    callers.wrongAudience = await new Sign({ role: 'clinician', careUnits: ['unit-auth'] }).setProtectedHeader({ alg: 'HS256' }).setSubject('x')
      .setIssuer('tobakshjalpen-dev').setAudience('another-api').setExpirationTime('1h').sign(new TextEncoder().encode((h.config.auth as { secret: string }).secret));
  });

  type Row = [method: string, path: () => string, body: unknown, expected: Record<string, number>];
  const unauth = { none: 401, expired: 401, wrongAudience: 401 };
  // Clinician endpoints on treatment A: the unit's clinician may; the other unit sees nothing (404); patients and ops are refused (403).
  const clin = (ok: number) => ({ ...unauth, unit: ok, otherUnit: 404, patientA: 403, patientB: 403, ops: 403 });
  const rows: Row[] = [
    ['GET', () => `/api/treatments/${A.id}`, undefined, clin(200)],
    ['GET', () => '/api/treatments', undefined, { ...unauth, unit: 200, otherUnit: 200, patientA: 403, patientB: 403, ops: 403 }],
    ['POST', () => '/api/treatments', { personnummer: testPersonnummer(), programId: 'tobakshjalpen', careUnitId: 'unit-auth' }, { ...unauth, unit: 201, otherUnit: 403, patientA: 403, patientB: 403, ops: 403 }],
    ['PUT', () => `/api/treatments/${A.id}/welcome-text`, { text: 'Hej' }, clin(200)],
    ['POST', () => `/api/treatments/${A.id}/modules/pregnancy/open`, undefined, clin(200)],
    ['POST', () => `/api/treatments/${A.id}/modules/pregnancy/current`, undefined, clin(200)],
    ['POST', () => `/api/treatments/${A.id}/modules/pregnancy/complete`, undefined, clin(200)],
    ['PATCH', () => `/api/treatments/${A.id}/modules/step-1`, { workDays: 20 }, clin(200)],
    ['GET', () => `/api/treatments/${A.id}/conversations`, undefined, clin(200)],
    ['POST', () => `/api/treatments/${A.id}/conversations`, { subject: 'x', text: 'y', notify: false }, clin(201)],
    ['POST', () => `/api/treatments/${A.id}/conversations/${A.conv}/messages`, { text: 'y', notify: false }, clin(201)],
    ['GET', () => `/api/treatments/${A.id}/forms`, undefined, clin(200)],
    ['GET', () => `/api/treatments/${A.id}/forms/${A.form}`, undefined, clin(200)],
    ['GET', () => `/api/treatments/${A.id}/timeline`, undefined, clin(200)],
    ['GET', () => `/api/treatments/${A.id}/activity-plans`, undefined, clin(200)],
    ['POST', () => `/api/treatments/${A.id}/activity-plans`, { title: 'p', elements: [{ formId: 'check-in' }], schedule: { weekdays: ['mon'], times: ['08:00'], weeks: 1 }, answerWindowDays: 1 }, clin(201)],
    ['DELETE', () => `/api/treatments/${A.id}/activity-plans/${A.plan}`, undefined, clin(204)],
    ['PUT', () => `/api/treatments/${A.id}/clinician`, { clinicianId: 'SE2321000016-0001' }, clin(200)],
    ['POST', () => `/api/treatments/${A.id}/purge`, undefined, clin(409)],
    ['GET', () => '/api/flags', undefined, { ...unauth, unit: 200, otherUnit: 200, patientA: 403, patientB: 403, ops: 403 }],
    ['POST', () => `/api/flags/${encodeURIComponent(`${A.id}:activated`)}/read`, undefined, { ...unauth, unit: 200, otherUnit: 404, patientA: 403, patientB: 403, ops: 403 }],
    ['GET', () => '/api/clinicians/me/settings', undefined, { ...unauth, unit: 200, otherUnit: 200, patientA: 403, patientB: 403, ops: 403 }],
    // Verification of contact addresses: each caller's own; nobody here has an address to verify yet (409).
    ['POST', () => '/api/clinicians/me/settings/verification-code', { channel: 'sms' }, { ...unauth, unit: 409, otherUnit: 409, patientA: 403, patientB: 403, ops: 403 }],
    ['POST', () => '/api/clinicians/me/settings/verify', { channel: 'sms', code: '123456' }, { ...unauth, unit: 409, otherUnit: 409, patientA: 403, patientB: 403, ops: 403 }],
    ['GET', () => '/api/statistics?careUnitId=unit-auth', undefined, { ...unauth, unit: 200, otherUnit: 403, patientA: 403, patientB: 403, ops: 200 }],
    ['GET', () => '/api/programs/tobakshjalpen', undefined, { ...unauth, unit: 200, otherUnit: 200, patientA: 200, patientB: 200, ops: 200 }],
    // The patient's own endpoints: each patient reaches only their own treatment.
    ['GET', () => '/api/me/treatment', undefined, { ...unauth, unit: 403, otherUnit: 403, patientA: 200, patientB: 200, ops: 403 }],
    ['POST', () => '/api/me/treatment/modules/intro/sections/welcome', { progress: 'started' }, { ...unauth, unit: 403, otherUnit: 403, patientA: 200, patientB: 200, ops: 403 }],
    ['GET', () => '/api/me/treatment/conversations', undefined, { ...unauth, unit: 403, otherUnit: 403, patientA: 200, patientB: 200, ops: 403 }],
    ['POST', () => `/api/me/treatment/conversations/${A.conv}/messages`, { text: 'x' }, { ...unauth, unit: 403, otherUnit: 403, patientA: 201, patientB: 404, ops: 403 }],
    ['GET', () => '/api/me/treatment/activities', undefined, { ...unauth, unit: 403, otherUnit: 403, patientA: 200, patientB: 200, ops: 403 }],
    ['POST', () => `/api/me/treatment/activities/${UUID0}:0`, { answers: {} }, { ...unauth, unit: 403, otherUnit: 403, patientA: 404, patientB: 404, ops: 403 }],
    ['GET', () => '/api/me/settings', undefined, { ...unauth, unit: 403, otherUnit: 403, patientA: 200, patientB: 200, ops: 403 }],
    ['POST', () => '/api/me/settings/verification-code', { channel: 'email' }, { ...unauth, unit: 403, otherUnit: 403, patientA: 409, patientB: 409, ops: 403 }],
    ['POST', () => '/api/me/settings/verify', { channel: 'email', code: '123456' }, { ...unauth, unit: 403, otherUnit: 403, patientA: 409, patientB: 409, ops: 403 }],
    ['GET', () => '/api/me/access-log', undefined, { ...unauth, unit: 403, otherUnit: 403, patientA: 200, patientB: 200, ops: 403 }],
    ['POST', () => '/api/ops/access-log/search', { clinicianId: 'x', from: '2020-01-01T00:00:00Z', to: '2100-01-01T00:00:00Z' }, { ...unauth, unit: 403, otherUnit: 403, patientA: 403, patientB: 403, ops: 200 }],
    // Without a reason even operations staff may not delete an archived record.
    ['DELETE', () => `/api/ops/archive/${A.id}`, undefined, { ...unauth, unit: 403, otherUnit: 403, patientA: 403, patientB: 403, ops: 403 }],
  ];

  it('answers every endpoint × caller with the exact status', async () => {
    const mismatches: string[] = [];
    for (const [method, path, body, expected] of rows) {
      for (const [caller, status] of Object.entries(expected)) {
        const res = await h.request(method, path(), { token: callers[caller], body });
        if (res.status !== status) mismatches.push(`${method} ${path()} as ${caller}: ${res.status}, expected ${status} (${JSON.stringify(res.body).slice(0, 120)})`);
      }
    }
    expect(mismatches).to.deep.equal([]);
  });

  it('what one patient or unit sees never includes another\'s data', async () => {
    const b = await h.request('GET', '/api/me/treatment', { token: callers.patientB });
    expect(b.body.id).to.equal(B.id);
    const convs = await h.request('GET', '/api/me/treatment/conversations', { token: callers.patientB });
    expect(convs.body.items).to.have.length(0);
    const list = await h.request('GET', '/api/treatments?pageSize=100', { token: callers.otherUnit });
    expect(list.body.items.map((i: { id: string }) => i.id)).to.not.include(A.id);
    const flags = await h.request('GET', '/api/flags', { token: callers.otherUnit });
    expect(flags.body.items.map((f: { treatmentId: string }) => f.treatmentId)).to.not.include(A.id);
  });

  it('logs every clinician access (PDL): the patient sees units and times, ops reviews by patient and by clinician; gallring keeps the log', async () => {
    const before = new Date(Date.now() - 1000).toISOString();
    const pnr = testPersonnummer();
    const created = await h.request('POST', '/api/treatments', { token: callers.unit, body: { personnummer: pnr, programId: 'tobakshjalpen', careUnitId: 'unit-auth' } });
    const id = created.body.id;
    await h.request('GET', `/api/treatments/${id}`, { token: callers.unit });
    await h.request('GET', `/api/treatments/${id}/timeline`, { token: callers.unit });
    await h.request('GET', `/api/treatments/${id}`, { token: callers.otherUnit }); // 404: not an access
    const patient = await h.token({ role: 'patient', sub: pnr });
    const mine = await h.request('GET', '/api/me/access-log', { token: patient });
    expect(mine.status).to.equal(200);
    expect(mine.body.items.length).to.be.at.least(3);
    expect(mine.body.items.every((e: { careUnitId: string }) => e.careUnitId === 'unit-auth')).to.equal(true);
    expect(JSON.stringify(mine.body)).to.not.contain('SE2321000016-0001'); // the patient sees units, not persons
    const range = { from: before, to: new Date(Date.now() + 60_000).toISOString() };
    const byPatient = await h.request('POST', '/api/ops/access-log/search', { token: callers.ops, body: { personnummer: pnr, ...range } });
    expect(byPatient.body.items.map((e: { action: string }) => e.action)).to.include.members([
      'POST /api/treatments', 'GET /api/treatments/:id', 'GET /api/treatments/:id/timeline',
    ]);
    expect(byPatient.body.items.every((e: { clinicianId: string; requestId: string }) => e.clinicianId === 'SE2321000016-0001' && e.requestId)).to.equal(true);
    const byClinician = await h.request('POST', '/api/ops/access-log/search', { token: callers.ops, body: { clinicianId: 'SE2321000016-0002', ...range } });
    expect(byClinician.body.items.map((e: { treatmentId: string }) => e.treatmentId)).to.not.include(id);
    // A clinician of two units names the unit they act for; the log and the patient's view name it (security #11).
    const twoUnits = await h.token({ role: 'clinician', sub: 'SE2321000016-0003', careUnits: ['unit-auth', 'unit-vc'] });
    const asVc = (extra: Record<string, string>) => fetch(`${h.baseUrl}/api/treatments/${id}`, { headers: { authorization: `Bearer ${twoUnits}`, ...extra } });
    expect((await asVc({ 'x-care-unit': 'unit-elsewhere' })).status).to.equal(403);
    expect((await asVc({ 'x-care-unit': 'unit-vc' })).status).to.equal(200);
    const acted = await h.request('POST', '/api/ops/access-log/search', { token: callers.ops, body: { clinicianId: 'SE2321000016-0003', ...range, to: new Date(Date.now() + 60_000).toISOString() } });
    expect(acted.body.items).to.have.length(1); // the refused request was no access
    expect(acted.body.items[0]).to.include({ careUnitId: 'unit-auth', actingCareUnitId: 'unit-vc', treatmentId: id });
    expect((await h.request('GET', '/api/me/access-log', { token: patient })).body.items.map((e: { careUnitId: string }) => e.careUnitId)).to.include('unit-vc');
    // No endpoint changes or deletes entries.
    expect((await h.request('DELETE', '/api/ops/access-log', { token: callers.ops })).status).to.be.oneOf([403, 404]);
    await h.request('POST', `/api/treatments/${id}/end`, { token: callers.unit, body: { reason: 'other', maintenance: false } });
    await h.request('POST', `/api/treatments/${id}/purge`, { token: callers.unit });
    await eventually(async () => (await h.request('GET', `/api/treatments/${id}`, { token: callers.unit })).body.status === 'purged', 30_000);
    const after = await h.request('POST', '/api/ops/access-log/search', { token: callers.ops, body: { personnummer: pnr, ...range } });
    expect(after.body.items.length).to.be.at.least(byPatient.body.items.length);
  });

  it('hardening: helmet headers, request ids, 413 for large bodies, page size capped', async () => {
    const res = await fetch(`${h.baseUrl}/healthz`);
    expect(res.headers.get('x-content-type-options')).to.equal('nosniff');
    expect(res.headers.get('x-request-id')).to.match(/^[0-9a-f-]{36}$/);
    const big = await fetch(`${h.baseUrl}/api/treatments`, {
      method: 'POST', headers: { authorization: `Bearer ${callers.unit}`, 'content-type': 'application/json' },
      body: JSON.stringify({ personnummer: 'x'.repeat(200_000) }),
    });
    expect(big.status).to.equal(413);
    expect((await h.request('GET', '/api/treatments?pageSize=1000', { token: callers.unit })).status).to.equal(400);
  });

  it('rate limit: too many requests answer 429', async () => {
    const config = loadConfig({ ...process.env, TEMPORAL_ADDRESS: h.embedded.temporalAddress, MONGODB_URI: h.embedded.mongoUri, DATA_DIR: h.dataDir, RATE_LIMIT_PER_MINUTE: '5' });
    const app = createApp({ config, client: h.client, programs: loadPrograms() });
    const server = await new Promise<http.Server>((r) => { const s = app.listen(0, '127.0.0.1', () => r(s)); });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/programs/tobakshjalpen`;
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await fetch(url, { headers: { authorization: `Bearer ${callers.unit}` } })).status);
    server.close();
    expect(statuses.slice(0, 5)).to.deep.equal([200, 200, 200, 200, 200]);
    expect(statuses.slice(5)).to.deep.equal([429, 429]);
  });

  it('attack: junk tokens do not buy fresh rate-limit buckets; they count against the address until a token verifies (security #5)', async () => {
    const config = loadConfig({ ...process.env, TEMPORAL_ADDRESS: h.embedded.temporalAddress, MONGODB_URI: h.embedded.mongoUri, DATA_DIR: h.dataDir, RATE_LIMIT_PER_MINUTE: '5' });
    const app = createApp({ config, client: h.client, programs: loadPrograms() });
    const server = await new Promise<http.Server>((r) => { const s = app.listen(0, '127.0.0.1', () => r(s)); });
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) statuses.push((await fetch(`${base}/api/treatments`, { headers: { authorization: `Bearer junk-${i}` } })).status);
      expect(statuses.slice(0, 5)).to.deep.equal([401, 401, 401, 401, 401]);
      expect(statuses.slice(5)).to.deep.equal([429, 429]);
      // The codec server asks who is calling before it reads a body: broken JSON without a token is 401, not 400.
      const codec = await fetch(`${h.baseUrl}/codec/decode`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"payloads": [' });
      expect(codec.status).to.equal(401);
      // Readiness answers anyone, but asks the servers at most every few seconds.
      const [a, b] = await Promise.all([fetch(`${h.baseUrl}/readyz`), fetch(`${h.baseUrl}/readyz`)]);
      const [ra, rb] = await Promise.all([a.json(), b.json()]) as Array<{ checkedAt: string }>;
      expect(ra!.checkedAt).to.equal(rb!.checkedAt);
      // A client's x-request-id is not taken as ours.
      const echoed = await fetch(`${h.baseUrl}/healthz`, { headers: { 'x-request-id': 'client-chosen-id-1' } });
      expect(echoed.headers.get('x-request-id')).to.match(/^[0-9a-f-]{36}$/);
    } finally {
      server.close();
    }
  });

  it('production verifies tokens against a JWKS (issuer, audience, expiry) and refuses development tokens', async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    const jwks = http.createServer((_req, res) => { res.setHeader('content-type', 'application/json'); res.end(JSON.stringify({ keys: [jwk] })); });
    await new Promise<void>((r) => jwks.listen(0, '127.0.0.1', r));
    const jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks.json`;
    const config = loadConfig({
      ...process.env, TEMPORAL_ADDRESS: h.embedded.temporalAddress, MONGODB_URI: h.embedded.mongoUri, DATA_DIR: h.dataDir, NODE_ENV: 'production', AUTH_MODE: 'production',
      PATIENT_KEY_SECRET: h.config.patientKeySecret, PAYLOAD_KEYS: h.config.payloadKeys, ARCHIVE_KEY: h.config.archive.key.toString('base64'),
      JWKS_URL: jwksUrl, JWT_ISSUER: 'https://idp.region.example', JWT_AUDIENCE: 'tobakshjalpen', PUBLIC_URL: 'https://tobakshjalpen.region.example',
    });
    const app = createApp({ config, client: h.client, programs: loadPrograms() });
    const server = await new Promise<http.Server>((r) => { const s = app.listen(0, '127.0.0.1', () => r(s)); });
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const sign = (aud: string, iss: string, exp: string) => new SignJWT({ role: 'ops' }).setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setSubject('ops-2').setIssuer(iss).setAudience(aud).setIssuedAt().setExpirationTime(exp).sign(privateKey);
    const status = async (token: string) => (await fetch(`${base}/api/statistics`, { headers: { authorization: `Bearer ${token}` } })).status;
    try {
      expect(await status(await sign('tobakshjalpen', 'https://idp.region.example', '5m'))).to.equal(200);
      expect(await status(await sign('other', 'https://idp.region.example', '5m'))).to.equal(401);
      expect(await status(await sign('tobakshjalpen', 'https://evil.example', '5m'))).to.equal(401);
      expect(await status(await sign('tobakshjalpen', 'https://idp.region.example', '-1m'))).to.equal(401);
      expect(await status(callers.ops!)).to.equal(401); // a development token
      // Attack (security #9): a token without exp, or one that lives for a year, never verifies.
      const noExp = await new SignJWT({ role: 'ops' }).setProtectedHeader({ alg: 'RS256', kid: 'k1' })
        .setSubject('ops-2').setIssuer('https://idp.region.example').setAudience('tobakshjalpen').setIssuedAt().sign(privateKey);
      expect(await status(noExp)).to.equal(401);
      expect(await status(await sign('tobakshjalpen', 'https://idp.region.example', '365d'))).to.equal(401);
      // Attack (security #13): the public port of a production API tells nothing about itself.
      for (const p of ['/metrics', '/docs', '/openapi.json']) expect((await fetch(`${base}${p}`)).status, p).to.equal(404);
      expect((await fetch(`${base}/healthz`)).status).to.equal(200);
    } finally {
      server.close();
      jwks.close();
    }
  });
});
