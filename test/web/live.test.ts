// Live updates in the clinician's web app: with Mina patienter open, a patient's message raises the
// unread flags (by type, in words) without a reload; with the treatment's Meddelanden open, the patient's next
// message appears in the thread. The app reads GET /api/events (server-sent events) with fetch.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { harness, type Harness } from '../support/harness';
import { eventually, testPersonnummer } from '../support/fixtures';
import { expectAccessible, openBrowser, type Browser } from './browser';

describe('web app: live updates (server-sent events) in a real browser', function () {
  this.timeout(180_000);
  let h: Harness;
  let browser: Browser;
  let page: Page;
  const n = Date.now() % 100000;
  const hsaId = `SE2321000016-V${n}`;
  const careUnit = `unit-web-live-${n}`;

  before(async () => {
    h = await harness();
    browser = await openBrowser();
    page = browser.page;
  });
  after(async () => { await browser?.close(); });

  it('a patient\'s message raises the overview\'s Flaggor (by type) and appears in the open Meddelanden, without a reload', async () => {
    const pnr = testPersonnummer();
    const clinician = await h.token({ role: 'clinician', sub: hsaId, careUnits: [careUnit] });
    const started = await h.request('POST', '/api/treatments', { token: clinician, body: { personnummer: pnr, programId: 'tobakshjalpen', careUnitId: careUnit, patient: { name: 'Lina Liveström' } } });
    expect(started.status).to.equal(201);
    const patient = await h.token({ role: 'patient', sub: pnr });
    expect((await h.request('GET', '/api/me/treatment', { token: patient })).status).to.equal(200);
    // The patient's first visit raises its own flag (the worker writes it): counted before the message.
    await eventually(async () => {
      const t = await h.request('GET', `/api/treatments/${started.body.id}`, { token: clinician });
      return t.body.status === 'active' && t.body.unreadFlags > 0;
    });

    const streamOpened = page.waitForResponse((r) => r.url().endsWith('/api/events') && r.status() === 200 && r.headers()['content-type']!.startsWith('text/event-stream'), { timeout: 60_000 });
    await page.goto(`${h.baseUrl}/`);
    await page.getByRole('button', { name: 'Logga in som behandlare' }).click();
    await page.getByLabel('HSA-id').fill(hsaId);
    await page.getByLabel('Vårdenheter').fill(careUnit);
    await page.getByRole('button', { name: 'Logga in', exact: true }).click();
    await page.getByRole('heading', { name: 'Mina patienter', level: 1 }).waitFor();
    const row = page.getByRole('row', { name: /Lina Liveström/ });
    // The Flaggor column names the unread flags by type (issue 24): the first visit's, not yet a message.
    await row.getByText('Första inloggning').waitFor();
    expect(await row.getByText(/Nytt meddelande/).count()).to.equal(0);
    // The page's stream is open before the patient writes.
    await streamOpened;
    // A mark on this document: still there at the end means no reload happened.
    await page.evaluate('window.liveMark = 1');

    const at = Date.now();
    const sent = await h.request('POST', '/api/me/treatment/conversations', { token: patient, body: { subject: 'Sug på kvällen', text: 'Hur gör jag med suget?' } });
    expect(sent.status).to.equal(201);
    await row.getByText(/Agera:.*Nytt meddelande/).waitFor({ timeout: 20_000 }); // well before the 5-minute fallback refetch
    const overviewSeconds = (Date.now() - at) / 1000;
    await expectAccessible(page, 'Mina patienter after a live update');

    // The treatment, reached by its link (the app's own navigation keeps the in-memory sign-in).
    await row.getByRole('link', { name: 'Lina Liveström' }).click();
    await page.getByRole('heading', { name: 'Lina Liveström', level: 1 }).waitFor();
    await page.getByRole('tab', { name: 'Meddelanden' }).click();
    await page.getByText('Hur gör jag med suget?').waitFor();
    // The live stream is the app's, open across pages: the reply needs no wait for a new one.
    const reply = await h.request('POST', `/api/me/treatment/conversations/${sent.body.id}/messages`, { token: patient, body: { text: 'Nu gick det bättre!' } });
    expect(reply.status).to.equal(201);
    await page.getByText('Nu gick det bättre!').waitFor({ timeout: 20_000 });
    expect(await page.evaluate('window.liveMark')).to.equal(1); // no reload
    console.log(`      (a patient's message to its flag on the open overview: ${overviewSeconds.toFixed(1)} s)`);
  });
});
