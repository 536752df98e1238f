// The session in a real browser (issue 23): the API holds the tokens, the browser an HttpOnly
// cookie. A reload and a second tab stay signed in; the flag e-mail's link
// (/behandlare/behandlingar/<id>) opens signed in, and signed out asks to sign in and lands on it;
// an idle session asks to sign in again and returns where the user was; Logga ut in one tab ends
// every tab and the live stream, and cookies saved before it open nothing; a cross-site POST is
// refused; no page script can read a token. The same for the patient on a phone-sized page.
import { expect } from 'chai';
import type { BrowserContext, Page } from 'playwright-core';
import { harness, type Harness } from '../support/harness';
import { eventually, testPersonnummer } from '../support/fixtures';
import { startApi } from '../../api/server';
import { loadPrograms } from '../../infra/programs';
import { EMPTY_STORAGE, expectAccessible, openBrowser, scriptVisibleStorage, signInThroughProvider, type Browser } from './browser';

const cookieHeader = async (context: BrowserContext) => (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');

/** Reads the stream's body to its end; `ended()` says whether it has ended. */
function endOf(res: Response): { ended: () => boolean } {
  const reader = res.body!.getReader();
  let done = false;
  void (async () => { while (!(await reader.read()).done); done = true; })().catch(() => { done = true; });
  return { ended: () => done };
}

describe('web app: the session in a real browser (reload, tabs, e-mail link, idle limit, Logga ut, CSRF)', function () {
  this.timeout(180_000);
  let h: Harness;
  const n = Date.now() % 100000;
  const hsaId = `SE2321000016-T${n}`;
  const careUnit = `unit-web-session-${n}`;
  const clinicianIdentity = { role: 'clinician' as const, hsaId, careUnits: careUnit };
  let treatmentId: string;
  let pnr: string;
  let patientToken: string;

  before(async () => {
    h = await harness();
    pnr = testPersonnummer();
    const clinician = await h.token({ role: 'clinician', sub: hsaId, careUnits: [careUnit] });
    const started = await h.request('POST', '/api/treatments', { token: clinician, body: { personnummer: pnr, programId: 'tobakshjalpen', careUnitId: careUnit, patient: { name: 'Signe Sessionsson' } } });
    expect(started.status).to.equal(201);
    treatmentId = started.body.id as string;
    patientToken = await h.token({ role: 'patient', sub: pnr });
    expect((await h.request('GET', '/api/me/treatment', { token: patientToken })).status).to.equal(200);
  });

  describe('clinician', () => {
    let browser: Browser;
    let page: Page;
    let tab2: Page;
    const emailLink = () => `${h.baseUrl}/behandlare/behandlingar/${treatmentId}`;
    const patientHeading = (p: Page) => p.getByRole('heading', { name: 'Signe Sessionsson', level: 1 });

    before(async () => { browser = await openBrowser(); page = browser.page; });
    after(async () => { await browser?.close(); });

    it('the e-mail link signed out asks to sign in and lands on the treatment; no token is readable by the page', async () => {
      await page.goto(emailLink());
      await page.getByRole('heading', { name: 'Logga in', level: 1 }).waitFor();
      await signInThroughProvider(page, clinicianIdentity);
      await patientHeading(page).waitFor();
      expect(new URL(page.url()).pathname).to.equal(`/behandlare/behandlingar/${treatmentId}`);
      expect(await scriptVisibleStorage(page)).to.equal(EMPTY_STORAGE);
      // The browser holds one HttpOnly, SameSite=Lax cookie with a random id (no token in it).
      const session = (await browser.context.cookies()).find((c) => c.name === 'tobakshjalpen-session')!;
      expect(session).to.include({ httpOnly: true, sameSite: 'Lax', path: '/' });
      expect(session.value).to.match(/^[\w-]{43}$/);
    });

    it('a reload keeps the session; a second tab is signed in; the e-mail link opened signed in goes straight to the treatment', async () => {
      await page.reload();
      await patientHeading(page).waitFor();
      tab2 = await browser.context.newPage();
      await tab2.goto(`${h.baseUrl}/behandlare`);
      await tab2.getByRole('heading', { name: 'Mina patienter', level: 1 }).waitFor();
      await tab2.goto(emailLink());
      await patientHeading(tab2).waitFor();
      expect(await tab2.getByRole('heading', { name: 'Logga in', level: 1 }).count()).to.equal(0);
      expect(await scriptVisibleStorage(tab2)).to.equal(EMPTY_STORAGE);
      await expectAccessible(tab2, 'the treatment opened from the e-mail link in a second tab');
    });

    it('a cross-site POST with the session cookie is refused (no CSRF header, or another origin)', async () => {
      const cookie = await cookieHeader(browser.context);
      const body = JSON.stringify({ personnummer: testPersonnummer(), programId: 'tobakshjalpen', careUnitId: careUnit });
      const post = (headers: Record<string, string>) => fetch(`${h.baseUrl}/api/treatments`, { method: 'POST', headers: { cookie, 'content-type': 'application/json', ...headers }, body });
      expect((await post({})).status).to.equal(403);
      expect((await post({ 'x-csrf': '1', origin: 'https://evil.example' })).status).to.equal(403);
      // From a page of another origin in this browser (the provider's): a form posted to the API
      // carries the cookie (same site, SameSite=Lax) and is refused.
      const other = await browser.context.newPage();
      await other.goto(`${h.config.web.oidcIssuer}/.well-known/openid-configuration`);
      const refused = other.waitForResponse((r) => r.url() === `${h.baseUrl}/api/treatments` && r.request().method() === 'POST');
      await other.evaluate(`(() => {
        const form = document.createElement('form');
        form.method = 'POST'; form.enctype = 'text/plain'; form.action = ${JSON.stringify(`${h.baseUrl}/api/treatments`)};
        const input = document.createElement('input');
        input.name = '{"personnummer":"x","a":"'; input.value = '"}';
        form.appendChild(input); document.body.appendChild(form); form.submit();
      })()`);
      const answer = await refused;
      expect(answer.status()).to.equal(403);
      expect(answer.request().headers().cookie ?? (await answer.request().allHeaders()).cookie).to.match(/tobakshjalpen-session=/);
      await other.close();
      // The app's own calls (same origin, with the header) still work.
      await page.reload();
      await patientHeading(page).waitFor();
    });

    it('Logga ut in one tab ends the others and the live stream; cookies saved before it are refused after it', async () => {
      const saved = await cookieHeader(browser.context);
      const stream = await fetch(`${h.baseUrl}/api/events`, { headers: { cookie: saved, accept: 'text/event-stream' } });
      expect(stream.status).to.equal(200);
      const streamEnded = endOf(stream);
      await patientHeading(tab2).waitFor();

      await page.getByRole('button', { name: 'Logga ut' }).click();
      await page.getByRole('button', { name: 'Logga in som behandlare' }).waitFor();
      expect(new URL(page.url()).pathname).to.equal('/');
      // The other tab, without a reload: asks to sign in, nothing of the patient left.
      await tab2.getByRole('heading', { name: 'Logga in', level: 1 }).waitFor();
      expect(await patientHeading(tab2).count()).to.equal(0);
      expect(await tab2.getByRole('button', { name: 'Logga ut' }).count()).to.equal(0);
      await eventually(async () => streamEnded.ended(), 15_000).catch(() => { throw new Error('the live stream did not end with its session'); });
      // Replayed, the saved cookie opens nothing.
      for (const path of ['/api/session', '/api/treatments', `/api/treatments/${treatmentId}`]) {
        expect((await fetch(`${h.baseUrl}${path}`, { headers: { cookie: saved } })).status, path).to.equal(401);
      }
      expect((await fetch(`${h.baseUrl}/api/events`, { headers: { cookie: saved, accept: 'text/event-stream' } })).status).to.equal(401);
      expect(await scriptVisibleStorage(page)).to.equal(EMPTY_STORAGE);
      await tab2.close();
    });

    it('past the idle limit the page asks to sign in, and signing in returns where the user was', async () => {
      // A second API on the same store with a short idle limit (its own browser: cookies are per host, not port).
      const idleMs = 4000;
      const api = await startApi({ ...h.config, port: 0, session: { idleMs, absoluteMs: 12 * 3_600_000 } }, { client: h.client, programs: loadPrograms(h.config.programOverrides) });
      const own = await openBrowser();
      try {
        const p = own.page;
        await p.goto(`${api.url}/behandlare/behandlingar/${treatmentId}`);
        await signInThroughProvider(p, clinicianIdentity);
        await patientHeading(p).waitFor();
        const idleFrom = Date.now();
        // Nobody uses it: the page asks to sign in once the limit has passed (the app asks the API at the expiry).
        await p.getByRole('heading', { name: 'Logga in', level: 1 }).waitFor({ timeout: idleMs + 15_000 });
        expect(Date.now() - idleFrom).to.be.at.least(idleMs - 1000);
        expect(await patientHeading(p).count()).to.equal(0);
        expect((await fetch(`${api.url}/api/session`, { headers: { cookie: await cookieHeader(own.context) } })).status).to.equal(401);
        await signInThroughProvider(p, clinicianIdentity);
        await patientHeading(p).waitFor();
        expect(new URL(p.url()).pathname).to.equal(`/behandlare/behandlingar/${treatmentId}`);
      } finally {
        await own.close();
        await api.close();
      }
    });
  });

  describe('patient on a phone-sized page (390×844)', () => {
    let browser: Browser;
    let page: Page;

    before(async () => {
      browser = await openBrowser();
      page = browser.page;
      await page.setViewportSize({ width: 390, height: 844 });
    });
    after(async () => { await browser?.close(); });

    it('a deep link signed out → sign-in → lands on it; reload and a second tab stay signed in; Logga ut ends both; the saved cookie is refused; no token readable', async () => {
      await page.goto(`${h.baseUrl}/invanare/meddelanden`);
      await page.getByRole('heading', { name: 'Logga in', level: 1 }).waitFor();
      await signInThroughProvider(page, { role: 'patient', personnummer: pnr });
      await page.getByRole('heading', { name: 'Meddelanden', level: 1 }).waitFor();
      expect(new URL(page.url()).pathname).to.equal('/invanare/meddelanden');
      expect(await scriptVisibleStorage(page)).to.equal(EMPTY_STORAGE);

      await page.reload();
      await page.getByRole('heading', { name: 'Meddelanden', level: 1 }).waitFor();
      const tab2 = await browser.context.newPage();
      await tab2.setViewportSize({ width: 390, height: 844 });
      await tab2.goto(`${h.baseUrl}/invanare/loggar`);
      await tab2.getByRole('heading', { name: 'Loggar', level: 1 }).waitFor();
      await expectAccessible(tab2, 'the patient\'s second tab');

      // A write from the page works (the app sends the CSRF header); without it, the cookie alone is refused.
      const saved = await cookieHeader(browser.context);
      const msg = JSON.stringify({ subject: 'Kaka', text: 'Utan rubrik.' });
      expect((await fetch(`${h.baseUrl}/api/me/treatment/conversations`, { method: 'POST', headers: { cookie: saved, 'content-type': 'application/json' }, body: msg })).status).to.equal(403);

      await page.getByRole('button', { name: 'Logga ut' }).click();
      await page.getByRole('button', { name: 'Logga in som invånare' }).waitFor();
      await tab2.getByRole('heading', { name: 'Logga in', level: 1 }).waitFor();
      expect(await tab2.getByRole('heading', { name: 'Loggar', level: 1 }).count()).to.equal(0);
      expect((await fetch(`${h.baseUrl}/api/me/treatment`, { headers: { cookie: saved } })).status).to.equal(401);
      expect(await scriptVisibleStorage(tab2)).to.equal(EMPTY_STORAGE);
      // The patient's own data is still there for a token (the session ended, not the treatment).
      await eventually(async () => (await h.request('GET', '/api/me/treatment', { token: patientToken })).status === 200);
    });
  });
});
