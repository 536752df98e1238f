// Invånarvy 2 (issue 25), the rest, in a real browser at a phone's size (390×844): the patient's
// name in the header and the personnummer only in Inställningar; Bekräfta e-post (a code by e-mail,
// Kod, Bekräfta); Loggar a page at a time (Visa fler); closed and completed steps folded, their forms
// as Dina svar; an activity whose time to answer runs out while it is open keeps what was typed and
// says the time has passed. axe-core and the Swedish-words scan on every state (browser.ts).
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { harness, type Harness } from '../support/harness';
import { codesTo } from '../support/verify';
import { clearOfMidnight, clock, eventually, testPersonnummer, weekday } from '../support/fixtures';
import { OccasionModel } from '../../models/clinical';
import { expectAccessible, openBrowser, screenshot, signInThroughProvider, type Browser } from './browser';


describe('web app: invånarvy 2, the rest (name, Bekräfta e-post, Loggar paged, folded steps, an activity running out; 390×844)', function () {
  this.timeout(240_000);
  let h: Harness;
  let browser: Browser;
  let page: Page;
  let clinician: string;
  let patientToken: string;
  let treatmentId: string;
  const pnr = testPersonnummer('19920303');
  const hsaId = `SE2321000016-R${Date.now() % 100000}`;
  const careUnit = `unit-patient2b-${Date.now() % 100000}`;
  // Other units the clinician acts for (x-care-unit): each a group of its own in Loggar.
  const otherUnits = Array.from({ length: 21 }, (_, i) => `unit-log${i + 1}-${Date.now() % 100000}`);
  const email = `fia.${Date.now() % 100000}@example.se`;

  before(async () => {
    await clearOfMidnight(120);
    h = await harness();
    clinician = await h.token({ role: 'clinician', sub: hsaId, careUnits: [careUnit, ...otherUnits] });
    patientToken = await h.token({ role: 'patient', sub: pnr });
    const started = await h.request('POST', '/api/treatments', {
      token: clinician, body: { personnummer: pnr, programId: 'tobakshjalpen', careUnitId: careUnit, patient: { name: 'Fia Fällsdotter', email } },
    });
    expect(started.status).to.equal(201);
    treatmentId = started.body.id;
    browser = await openBrowser();
    page = browser.page;
    await page.setViewportSize({ width: 390, height: 844 });
  });
  after(async () => { await browser?.close(); });

  /** axe-core and the Swedish-words scan (expectAccessible), and nothing wider than the phone. */
  async function check(what: string) {
    await expectAccessible(page, `${what} (390×844)`);
    const overflow = await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth') as number;
    expect(overflow, `${what}: wider than the phone`).to.be.at.most(0);
  }
  const nav = (name: string) => page.getByRole('navigation', { name: 'Tobakshjälpen' }).getByRole('link', { name, exact: true });
  async function go(name: string) {
    await nav(name).click();
    await page.getByRole('heading', { name, level: 1 }).waitFor();
  }
  const bodyText = () => page.evaluate('document.body.innerText') as Promise<string>;

  it('the header names the patient, never the personnummer (only Inställningar shows it); Bekräfta e-post: a code by e-mail, Kod, Bekräfta', async () => {
    await page.goto(`${h.baseUrl}/`);
    await signInThroughProvider(page, { role: 'patient', personnummer: pnr });
    await page.getByRole('heading', { name: 'Tobakshjälpen', level: 1 }).waitFor();
    await page.getByRole('banner').getByText('Inloggad: Fia Fällsdotter').waitFor();
    expect(await bodyText()).to.not.contain(pnr.slice(0, 8));
    const todo = page.getByRole('region', { name: 'Att göra nu' });
    const before = codesTo(h, email).length;
    await todo.getByRole('button', { name: 'Bekräfta e-post' }).click();
    const form = page.getByRole('form', { name: 'Bekräfta e-post' });
    const code = form.getByLabel('Kod', { exact: true });
    await code.waitFor();
    await check('Bekräfta e-post, the code asked for');
    await screenshot(page, 'patient2b-01-bekrafta-e-post');
    const sent = await eventually(async () => codesTo(h, email).length > before && codesTo(h, email).at(-1), 20_000);
    await code.fill(sent);
    await form.getByRole('button', { name: 'Bekräfta', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Din e-post är bekräftad.' }).waitFor();
    expect((await h.request('GET', '/api/me/settings', { token: patientToken })).body.emailVerified).to.equal(true);
    expect(await page.getByRole('button', { name: 'Bekräfta e-post' }).count()).to.equal(0);
    await check('Tobakshjälpen with the e-mail confirmed');
    await go('Inställningar');
    await page.getByText(`Du är inloggad med personnummer`, { exact: false }).waitFor();
    expect(await bodyText()).to.contain(pnr.slice(2, 8));
    await check('Inställningar with the personnummer');
  });

  it('Loggar: more groups than a page; Visa fler shows the rest', async () => {
    // One read acting for each unit (x-care-unit), and one for the treatment's own: 22 groups today.
    for (const unit of [careUnit, ...otherUnits]) {
      const res = await fetch(`${h.baseUrl}/api/treatments/${treatmentId}`, { headers: { authorization: `Bearer ${clinician}`, 'x-care-unit': unit } });
      expect(res.status).to.equal(200);
    }
    await go('Loggar');
    const rows = page.locator('table.list tbody tr');
    await page.getByRole('button', { name: 'Visa fler' }).waitFor();
    expect(await rows.count()).to.equal(20);
    const total = Number(/Visar 20 av (\d+)\./.exec(await bodyText())?.[1]);
    expect(total).to.be.at.least(22);
    await check('Loggar, the first page');
    await page.getByRole('button', { name: 'Visa fler' }).click();
    await eventually(async () => (await rows.count()) === total);
    expect(await page.getByRole('button', { name: 'Visa fler' }).count()).to.equal(0);
    await check('Loggar, all of it');
    await screenshot(page, 'patient2b-02-loggar');
  });

  it('closed and completed steps are folded below the open ones; a completed step\'s form shows Dina svar', async () => {
    const answered = await h.request('POST', '/api/me/treatment/modules/step-1/forms/tobacco-habits', {
      token: patientToken, body: { answers: { tobaccoType: ['snus'], amountPerDay: 6, reasons: 'För min hälsa' } },
    });
    expect(answered.status, JSON.stringify(answered.body)).to.equal(201);
    expect((await h.request('POST', `/api/treatments/${treatmentId}/modules/step-1/complete`, { token: clinician })).status).to.equal(200);
    // Operation och tobak has a work time of seconds in the tests: opened, it closes by itself.
    expect((await h.request('POST', `/api/treatments/${treatmentId}/modules/surgery/open`, { token: clinician })).status).to.equal(200);
    await eventually(async () => {
      const me = await h.request('GET', '/api/me/treatment', { token: patientToken });
      return me.body.modules.find((m: { id: string }) => m.id === 'surgery')?.state === 'closed';
    }, 30_000);
    await go('Tobakshjälpen');
    const folded = page.locator('details.done-modules');
    const summary = folded.locator('summary');
    await summary.waitFor();
    expect(await summary.textContent()).to.equal('Stängda och avklarade steg (2)');
    const step1 = page.getByRole('region', { name: /^Steg 1:/ });
    expect(await step1.isVisible(), 'folded: Steg 1 not shown until asked for').to.equal(false);
    await check('Tobakshjälpen with steps folded');
    await summary.click();
    await step1.getByRole('heading', { name: 'Dina svar' }).waitFor();
    await step1.getByText('Avklarad', { exact: true }).waitFor();
    const row = (q: string) => step1.locator('.answer').filter({ has: page.locator('dt', { hasText: q }) }).locator('dd');
    expect(await row('Hur mycket använder du per dag?').textContent()).to.equal('6');
    expect(await row('Vilken tobak använder du?').textContent()).to.equal('Snus');
    expect(await row('Varför vill du sluta?').textContent()).to.equal('För min hälsa');
    expect(await step1.getByRole('button', { name: 'Svara igen' }).count(), 'a completed step takes no answer').to.equal(0);
    expect(await step1.getByRole('form').count()).to.equal(0);
    const surgery = page.getByRole('region', { name: 'Operation och tobak' });
    await surgery.getByText('Stängd: du kan läsa men inte skicka något.').waitFor();
    await check('Tobakshjälpen with the folded steps shown');
    await screenshot(page, 'patient2b-03-hopfallda-steg');
  });

  it('an activity whose time to answer runs out while it is open keeps what was typed and says the time has passed', async () => {
    const now = Date.now();
    const plan = await h.request('POST', `/api/treatments/${treatmentId}/activity-plans`, {
      token: clinician,
      body: { title: 'Kvällskoll', elements: [{ formId: 'check-in' }], schedule: { weekdays: [weekday(now)], times: [clock(now + 3000)], weeks: 1 }, answerWindowDays: 1 },
    });
    expect(plan.status).to.equal(201);
    const occasion = await eventually(async () => {
      const list = await h.request('GET', '/api/me/treatment/activities', { token: patientToken });
      return list.body.items.find((o: { state: string; title: string }) => o.state === 'due' && o.title === 'Kvällskoll') as { id: string } | undefined;
    }, 20_000);
    // The shortest answer window a plan can have is a day: the test brings this occasion's end
    // (answerBy, as the API keeps it) to a few seconds from now, while the patient writes.
    const answerBy = new Date(Date.now() + 20_000);
    expect((await OccasionModel.updateOne({ _id: occasion.id }, { $set: { answerBy } })).modifiedCount).to.equal(1);
    await go('Aktiviteter');
    const card = page.getByRole('region', { name: /^Kvällskoll, / });
    await card.getByText('Svara senast', { exact: false }).waitFor();
    await card.getByRole('group', { name: 'Är du tobaksfri just nu?' }).getByLabel('Ja').check();
    const comment = card.getByLabel('Något du vill berätta?');
    await comment.fill('Det gick bra i kväll, trots festen.');
    await check('Aktiviteter, an activity being answered');
    // The time runs out with the page open: said on the card, what was typed is still there.
    await card.getByText('Tiden för att svara gick ut', { exact: false }).waitFor({ timeout: 40_000 });
    expect(Date.now()).to.be.at.least(answerBy.getTime());
    expect(await comment.inputValue()).to.equal('Det gick bra i kväll, trots festen.');
    expect(await card.getByRole('group', { name: 'Är du tobaksfri just nu?' }).getByLabel('Ja').isChecked()).to.equal(true);
    expect(await card.getByRole('button', { name: 'Skicka' }).isDisabled()).to.equal(true);
    await card.getByText('Missad', { exact: true }).waitFor();
    await check('Aktiviteter, the time to answer passed');
    await screenshot(page, 'patient2b-04-svarstiden-gick-ut');
    // The API refuses it too, by a type the app words: the time to answer has passed.
    const late = await h.request('POST', `/api/me/treatment/activities/${occasion.id}`, { token: patientToken, body: { answers: { 'check-in': { tobaccoFree: true } } } });
    expect(late.status).to.equal(409);
    expect(late.body.type).to.equal('urn:tobakshjalpen:problem:answer-time-passed');
  });
});
