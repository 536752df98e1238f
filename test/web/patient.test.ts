// The patient's side of the web app (invånarvy) end to end in a real browser, on the real system,
// at a phone's size (390×844) throughout: sign-in through the development provider with a
// personnummer, the first visit (activation, welcome text, the open modules), reading a section,
// forms of every question type (one bad answer first: the API's words next to the field, nothing
// typed lost), a form by keyboard alone, Meddelanden with the clinician's reply, Aktiviteter,
// Inställningar, Loggar, Vidmakthåll read-only and the ended treatment. axe-core on every page.
import path from 'node:path';
import { expect } from 'chai';
import type { Locator, Page } from 'playwright-core';
import { harness, type Harness } from '../support/harness';
import { codesTo } from '../support/verify';
import { clearOfMidnight, clock, eventually, swedishDaysAhead, testPersonnummer, weekday } from '../support/fixtures';
import { expectAccessible, openBrowser, screenshot, SCREENSHOT_DIR, type Browser } from './browser';
import { expectSwedish } from './swedish';


describe('web app: invånarvy in a real browser (Chromium, axe-core, 390×844)', function () {
  this.timeout(180_000);
  let h: Harness;
  let browser: Browser;
  let page: Page;
  let clinician: string;
  let patientToken: string;
  let treatmentId: string;
  const pnr = testPersonnummer('19900101');
  const hsaId = `SE2321000016-P${Date.now() % 100000}`;
  const careUnit = `unit-patient-${Date.now() % 100000}`;

  before(async () => {
    await clearOfMidnight();
    h = await harness();
    clinician = await h.token({ role: 'clinician', sub: hsaId, careUnits: [careUnit] });
    patientToken = await h.token({ role: 'patient', sub: pnr });
    const started = await h.request('POST', '/api/treatments', {
      token: clinician, body: { personnummer: pnr, programId: 'tobakshjalpen', careUnitId: careUnit, patient: { name: 'Doris Mobilsson', phone: '070-222 33 44' } },
    });
    expect(started.status).to.equal(201);
    treatmentId = started.body.id;
    expect((await h.request('PUT', `/api/treatments/${treatmentId}/welcome-text`, { token: clinician, body: { text: 'Välkommen Doris! Börja med Inledning och Steg 1.' } })).status).to.equal(200);
    // Steps 2 to 4 opened early, so that their forms (date, boolean, single choice) are there to answer.
    for (const m of ['step-2', 'step-3', 'step-4']) expect((await h.request('POST', `/api/treatments/${treatmentId}/modules/${m}/open`, { token: clinician })).status).to.equal(200);
    browser = await openBrowser();
    page = browser.page;
    await page.setViewportSize({ width: 390, height: 844 });
  });
  after(async () => { await browser?.close(); });

  /** axe-core, and nothing wider than the phone's screen. */
  async function check(what: string) {
    await expectAccessible(page, `${what} (390×844)`);
    const overflow = await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth') as number;
    expect(overflow, `${what}: wider than the phone`).to.be.at.most(0);
    await expectSwedish(page, what);
  }
  /** What the phone's screen shows (the README's pictures), beside the full page. */
  async function phoneShot(name: string) {
    await screenshot(page, name);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}-phone.png`) });
  }
  const nav = (name: string) => page.getByRole('navigation', { name: 'Tobakshjälpen' }).getByRole('link', { name, exact: true });
  async function go(name: string) {
    await nav(name).click();
    await page.getByRole('heading', { name, level: 1 }).waitFor();
  }
  /** The error message a field names in aria-describedby. */
  async function errorOf(field: Locator) {
    expect(await field.getAttribute('aria-invalid')).to.equal('true');
    const ids = (await field.getAttribute('aria-describedby'))!.split(' ');
    return page.locator(`[id="${ids.find((i) => i.endsWith('-error'))}"]`).textContent();
  }

  it('first visit: signs in with a personnummer, activates the treatment, shows the welcome text and the open modules; reading a section records progress', async () => {
    await page.goto(`${h.baseUrl}/`);
    await page.getByRole('button', { name: 'Logga in som invånare' }).click();
    await page.getByLabel('Personnummer').fill(pnr);
    await page.getByRole('button', { name: 'Logga in', exact: true }).click();
    await page.getByRole('heading', { name: 'Tobakshjälpen', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).to.equal('/invanare');
    await page.getByText('Välkommen Doris! Börja med Inledning och Steg 1.').waitFor();
    // The first visit activated the treatment.
    const t = await h.request('GET', `/api/treatments/${treatmentId}`, { token: clinician });
    expect(t.body.status).to.equal('active');
    // One region per module the patient may see, named by its title; locked ones are not shown.
    for (const name of ['Inledning', 'Bra att veta', /^Steg 1:/, /^Steg 2:/, /^Steg 3:/, /^Steg 4:/]) await page.getByRole('region', { name }).waitFor();
    expect(await page.getByRole('region', { name: /^Steg 5:/ }).count()).to.equal(0);
    expect(await page.getByRole('region', { name: 'Graviditet och tobak' }).count()).to.equal(0);
    for (const name of ['Meddelanden', 'Aktiviteter', 'Inställningar', 'Loggar']) await nav(name).waitFor();
    await check('Tobakshjälpen');
    await phoneShot('patient-01-tobakshjalpen');

    // Reading a section: opening it records "started", "Jag har läst avsnittet" records "finished".
    const intro = page.getByRole('region', { name: 'Inledning' });
    const section = intro.getByRole('listitem').filter({ hasText: 'Välkommen till Tobakshjälpen' });
    await section.getByText('Ej påbörjad').waitFor();
    await section.getByRole('button', { name: 'Välkommen till Tobakshjälpen' }).click();
    expect(await section.getByRole('button', { name: 'Välkommen till Tobakshjälpen' }).getAttribute('aria-expanded')).to.equal('true');
    await section.getByText('Påbörjad').waitFor();
    await section.getByRole('button', { name: 'Jag har läst avsnittet' }).click();
    await section.getByText('Klar', { exact: true }).waitFor();
    const after = await h.request('GET', `/api/treatments/${treatmentId}`, { token: clinician });
    const welcome = after.body.modules.find((m: { id: string }) => m.id === 'intro').sections.find((s: { id: string }) => s.id === 'welcome');
    expect(welcome.progress).to.equal('finished');
    await check('Tobakshjälpen with a section read');
  });

  it('a section shows its text from the program (Markdown); a region\'s override replaces it, and markup in it never runs', async () => {
    const intro = page.getByRole('region', { name: 'Inledning' });
    // The shipped (national) program's text, Markdown rendered; no placeholder for the patient to read.
    const welcome = intro.getByRole('listitem').filter({ hasText: 'Välkommen till Tobakshjälpen' });
    await welcome.getByText('Du arbetar i din egen takt, steg för steg.', { exact: false }).waitFor();
    expect(await welcome.locator('.section-text strong').first().textContent()).to.equal('Meddelanden');
    expect(await page.getByText('ersätts av regionen', { exact: false }).count()).to.equal(0);

    // The test harness's PROGRAM_OVERRIDES (TEST_OVERRIDES) gives "Så fungerar programmet" the region's own text.
    const api = await h.request('GET', '/api/me/treatment', { token: patientToken });
    const section = api.body.modules.find((m: { id: string }) => m.id === 'intro').sections.find((x: { id: string }) => x.id === 'how-it-works');
    expect(section.body).to.match(/^Regionens egen text/);
    const how = intro.getByRole('listitem').filter({ hasText: 'Så fungerar programmet' });
    await how.getByRole('button', { name: 'Så fungerar programmet' }).click();
    const text = how.locator('.section-text');
    await text.getByText('Regionens egen text:', { exact: false }).waitFor();
    expect(await text.locator('strong').textContent()).to.equal('så fungerar');
    expect(await how.getByText('Steg 1–4', { exact: false }).count(), 'the shipped text is replaced').to.equal(0);
    // <script>, <img onerror> and a javascript: link: none survives, nothing ran.
    expect(await text.locator('script, img, [onerror]').count()).to.equal(0);
    expect(await text.innerHTML()).not.to.match(/script|onerror|javascript:/i);
    const link = text.getByText('en länk');
    expect(await link.getAttribute('href')).to.equal(null);
    await link.click().catch(() => undefined);
    // Whatever the click set off has run once the page has painted the next frame.
    await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
    expect(await page.evaluate('window.__injected')).to.equal(undefined);
    await check('a section with its text');
    await how.screenshot({ path: path.join(SCREENSHOT_DIR, 'patient-01b-section-text.png') });
  });

  it('a form from the program\'s questions: a bad answer first (the API\'s words next to the field, typed values kept), then a good one; a date and a single choice', async () => {
    const form = page.getByRole('form', { name: 'Mina tobaksvanor' });
    await form.getByRole('group', { name: 'Vilken tobak använder du?' }).getByLabel('Snus').check();
    const amount = form.getByLabel('Hur mycket använder du per dag?');
    await amount.fill('500');
    await form.getByLabel('Varför vill du sluta?').fill('För min hälsa och min plånbok');
    await form.getByRole('button', { name: 'Skicka' }).click();
    await form.locator('[aria-invalid="true"]').first().waitFor();
    expect(await errorOf(amount)).to.equal('Ange högst 200.');
    await form.getByRole('alert').waitFor();
    // Nothing typed is lost.
    expect(await amount.inputValue()).to.equal('500');
    expect(await form.getByLabel('Varför vill du sluta?').inputValue()).to.equal('För min hälsa och min plånbok');
    expect(await form.getByLabel('Snus').isChecked()).to.equal(true);
    await check('a form with a field error');
    await form.screenshot({ path: path.join(SCREENSHOT_DIR, 'patient-02-form-error.png') });

    await amount.fill('12');
    await form.getByRole('button', { name: 'Skicka' }).click();
    await form.getByText('Tack! Dina svar är skickade.').waitFor();
    await page.getByRole('region', { name: /^Steg 1:/ }).getByText(/^Skickat \d{4}-\d{2}-\d{2}/).waitFor();
    const forms = await h.request('GET', `/api/treatments/${treatmentId}/forms`, { token: clinician });
    expect(forms.body.items.map((f: { formId: string }) => f.formId)).to.include('tobacco-habits');

    // Steg 2: a date (the quit date), shown once sent.
    const quit = page.getByRole('form', { name: 'Mitt stoppdatum' });
    // A date more than twelve weeks ahead is refused at the field, in Swedish, and what was typed stays.
    const tooFar = swedishDaysAhead(12 * 7 + 10);
    await quit.getByLabel('Vilket datum slutar du?').fill(tooFar);
    await quit.getByRole('button', { name: 'Skicka' }).click();
    await quit.getByText(/Välj ett stoppdatum inom 12 veckor, senast \d{4}-\d{2}-\d{2}\./).waitFor();
    expect(await quit.getByLabel('Vilket datum slutar du?').inputValue()).to.equal(tooFar);
    const quitDate = swedishDaysAhead(40);
    await quit.getByLabel('Vilket datum slutar du?').fill(quitDate);
    await quit.getByRole('button', { name: 'Skicka' }).click();
    await quit.getByText('Tack! Dina svar är skickade.').waitFor();
    await page.getByRole('region', { name: /^Steg 2:/ }).getByText(quitDate).waitFor();

    // Steg 4: a single choice, its options in words.
    const feedback = page.getByRole('form', { name: 'Återkoppling' }).getByRole('group', { name: 'Hur ser din tobaksanvändning ut nu?' });
    for (const option of ['Tobaksfri', 'Minskad', 'Oförändrad']) expect(await feedback.getByRole('radio', { name: option }).count()).to.equal(1);
  });

  it('a form with the keyboard alone (a yes/no question and a text)', async () => {
    const form = page.getByRole('form', { name: 'Hur går det?' });
    const yes = form.getByRole('group', { name: 'Är du tobaksfri just nu?' }).getByLabel('Ja');
    const focused = (l: Locator) => l.evaluate((el) => el === el.ownerDocument.activeElement);
    await page.getByRole('region', { name: /^Steg 3:/ }).getByRole('heading', { name: /^Steg 3:/ }).scrollIntoViewIfNeeded();
    await form.getByRole('group', { name: 'Är du tobaksfri just nu?' }).getByLabel('Nej').focus();
    // From "Nej", back to "Ja" with the arrow key (a radio group), chosen as it gets focus.
    await page.keyboard.press('ArrowUp');
    expect(await focused(yes)).to.equal(true);
    expect(await yes.isChecked()).to.equal(true);
    await page.keyboard.press('Tab');
    expect(await focused(form.getByLabel('Något du vill berätta?'))).to.equal(true);
    await page.keyboard.type('Det går bra, tack.');
    await page.keyboard.press('Tab');
    expect(await focused(form.getByRole('button', { name: 'Skicka' }))).to.equal(true);
    await page.keyboard.press('Enter');
    await form.getByText('Tack! Dina svar är skickade.').waitFor();
    const forms = await h.request('GET', `/api/treatments/${treatmentId}/forms`, { token: clinician });
    expect(forms.body.items.map((f: { formId: string }) => f.formId)).to.include('check-in');
    await screenshot(page, 'patient-03-formular-skickade');
  });

  it('a follow-up step (Steg 5) once open says it is a follow-up and that a reminder comes if it is not answered', async () => {
    // The quit date above keeps the real follow-ups months away: the clinician opens Steg 5 (Öppna), as after a quit date passed.
    expect((await h.request('POST', `/api/treatments/${treatmentId}/modules/step-5/open`, { token: clinician })).status).to.equal(200);
    const me = await h.request('GET', '/api/me/treatment', { token: patientToken });
    const byId = (id: string) => me.body.modules.find((m: { id: string }) => m.id === id);
    expect(byId('step-5')).to.include({ followUp: true, state: 'open' });
    expect(byId('step-1').followUp).to.equal(false);
    await go('Meddelanden');
    await go('Tobakshjälpen');
    const step5 = page.getByRole('region', { name: /^Steg 5:/ });
    await step5.getByText('Det här är en uppföljning.').waitFor();
    await step5.getByText(/Om du inte har svarat får du en påminnelse via SMS eller e-post/).waitFor();
    expect(await page.getByRole('region', { name: /^Steg 1:/ }).getByText('Det här är en uppföljning.').count()).to.equal(0);
    await check('Tobakshjälpen with a follow-up open');
    await step5.screenshot({ path: path.join(SCREENSHOT_DIR, 'patient-03b-follow-up.png') });
  });

  it('Meddelanden: a new message, the clinician\'s reply (through the API), a reply back', async () => {
    await go('Meddelanden');
    await page.getByText('Inga meddelanden än.').waitFor();
    await check('Meddelanden, empty');
    await page.getByRole('button', { name: 'Nytt meddelande' }).click();
    await page.getByLabel('Ämne').fill('Fråga om plåster');
    await page.getByLabel('Meddelande', { exact: true }).fill('Får jag använda nikotinplåster?');
    await check('Nytt meddelande');
    await page.getByRole('button', { name: 'Skicka' }).click();
    await page.getByRole('heading', { name: 'Fråga om plåster' }).waitFor();
    await page.getByText('Får jag använda nikotinplåster?').waitFor();

    const conversations = await h.request('GET', `/api/treatments/${treatmentId}/conversations`, { token: clinician });
    const cid = conversations.body.items[0].id;
    expect((await h.request('POST', `/api/treatments/${treatmentId}/conversations/${cid}/messages`, { token: clinician, body: { text: 'Ja, det går bra. Vi pratar mer om det i Steg 2.', notify: false } })).status).to.equal(201);
    // The start page and the menu say there is a new message.
    await go('Tobakshjälpen');
    await page.getByText('Du har ett nytt meddelande från din behandlare.').waitFor();
    const badge = page.getByRole('navigation', { name: 'Tobakshjälpen' }).getByText('1 nytt', { exact: true });
    await badge.waitFor();
    await check('Tobakshjälpen with an unread message');
    // Back to the page: the reply is there, marked new (in words, not by colour alone); reading it marked it read.
    await go('Meddelanden');
    const thread = page.getByRole('article', { name: 'Fråga om plåster' });
    await thread.getByText('Ja, det går bra. Vi pratar mer om det i Steg 2.').waitFor();
    await thread.getByText(/^Behandlare, /).waitFor();
    const messages = thread.getByRole('listitem');
    await messages.filter({ hasText: 'Ja, det går bra.' }).getByText('Nytt', { exact: true }).waitFor();
    expect(await messages.filter({ hasText: 'Får jag använda nikotinplåster?' }).getByText('Nytt', { exact: true }).count()).to.equal(0);
    await page.getByRole('status').filter({ hasText: 'Ett nytt meddelande från din behandlare' }).waitFor();
    await check('Meddelanden with a new message');
    await badge.waitFor({ state: 'detached' });
    expect((await h.request('GET', '/api/me/treatment', { token: patientToken })).body.unreadMessages).to.equal(0);
    await thread.getByRole('button', { name: 'Svara' }).click();
    await thread.getByLabel('Svar', { exact: true }).fill('Tack för svaret!');
    await thread.getByRole('button', { name: 'Skicka' }).click();
    await thread.getByText('Tack för svaret!').waitFor();
    await check('Meddelanden with a thread');
    await phoneShot('patient-04-meddelanden');
    const after = await h.request('GET', `/api/treatments/${treatmentId}/conversations`, { token: clinician });
    expect(after.body.items[0].messages.map((m: { author: string }) => m.author)).to.deep.equal(['patient', 'clinician', 'patient']);
  });

  it('Aktiviteter: an occasion of the clinician\'s plan (made through the API) with its title and questions, answered with Skicka', async () => {
    const now = Date.now();
    const plan = await h.request('POST', `/api/treatments/${treatmentId}/activity-plans`, {
      token: clinician,
      body: { title: 'Kvällsdagbok', elements: [{ formId: 'check-in' }], schedule: { weekdays: [weekday(now)], times: [clock(now + 3000)], weeks: 1 }, answerWindowDays: 1 },
    });
    expect(plan.status).to.equal(201);
    await go('Aktiviteter');
    await page.getByText('Inga aktiviteter att besvara just nu.').waitFor();
    await eventually(async () => {
      const list = await h.request('GET', '/api/me/treatment/activities', { token: patientToken });
      return list.body.items.some((o: { state: string }) => o.state === 'due');
    }, 20_000);
    await go('Tobakshjälpen');
    await go('Aktiviteter');
    const occasion = page.getByRole('region', { name: /^Kvällsdagbok, / });
    await occasion.getByText('Att besvara').waitFor();
    await occasion.getByText(/^Svara senast \d{4}-\d{2}-\d{2}/).waitFor();
    await occasion.getByRole('group', { name: 'Är du tobaksfri just nu?' }).getByLabel('Nej').check();
    await occasion.getByLabel('Något du vill berätta?').fill('Ett bloss på festen.');
    await check('Aktiviteter with an occasion due');
    await phoneShot('patient-05-aktiviteter');
    await occasion.getByRole('button', { name: 'Skicka' }).click();
    await page.getByRole('heading', { name: 'Tidigare', level: 2 }).waitFor();
    await page.getByRole('region', { name: /^Kvällsdagbok, / }).getByText('Besvarad', { exact: true }).waitFor();
    const list = await h.request('GET', '/api/me/treatment/activities', { token: patientToken });
    expect(list.body.items[0].state).to.equal('answered');
    await check('Aktiviteter with an answered occasion');
  });

  it('Inställningar: a bad phone number named next to the field, then phone, e-mail and notices saved', async () => {
    await go('Inställningar');
    const phone = page.getByLabel('Mobilnummer');
    await eventually(async () => (await phone.inputValue()) === '070-222 33 44');
    await phone.fill('inte ett nummer');
    await page.getByLabel('E-post', { exact: true }).fill('doris@example.se');
    await page.getByLabel('Avisering via SMS').uncheck();
    await page.getByRole('button', { name: 'Spara' }).click();
    await page.locator('[aria-invalid="true"]').waitFor();
    expect(await errorOf(phone)).to.match(/giltigt mobilnummer/);
    expect(await page.getByLabel('E-post', { exact: true }).inputValue()).to.equal('doris@example.se');
    await check('Inställningar with a field error');
    await phone.fill('070-111 22 33');
    await page.getByRole('button', { name: 'Spara' }).click();
    await page.getByText('Sparat.').waitFor();
    const saved = await h.request('GET', '/api/me/settings', { token: patientToken });
    expect(saved.body).to.deep.include({ phone: '070-111 22 33', email: 'doris@example.se', notifyBySms: false, notifyByEmail: true, phoneVerified: false });
    // The new number gets a code; entered on the page, the number is confirmed (security #14).
    const codeField = page.getByLabel(/Kod för mobilnumret/);
    await codeField.waitFor();
    await check('Inställningar with codes to confirm');
    const code = await eventually(async () => codesTo(h, '070-111 22 33').at(-1) ?? codesTo(h, '+46701112233').at(-1) ?? null);
    await codeField.fill('000000' === code ? '111111' : '000000');
    await page.getByRole('form', { name: 'Bekräfta mobilnumret' }).getByRole('button', { name: 'Bekräfta' }).click();
    await page.getByText(/Koden stämmer inte/).waitFor();
    await codeField.fill(code);
    await page.getByRole('form', { name: 'Bekräfta mobilnumret' }).getByRole('button', { name: 'Bekräfta' }).click();
    await codeField.waitFor({ state: 'detached' });
    expect((await h.request('GET', '/api/me/settings', { token: patientToken })).body).to.include({ phoneVerified: true, emailVerified: false });
    await check('Inställningar');
    await screenshot(page, 'patient-06-installningar');
  });

  it('Loggar: who read my data, when (the clinician\'s care unit, in words)', async () => {
    await go('Loggar');
    await page.getByRole('columnheader', { name: 'Vårdenhet' }).waitFor();
    // This run's unit has no configured name: the neutral phrase, never its id.
    await page.getByRole('cell', { name: 'Okänd vårdenhet' }).first().waitFor();
    expect(await page.getByRole('cell', { name: careUnit }).count()).to.equal(0);
    await page.getByRole('cell', { name: 'Läste' }).first().waitFor();
    await check('Loggar');
    await screenshot(page, 'patient-07-loggar');
  });

  it('Vidmakthåll: everything reads, nothing writes, and the page says until when; then the treatment has ended', async () => {
    // The test program's Vidmakthåll lasts seconds (TEST_OVERRIDES): the page is read at once, and
    // what it showed stays on screen until the patient moves on.
    const ended = await h.request('POST', `/api/treatments/${treatmentId}/end`, { token: clinician, body: { reason: 'completed-tobacco-free', maintenance: true } });
    expect(ended.status).to.equal(200);
    await go('Tobakshjälpen');
    const notice = page.locator('#read-only-notice');
    await notice.waitFor({ timeout: 2000 });
    expect(await notice.textContent()).to.match(/Vidmakthåll till och med \d{4}-\d{2}-\d{2}/);
    // The program still reads; every Skicka is disabled, no section can be marked read.
    await page.getByRole('region', { name: /^Steg 1:/ }).waitFor();
    const sends = page.getByRole('button', { name: 'Skicka' });
    expect(await sends.count()).to.be.greaterThan(0);
    for (const b of await sends.all()) expect(await b.isDisabled()).to.equal(true);
    expect(await page.getByRole('button', { name: 'Jag har läst avsnittet' }).count()).to.equal(0);
    await phoneShot('patient-08-vidmakthall');
    await check('Tobakshjälpen in Vidmakthåll');

    // The end of access: Loggar stays open (who read my data); Home says there is no treatment ongoing, nothing more.
    await eventually(async () => (await h.request('GET', '/api/me/treatment', { token: patientToken })).status === 404, 20_000);
    await nav('Loggar').click();
    await page.getByRole('heading', { name: 'Loggar', level: 1 }).waitFor();
    // The unit by its name (this run's has none configured), never its id.
    await page.getByRole('cell', { name: 'Okänd vårdenhet' }).first().waitFor();
    await check('Loggar after the end');
    await nav('Tobakshjälpen').click();
    await page.getByText('Du har ingen pågående behandling i Tobakshjälpen.', { exact: false }).waitFor();
    expect(await nav('Meddelanden').count()).to.equal(0);
    expect(await page.getByRole('button', { name: 'Skicka' }).count()).to.equal(0);
    await check('the ended treatment');
    await phoneShot('patient-09-avslutad');
    await page.getByRole('button', { name: 'Logga ut' }).click();
    await page.getByRole('button', { name: 'Logga in som invånare' }).waitFor();
  });
});
