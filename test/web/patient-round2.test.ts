// Invånarvy 2 (issue 25) in a real browser at a phone's size (390×844): Home leads with Att göra
// nu and offers to confirm the addresses (Bekräfta mobilnummer: a code, Kod, Bekräfta); a sent form
// shows Dina svar after a reload and through Vidmakthåll; an answered activity shows its answers;
// a message being written survives a page change and a reload, Avbryt asks first, focus moves into
// the form, and sending it works by keyboard alone with a status message. axe-core on every state,
// and no identifier or English word on any page visited.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { harness, type Harness } from '../support/harness';
import { codesTo } from '../support/verify';
import { clearOfMidnight, clock, eventually, testPersonnummer, weekday } from '../support/fixtures';
import { expectAccessible, openBrowser, screenshot, type Browser } from './browser';
import { expectSwedish } from './swedish';


describe('web app: invånarvy 2 (Att göra nu, Bekräfta, Dina svar, drafts, Meddelanden; 390×844)', function () {
  this.timeout(180_000);
  let h: Harness;
  let browser: Browser;
  let page: Page;
  let clinician: string;
  let patientToken: string;
  let treatmentId: string;
  const pnr = testPersonnummer('19910202');
  const hsaId = `SE2321000016-Q${Date.now() % 100000}`;
  const careUnit = `unit-patient2-${Date.now() % 100000}`;
  const visited = new Set<string>();

  before(async () => {
    await clearOfMidnight();
    h = await harness();
    clinician = await h.token({ role: 'clinician', sub: hsaId, careUnits: [careUnit] });
    patientToken = await h.token({ role: 'patient', sub: pnr });
    const started = await h.request('POST', '/api/treatments', {
      token: clinician, body: { personnummer: pnr, programId: 'tobakshjalpen', careUnitId: careUnit, patient: { name: 'Erik Telefonsson', phone: '070-333 44 55' } },
    });
    expect(started.status).to.equal(201);
    treatmentId = started.body.id;
    browser = await openBrowser();
    page = browser.page;
    await page.setViewportSize({ width: 390, height: 844 });
  });
  after(async () => { await browser?.close(); });

  /** axe-core, nothing wider than the phone, and only Swedish words on the page. */
  async function check(what: string) {
    await expectAccessible(page, `${what} (390×844)`);
    const overflow = await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth') as number;
    expect(overflow, `${what}: wider than the phone`).to.be.at.most(0);
    await expectSwedish(page, what);
    visited.add(new URL(page.url()).pathname);
  }
  const nav = (name: string) => page.getByRole('navigation', { name: 'Tobakshjälpen' }).getByRole('link', { name, exact: true });
  async function go(name: string) {
    await nav(name).click();
    await page.getByRole('heading', { name, level: 1 }).waitFor();
  }
  const drafts = () => page.evaluate('Object.keys(sessionStorage).filter((k) => k.startsWith("utkast:"))') as Promise<string[]>;

  it('the first sign-in: Att göra nu leads (the current step), and Home offers Bekräfta mobilnummer: a code is sent, Kod, Bekräfta', async () => {
    await page.goto(`${h.baseUrl}/`);
    await page.getByRole('button', { name: 'Logga in som invånare' }).click();
    await page.getByLabel('Personnummer').fill(pnr);
    await page.getByRole('button', { name: 'Logga in', exact: true }).click();
    await page.getByRole('heading', { name: 'Tobakshjälpen', level: 1 }).waitFor();
    const todo = page.getByRole('region', { name: 'Att göra nu' });
    await todo.waitFor();
    // Att göra nu comes before the program's steps.
    const todoBox = (await todo.boundingBox())!;
    const stepBox = (await page.getByRole('region', { name: /^Steg 1:/ }).boundingBox())!;
    expect(todoBox.y).to.be.lessThan(stepBox.y);
    await todo.getByRole('link', { name: /^Steg 1:/ }).waitFor();
    // No personnummer on the page.
    expect(await page.locator('body').innerText()).not.to.contain(pnr.slice(0, 8));
    await todo.getByText('När du har bekräftat får du aviseringar dit', { exact: false }).waitFor();
    await check('Tobakshjälpen at the first sign-in');
    await screenshot(page, 'patient2-01-att-gora-nu');

    const settings = await h.request('GET', '/api/me/settings', { token: patientToken });
    expect(settings.body.phoneVerified).to.equal(false);
    const phone: string = settings.body.phone;
    const before = codesTo(h, phone).length;
    await todo.getByRole('button', { name: 'Bekräfta mobilnummer' }).click();
    const form = page.getByRole('form', { name: 'Bekräfta mobilnummer' });
    const code = form.getByLabel('Kod', { exact: true });
    await code.waitFor();
    expect(await code.evaluate((el) => el === el.ownerDocument.activeElement)).to.equal(true);
    await check('Bekräfta mobilnummer, the code asked for');
    // A wrong code first: said in Swedish at the field.
    await code.fill('000000');
    await form.getByRole('button', { name: 'Bekräfta', exact: true }).click();
    await form.getByText('Koden stämmer inte. Kontrollera den och försök igen.', { exact: false }).waitFor();
    await check('Bekräfta mobilnummer, a wrong code');
    const sent = await eventually(async () => codesTo(h, phone).length > before && codesTo(h, phone).at(-1), 20_000).catch(() => codesTo(h, phone).at(-1));
    expect(sent, 'a code sent to the phone').to.be.a('string');
    await code.fill(sent!);
    await form.getByRole('button', { name: 'Bekräfta', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Ditt mobilnummer är bekräftat.' }).waitFor();
    expect((await h.request('GET', '/api/me/settings', { token: patientToken })).body.phoneVerified).to.equal(true);
    expect(await page.getByRole('button', { name: 'Bekräfta mobilnummer' }).count()).to.equal(0);
    await check('Tobakshjälpen with the phone confirmed');
  });

  it('a sent form shows Dina svar (each question with its answer, when it was sent) after a reload', async () => {
    const form = page.getByRole('form', { name: 'Mina tobaksvanor' });
    await form.getByRole('group', { name: 'Vilken tobak använder du?' }).getByLabel('Snus').check();
    await form.getByLabel('Hur mycket använder du per dag?').fill('8');
    await form.getByLabel('Varför vill du sluta?').fill('För att orka springa med barnen');
    await check('a form being filled in');
    // Nothing typed is lost: a page change and a reload keep it (a draft in this tab only).
    await go('Aktiviteter');
    await go('Tobakshjälpen');
    await page.reload();
    await form.getByLabel('Hur mycket använder du per dag?').waitFor();
    expect(await form.getByLabel('Hur mycket använder du per dag?').inputValue()).to.equal('8');
    expect(await form.getByLabel('Varför vill du sluta?').inputValue()).to.equal('För att orka springa med barnen');
    expect(await form.getByLabel('Snus').isChecked()).to.equal(true);
    await form.getByRole('button', { name: 'Skicka' }).click();
    await form.getByText('Tack! Dina svar är skickade.').waitFor();
    expect(await drafts(), 'the draft is gone once sent').to.deep.equal([]);
    await page.reload();
    const step1 = page.getByRole('region', { name: /^Steg 1:/ });
    await step1.getByRole('heading', { name: 'Dina svar' }).waitFor();
    const answers = step1.locator('.sent-answers');
    await answers.getByText(/^Skickat \d{4}-\d{2}-\d{2} \d{2}:\d{2}/).waitFor();
    for (const [q, a] of [['Vilken tobak använder du?', 'Snus'], ['Hur mycket använder du per dag?', '8'], ['Varför vill du sluta?', 'För att orka springa med barnen']]) {
      const row = answers.locator('.answer').filter({ has: page.locator('dt', { hasText: q }) });
      expect(await row.locator('dd').textContent()).to.equal(a);
    }
    // Sent, the form itself is not shown again unless asked for (Svara igen).
    expect(await page.getByRole('form', { name: 'Mina tobaksvanor' }).count()).to.equal(0);
    await check('a sent form as Dina svar');
    await step1.screenshot({ path: '.data/test-artifacts/web/patient2-02-dina-svar.png' });
    // Svara igen starts from the answers sent.
    await step1.getByRole('button', { name: 'Svara igen' }).click();
    const again = page.getByRole('form', { name: 'Mina tobaksvanor' });
    expect(await again.getByLabel('Hur mycket använder du per dag?').inputValue()).to.equal('8');
    expect(await again.getByLabel('Snus').isChecked()).to.equal(true);
    expect(await drafts(), 'no draft until something changes').to.deep.equal([]);
    await check('answering a sent form again');
  });

  it('a message being written survives a page change and a reload; Avbryt asks first; focus moves into the form', async () => {
    await go('Meddelanden');
    await page.getByRole('button', { name: 'Nytt meddelande' }).click();
    const subject = page.getByLabel('Ämne');
    await subject.waitFor();
    expect(await subject.evaluate((el) => el === el.ownerDocument.activeElement), 'focus in Ämne').to.equal(true);
    await subject.fill('Sug på kvällarna');
    await page.getByLabel('Meddelande', { exact: true }).fill('Hur gör jag när suget kommer efter middagen?');
    await check('Nytt meddelande being written');
    expect(await drafts()).to.deep.equal(['utkast:meddelande:nytt']);
    await go('Tobakshjälpen');
    await go('Meddelanden');
    expect(await page.getByLabel('Ämne').inputValue()).to.equal('Sug på kvällarna');
    await page.reload();
    await page.getByRole('heading', { name: 'Meddelanden', level: 1 }).waitFor();
    expect(await page.getByLabel('Meddelande', { exact: true }).inputValue()).to.equal('Hur gör jag när suget kommer efter middagen?');
    // Avbryt on a written message asks first; Fortsätt skriva keeps it.
    await page.getByRole('button', { name: 'Avbryt' }).click();
    const ask = page.getByRole('alertdialog', { name: 'Slänga det du skrivit?' });
    await ask.waitFor();
    await check('Avbryt asks first');
    await ask.getByRole('button', { name: 'Fortsätt skriva' }).click();
    expect(await page.getByLabel('Ämne').inputValue()).to.equal('Sug på kvällarna');
  });

  it('sending a message by keyboard alone: a status message says it was sent, the draft is gone; Svara moves focus into the reply', async () => {
    await page.getByLabel('Meddelande', { exact: true }).focus();
    await page.keyboard.press('Tab');
    expect(await page.getByRole('button', { name: 'Skicka' }).evaluate((el) => el === el.ownerDocument.activeElement)).to.equal(true);
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: 'Ditt meddelande är skickat.' }).waitFor();
    await page.getByRole('article', { name: 'Sug på kvällarna' }).waitFor();
    expect(await drafts()).to.deep.equal([]);
    await check('Meddelanden after Skicka');
    const thread = page.getByRole('article', { name: 'Sug på kvällarna' });
    await thread.getByRole('button', { name: 'Svara' }).focus();
    await page.keyboard.press('Enter');
    const reply = thread.getByLabel('Svar', { exact: true });
    await reply.waitFor();
    expect(await reply.evaluate((el) => el === el.ownerDocument.activeElement), 'focus in Svar').to.equal(true);
    await page.keyboard.type('Och på morgonen.');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: 'Ditt svar är skickat.' }).waitFor();
    await thread.getByText('Och på morgonen.').waitFor();
    await check('Meddelanden after a reply');
    await screenshot(page, 'patient2-03-meddelanden');
  });

  it('Meddelanden past 100 conversations: threads by latest message, Visa fler loads the rest', async () => {
    for (let i = 0; i < 100; i += 10) {
      const batch = Array.from({ length: 10 }, (_, j) => h.request('POST', `/api/treatments/${treatmentId}/conversations`, {
        token: clinician, body: { subject: `Hälsning ${i + j + 1}`, text: 'Hej! Hur går det?', notify: false },
      }));
      for (const r of await Promise.all(batch)) expect(r.status, JSON.stringify(r.body)).to.equal(201);
    }
    await go('Tobakshjälpen');
    await go('Meddelanden');
    const threads = page.getByRole('article');
    await page.getByRole('button', { name: 'Visa fler' }).waitFor();
    expect(await threads.count()).to.equal(100);
    // The newest message first.
    expect(await threads.first().getByRole('heading').textContent()).to.match(/^Hälsning \d+$/);
    await check('Meddelanden with more than 100 conversations');
    await page.getByRole('button', { name: 'Visa fler' }).click();
    await eventually(async () => (await threads.count()) === 101);
    await page.getByRole('article', { name: 'Sug på kvällarna' }).waitFor();
    expect(await page.getByRole('button', { name: 'Visa fler' }).count()).to.equal(0);
  });

  it('an answered activity occasion shows Dina svar with when it was answered', async () => {
    const now = Date.now();
    const plan = await h.request('POST', `/api/treatments/${treatmentId}/activity-plans`, {
      token: clinician,
      body: { title: 'Morgonkoll', elements: [{ formId: 'check-in' }], schedule: { weekdays: [weekday(now)], times: [clock(now + 3000)], weeks: 1 }, answerWindowDays: 1 },
    });
    expect(plan.status).to.equal(201);
    const occasion = await eventually(async () => {
      const list = await h.request('GET', '/api/me/treatment/activities', { token: patientToken });
      return list.body.items.find((o: { state: string }) => o.state === 'due') as { id: string } | undefined;
    }, 20_000);
    // Home says an activity is due.
    await go('Tobakshjälpen');
    await page.getByRole('region', { name: 'Att göra nu' }).getByText('En aktivitet att besvara', { exact: false }).waitFor();
    await check('Att göra nu with an activity due');
    await go('Aktiviteter');
    const card = page.getByRole('region', { name: /^Morgonkoll, / });
    await card.getByRole('group', { name: 'Är du tobaksfri just nu?' }).getByLabel('Ja').check();
    await card.getByLabel('Något du vill berätta?').fill('En bra morgon.');
    await card.getByRole('button', { name: 'Skicka' }).click();
    await card.getByRole('heading', { name: 'Dina svar' }).waitFor();
    await page.reload();
    const answered = page.getByRole('region', { name: /^Morgonkoll, / });
    await answered.getByText(/^Besvarad \d{4}-\d{2}-\d{2} \d{2}:\d{2}/).waitFor();
    const row = (q: string) => answered.locator('.answer').filter({ has: page.locator('dt', { hasText: q }) }).locator('dd');
    expect(await row('Är du tobaksfri just nu?').textContent()).to.equal('Ja');
    expect(await row('Något du vill berätta?').textContent()).to.equal('En bra morgon.');
    expect(occasion.id).to.be.a('string');
    await check('Aktiviteter with Dina svar');
  });

  it('Loggar: repeated reads grouped (who, which day, how many times)', async () => {
    for (let i = 0; i < 3; i++) expect((await h.request('GET', `/api/treatments/${treatmentId}`, { token: clinician })).status).to.equal(200);
    await go('Loggar');
    // The test's unit has no configured name (CARE_UNIT_REGIONS): it is shown as such, never by its id.
    const rows = page.getByRole('row').filter({ has: page.getByRole('cell', { name: 'Okänd vårdenhet' }) });
    await rows.first().waitFor();
    const reads = rows.filter({ hasText: 'Läste' });
    expect(await reads.count(), 'one row for the day\'s reads by the unit').to.equal(1);
    expect(await reads.textContent()).to.match(/Läste \d+ gånger, kl\. \d{2}:\d{2}–\d{2}:\d{2}/);
    await check('Loggar, grouped');
    await screenshot(page, 'patient2-05-loggar');
  });

  it('Vidmakthåll: the notice says "Du kan läsa allt", and the sent form still shows Dina svar', async () => {
    const ended = await h.request('POST', `/api/treatments/${treatmentId}/end`, { token: clinician, body: { reason: 'completed-tobacco-free', maintenance: true } });
    expect(ended.status).to.equal(200);
    await go('Tobakshjälpen');
    const notice = page.locator('#read-only-notice');
    await notice.waitFor({ timeout: 2000 });
    expect(await notice.textContent()).to.contain('Du kan läsa allt');
    const step1 = page.getByRole('region', { name: /^Steg 1:/ });
    await step1.getByRole('heading', { name: 'Dina svar' }).waitFor();
    expect(await step1.locator('.sent-answers dd').filter({ hasText: 'För att orka springa med barnen' }).count()).to.equal(1);
    expect(await step1.getByRole('button', { name: 'Svara igen' }).count()).to.equal(0);
    await check('Tobakshjälpen in Vidmakthåll with Dina svar');
    await screenshot(page, 'patient2-04-vidmakthall');
    // After Vidmakthåll: Loggar still open; Home says there is no treatment ongoing.
    await eventually(async () => (await h.request('GET', '/api/me/treatment', { token: patientToken })).status === 404, 20_000);
    await nav('Loggar').click();
    await page.getByRole('heading', { name: 'Loggar', level: 1 }).waitFor();
    await page.getByRole('cell', { name: 'Okänd vårdenhet' }).first().waitFor();
    await check('Loggar after the end');
    expect([...visited].sort()).to.include.members(['/invanare', '/invanare/meddelanden', '/invanare/aktiviteter', '/invanare/loggar']);
  });

  it('someone signing in with no treatment is told "Du har ingen pågående behandling"', async () => {
    await page.getByRole('button', { name: 'Logga ut' }).click();
    await page.getByRole('button', { name: 'Logga in som invånare' }).click();
    await page.getByLabel('Personnummer').fill(testPersonnummer('19800505'));
    await page.getByRole('button', { name: 'Logga in', exact: true }).click();
    await page.getByText('Du har ingen pågående behandling i Tobakshjälpen.', { exact: false }).waitFor();
    expect(await page.getByText('avslutad', { exact: false }).count(), 'not that it ended').to.equal(0);
    await check('no treatment');
    await screenshot(page, 'patient2-06-ingen-behandling');
  });
});
