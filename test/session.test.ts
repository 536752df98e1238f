// The web app's session at the API (api/session.ts): signed in through /auth/login, the development
// provider and /auth/callback, the cookie is accepted exactly where a Bearer token is (same roles,
// care units, access log); writes by cookie need the CSRF header and our origin, Bearer writes do
// not; Logga ut ends the session for good; the idle limit; expired sessions are purged.
import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { harness, type Harness } from './support/harness';
import { eventually, testPersonnummer } from './support/fixtures';
import { signInOverHttp } from './support/session';
import { SessionModel } from '../models/session';
import { AccessLog } from '../models/access-log';
import { Sessions } from '../api/session';
import { startApi } from '../api/server';
import { loadPrograms } from '../infra/programs';
import { loadConfig } from '../infra/config';

const sha256 = (v: string) => createHash('sha256').update(v).digest('base64url');

describe('web app session (backend-for-frontend) at the API', function () {
  this.timeout(90_000);
  let h: Harness;
  const n = Date.now() % 100000;
  const hsaId = `SE2321000016-S${n}`;
  const unit = `unit-session-${n}`;

  before(async () => { h = await harness(); });

  const call = (path: string, init: { method?: string; cookie?: string; token?: string; headers?: Record<string, string>; body?: unknown } = {}) => fetch(`${h.baseUrl}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      ...(init.cookie ? { cookie: init.cookie } : {}),
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...init.headers,
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    redirect: 'manual',
  });

  it('signs in through the provider: an HttpOnly SameSite=Lax cookie, the session stored under a hash of its id, and 303 back to returnTo', async () => {
    const s = await signInOverHttp(h.baseUrl, { role: 'clinician', hsaId, careUnits: [unit] }, '/behandlare/behandlingar/abc?flik=flaggor');
    expect(s.location).to.equal('/behandlare/behandlingar/abc?flik=flaggor');
    const line = s.setCookies.find((c) => c.startsWith('tobakshjalpen-session='))!;
    expect(line).to.match(/HttpOnly/i).and.match(/SameSite=Lax/i).and.match(/Path=\//);
    expect(line).not.to.match(/Secure/i); // http here; https: Secure and __Host- (below)
    expect(await SessionModel.findById(s.id).lean()).to.equal(null);
    const doc = await SessionModel.findById(sha256(s.id)).lean();
    expect(doc).to.include({ role: 'clinician', sub: hsaId });
    expect(Object.keys(doc!)).not.to.include('accessToken');

    // Who is signed in: never a token.
    const me = await call('/api/session', { cookie: s.cookie });
    expect(me.status).to.equal(200);
    const text = await me.text();
    expect(text).not.to.match(/eyJ/);
    const body = JSON.parse(text) as { role: string; sub: string; careUnits: string[]; expiresAt: string };
    expect(body).to.deep.include({ role: 'clinician', sub: hsaId, careUnits: [unit] });
    expect(Date.parse(body.expiresAt) - Date.now()).to.be.within(25 * 60_000, 30 * 60_000 + 5000);

    // A patient lands on their own pages, whatever returnTo said.
    const p = await signInOverHttp(h.baseUrl, { role: 'patient', personnummer: testPersonnummer() }, '/behandlare');
    expect(p.location).to.equal('/invanare');
  });

  it('the cookie is accepted exactly where a Bearer token is: same roles, care units and access log; writes need X-CSRF and our origin, Bearer writes do not', async () => {
    const s = await signInOverHttp(h.baseUrl, { role: 'clinician', hsaId, careUnits: [unit, `${unit}-b`] });
    const token = await h.token({ role: 'clinician', sub: hsaId, careUnits: [unit, `${unit}-b`] });
    const pnr = testPersonnummer();
    const start = { personnummer: pnr, programId: 'tobakshjalpen', careUnitId: unit, patient: { name: 'Sessa Kaksson' } };

    // A write by cookie without the CSRF header, or from another site: refused before anything is done.
    const noHeader = await call('/api/treatments', { method: 'POST', cookie: s.cookie, body: start });
    expect(noHeader.status).to.equal(403);
    expect(((await noHeader.json()) as { detail: string }).detail).to.match(/x-csrf/);
    const foreign = await call('/api/treatments', { method: 'POST', cookie: s.cookie, body: start, headers: { 'x-csrf': '1', origin: 'https://evil.example' } });
    expect(foreign.status).to.equal(403);
    const crossSite = await call('/api/treatments', { method: 'POST', cookie: s.cookie, body: start, headers: { 'x-csrf': '1', 'sec-fetch-site': 'cross-site' } });
    expect(crossSite.status).to.equal(403);

    const started = await call('/api/treatments', { method: 'POST', cookie: s.cookie, body: start, headers: { 'x-csrf': '1', origin: h.baseUrl } });
    expect(started.status).to.equal(201);
    const id = ((await started.json()) as { id: string }).id;

    // The same reads answer the same by cookie and by token.
    for (const path of ['/api/treatments', `/api/treatments/${id}`, `/api/treatments?careUnitId=${unit}-b`, '/api/clinicians/me/settings']) {
      const [byCookie, byToken] = await Promise.all([call(path, { cookie: s.cookie }), call(path, { token })]);
      expect(byCookie.status, path).to.equal(byToken.status);
      const [a, b] = await Promise.all([byCookie.json(), byToken.json()]) as [Record<string, unknown>, Record<string, unknown>];
      for (const o of [a, b]) for (const k of ['lastActiveAt', 'version', 'unreadFlags', 'updatedAt']) delete o[k];
      expect(a, path).to.deep.equal(b);
    }
    // Care units and roles as the token's.
    expect((await call('/api/treatments?careUnitId=unit-not-mine', { cookie: s.cookie })).status).to.equal(403);
    expect((await call('/api/treatments', { cookie: s.cookie, headers: { 'x-care-unit': 'unit-not-mine' } })).status).to.equal(403);
    expect((await call('/api/me/treatment', { cookie: s.cookie })).status).to.equal(403);
    expect((await call('/api/statistics', { cookie: s.cookie })).status).to.equal((await call('/api/statistics', { token })).status);
    // The access log names the clinician and the acting unit, by cookie as by token.
    const before = await AccessLog.countDocuments({ treatmentId: id, actorId: hsaId });
    expect((await call(`/api/treatments/${id}`, { cookie: s.cookie, headers: { 'x-care-unit': unit } })).status).to.equal(200);
    const logged = await eventually(async () => (await AccessLog.find({ treatmentId: id, actorId: hsaId }).lean()).length > before
      ? AccessLog.find({ treatmentId: id, actorId: hsaId }).sort({ at: -1 }).lean() : undefined);
    expect(logged[0]).to.include({ actingCareUnitId: unit, action: 'GET /api/treatments/:id' });

    // Bearer writes are unaffected (no CSRF header); a Bearer token beside a cookie is the one used.
    const byBearer = await call('/api/treatments', { method: 'POST', token, body: { ...start, personnummer: testPersonnummer(), patient: { name: 'Bära Tokensson' } } });
    expect(byBearer.status).to.equal(201);
    const other = await h.token({ role: 'clinician', sub: 'SE2321000016-OTHER', careUnits: ['unit-elsewhere'] });
    expect((await call(`/api/treatments/${id}`, { token: other, cookie: s.cookie })).status).to.equal(404);

    // The patient's session: the patient's routes, by cookie, as by token.
    const ps = await signInOverHttp(h.baseUrl, { role: 'patient', personnummer: pnr });
    const ptoken = await h.token({ role: 'patient', sub: pnr });
    const [mine, mineByToken] = await Promise.all([call('/api/me/treatment', { cookie: ps.cookie }), call('/api/me/treatment', { token: ptoken })]);
    expect(mine.status).to.equal(200);
    expect(mineByToken.status).to.equal(200);
    expect((await call('/api/treatments', { cookie: ps.cookie })).status).to.equal(403);
    const msg = { subject: 'Sessionen', text: 'Skrivet med kakan.' };
    expect((await call('/api/me/treatment/conversations', { method: 'POST', cookie: ps.cookie, body: msg })).status).to.equal(403);
    expect((await call('/api/me/treatment/conversations', { method: 'POST', cookie: ps.cookie, body: msg, headers: { 'x-csrf': '1' } })).status).to.equal(201);
  });

  it('Logga ut deletes the session at the API and answers the provider\'s end-session endpoint; the old cookie opens nothing after', async () => {
    const s = await signInOverHttp(h.baseUrl, { role: 'clinician', hsaId, careUnits: [unit] });
    expect((await call('/api/treatments', { cookie: s.cookie })).status).to.equal(200);
    expect((await call('/auth/logout', { method: 'POST', cookie: s.cookie })).status).to.equal(403); // CSRF
    const out = await call('/auth/logout', { method: 'POST', cookie: s.cookie, headers: { 'x-csrf': '1' } });
    expect(out.status).to.equal(200);
    expect(out.headers.getSetCookie().join()).to.match(/tobakshjalpen-session=;/);
    const { redirectTo } = (await out.json()) as { redirectTo: string };
    const end = new URL(redirectTo);
    expect(`${end.origin}${end.pathname}`).to.equal(`${h.config.web.oidcIssuer}/logout`);
    expect(end.searchParams.get('post_logout_redirect_uri')).to.equal(`${h.baseUrl}/`);
    expect(end.searchParams.get('id_token_hint')).to.match(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(await SessionModel.findById(sha256(s.id)).lean()).to.equal(null);
    expect((await call('/api/treatments', { cookie: s.cookie })).status).to.equal(401);
    expect((await call('/api/session', { cookie: s.cookie })).status).to.equal(401);
  });

  it('refuses a returnTo off this site (no open redirect), a missing role, and a callback from another browser', async () => {
    for (const returnTo of ['//evil.example/x', 'https://evil.example/', '/\\evil.example', 'behandlare', '/a b']) {
      const res = await call(`/auth/login?role=clinician&returnTo=${encodeURIComponent(returnTo)}`);
      expect(res.status, returnTo).to.equal(400);
      expect(((await res.json()) as { errors: Array<{ field: string }> }).errors[0]!.field).to.equal('returnTo');
    }
    const noRole = await call('/auth/login');
    expect(noRole.status).to.equal(400);
    expect(((await noRole.json()) as { errors: Array<{ field: string }> }).errors[0]!.field).to.equal('role');

    // The provider's redirect carried to a browser that did not start the sign-in: no session.
    const login = await call('/auth/login?role=clinician');
    const authorize = new URL(login.headers.get('location')!);
    const form = new URLSearchParams(Object.fromEntries(authorize.searchParams));
    form.set('hsaId', hsaId); form.set('careUnits', unit);
    const provider = await fetch(`${authorize.origin}/authorize`, { method: 'POST', body: form, redirect: 'manual' });
    const stolen = await fetch(provider.headers.get('location')!, { redirect: 'manual' });
    expect(stolen.status).to.equal(303);
    expect(stolen.headers.get('location')).to.equal('/inloggad?fel=ogiltig');
    expect(stolen.headers.getSetCookie().some((c) => c.startsWith('tobakshjalpen-session='))).to.equal(false);
  });

  it('past the idle limit the API answers 401 (use refreshes it); the absolute limit holds however it is used', async () => {
    // A second API instance on the same store, with short limits: it also reads the sessions the first made.
    const shared = await signInOverHttp(h.baseUrl, { role: 'clinician', hsaId, careUnits: [unit] });
    const api = await startApi({ ...h.config, port: 0, session: { idleMs: 3000, absoluteMs: 8000 } }, { client: h.client, programs: loadPrograms(h.config.programOverrides) });
    try {
      expect((await fetch(`${api.url}/api/treatments`, { headers: { cookie: shared.cookie } })).status).to.equal(200);
      const s = await signInOverHttp(api.url, { role: 'clinician', hsaId, careUnits: [unit] });
      const use = () => fetch(`${api.url}/api/treatments`, { headers: { cookie: s.cookie } }).then((r) => r.status);
      // Used all the time, it outlives its idle limit…
      const started = Date.now();
      while (Date.now() - started < 5000) expect(await use()).to.equal(200);
      // …until the absolute limit.
      expect(await eventually(async () => (await use()) === 401, 10_000)).to.equal(true);
      expect(Date.now() - started).to.be.at.least(5000);
      expect(await SessionModel.findById(sha256(s.id)).lean()).to.equal(null);
      // Unused, a fresh one ends at its idle limit.
      const idle = await signInOverHttp(api.url, { role: 'clinician', hsaId, careUnits: [unit] });
      const at = Date.now();
      await eventually(async () => (await fetch(`${api.url}/api/session`, { headers: { cookie: idle.cookie } })).status === 401, 10_000);
      expect(Date.now() - at).to.be.at.least(2500);
    } finally {
      await api.close();
    }
  });

  it('expired sessions are purged from the store by the sweep', async () => {
    const s = await signInOverHttp(h.baseUrl, { role: 'patient', personnummer: testPersonnummer() });
    const live = await signInOverHttp(h.baseUrl, { role: 'clinician', hsaId, careUnits: [unit] });
    const past = new Date(Date.now() - 60_000);
    await SessionModel.updateOne({ _id: sha256(s.id) }, { $set: { expiresAt: past, lastUsedAt: new Date(Date.now() - 24 * 3_600_000) } });
    const purged = await new Sessions({ ...h.config, publicUrl: h.baseUrl }).sweep();
    expect(purged).to.be.at.least(1);
    expect(await SessionModel.findById(sha256(s.id)).lean()).to.equal(null);
    expect(await SessionModel.findById(sha256(live.id)).lean()).not.to.equal(null);
    expect((await call('/api/me/treatment', { cookie: s.cookie })).status).to.equal(401);
  });

  it('over https: the __Host- prefix and Secure; production refuses to start without PUBLIC_URL', () => {
    const https = new Sessions({ ...h.config, publicUrl: 'https://tobakshjalpen.example.test' });
    expect(https.secure).to.equal(true);
    expect(https.cookieName).to.equal('__Host-tobakshjalpen-session');
    const keys = `k1:${Buffer.from(Array.from({ length: 32 }, (_, i) => i * 7)).toString('base64')}`;
    const production = {
      DATA_DIR: h.dataDir, NODE_ENV: 'production', PATIENT_KEY_SECRET: 'a7f3c9e1b5d2f8a4c6e0b3d9f1a5c7e2', PAYLOAD_KEYS: keys, ARCHIVE_KEY: keys.slice(3),
      JWKS_URL: 'https://idp.example.test/jwks', JWT_ISSUER: 'https://idp.example.test', JWT_AUDIENCE: 'tobakshjalpen',
      TEMPORAL_ADDRESS: h.embedded.temporalAddress, MONGODB_URI: h.embedded.mongoUri,
    };
    expect(() => loadConfig(production)).to.throw(/PUBLIC_URL is required/);
    expect(loadConfig({ ...production, PUBLIC_URL: 'https://tobakshjalpen.example.test/' }).publicUrl).to.equal('https://tobakshjalpen.example.test');
    expect(loadConfig({ DATA_DIR: h.dataDir, PORT: '3300' }, { auth: false }).publicUrl).to.equal('http://127.0.0.1:3300');
  });
});
