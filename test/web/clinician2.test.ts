// Behandlarvy 2 in a real browser (issue 24), signed in through the development provider's page:
// the overview's Flaggor column in words; the Flaggor page (a work queue across treatments, by
// keyboard alone); Om behandlingen (quit date, follow-ups, verified contacts, Behandlare by name)
// and the SMS notice's limit said before sending; Avsluta confirmed in a dialog (keyboard alone,
// Escape cancels, Bekräfta ends); Byt behandlare among the unit's
// clinicians. axe-core on every new page and dialog.
import { expect } from 'chai';
import type { Locator, Page } from 'playwright-core';
import { harness, type Harness } from '../support/harness';
import { eventually, testPersonnummer } from '../support/fixtures';
import { expectAccessible, openBrowser, screenshot, signInAsClinician, type Browser } from './browser';

describe('web app: Behandlarvy 2 (Chromium, axe-core)', function () {
  this.timeout(180_000);
  let h: Harness;
  let browser: Browser;
  let page: Page;
  const n = Date.now() % 100000;
  const hsaId = `SE2321000016-V${n}`;
  const unit = `unit-web2-${n}`;

  before(async () => {
    h = await harness();
    browser = await openBrowser();
    page = browser.page;
  });
  after(async () => { await browser?.close(); });

  const signIn = (name = 'Vera Vårdsson') => signInAsClinician(page, h.baseUrl, { hsaId, careUnits: unit, name });

  async function start(name: string, patientFields: Record<string, string> = {}) {
    const pnr = testPersonnummer();
    const clinician = await h.token({ role: 'clinician', sub: hsaId, careUnits: [unit] });
    const started = await h.request('POST', '/api/treatments', { token: clinician, body: { personnummer: pnr, programId: 'tobakshjalpen', careUnitId: unit, patient: { name, ...patientFields } } });
    expect(started.status).to.equal(201);
    const patient = await h.token({ role: 'patient', sub: pnr });
    expect((await h.request('GET', '/api/me/treatment', { token: patient })).status).to.equal(200);
    return { id: started.body.id as string, pnr, clinician, patient };
  }

  const unreadOf = async (token: string, treatmentId: string) =>
    (await h.request('GET', `/api/flags?treatmentId=${treatmentId}&unread=true`, { token })).body.items as Array<{ type: string }>;

  /** No identifier (snake_case enum values, uuids) and no English on the page a clinician reads. */
  const ENGLISH = /\b(the|is|not|and|of|error|unknown|must|invalid|flag|flags|module|treatment|undefined|null|NaN|true|false|pending|active|ended|maintenance|read|unread)\b/i;
  async function expectSwedishOnly(what: string) {
    const text = await page.locator('body').innerText();
    expect(text, `${what}: an identifier`).to.not.match(/\b[a-z]+(?:_[a-z]+)+\b/);
    expect(text, `${what}: a uuid`).to.not.match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i);
    const english = ENGLISH.exec(text);
    expect(english?.[0], `${what}: English`).to.equal(undefined);
  }

  const press = async (key: string, times = 1) => { for (let i = 0; i < times; i++) await page.keyboard.press(key); };
  const tabTo = async (locator: Locator, max = 150) => {
    for (let i = 0; i < max; i++) {
      if (await locator.evaluate((el) => el === el.ownerDocument.activeElement)) return;
      await press('Tab');
    }
    throw new Error(`Tab never reached ${locator.toString()}`);
  };

  it('Flaggor: the overview names unread flags in words (action ones set apart); the work queue across treatments, filtered, marked read by keyboard alone', async () => {
    const a = await start('Flora Flaggsson');
    const b = await start('Gustav Gröndahl');
    const sent = await h.request('POST', '/api/me/treatment/conversations', { token: a.patient, body: { subject: 'En fråga', text: 'Hur gör jag med snuset?', notify: false } });
    expect(sent.status).to.equal(201);
    await eventually(async () => (await unreadOf(a.clinician, a.id)).some((f) => f.type === 'message_received') && (await unreadOf(b.clinician, b.id)).some((f) => f.type === 'first_login'));

    await signIn();
    // The overview's Flaggor column: the types in words, the one that asks for action marked so in words.
    const rowA = page.getByRole('row', { name: /Flora Flaggsson/ });
    await rowA.getByText('Agera:').waitFor();
    await rowA.getByText(/Nytt meddelande/).first().waitFor();
    await rowA.getByText(/Första inloggning/).first().waitFor();
    expect(await rowA.getByText(/olästa/).count()).to.equal(0);

    // To Flaggor through the menu, by keyboard.
    await tabTo(page.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link', { name: 'Flaggor' }));
    await press('Enter');
    await page.getByRole('heading', { name: 'Flaggor', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).to.equal('/behandlare/flaggor');
    for (const name of ['Mina patienter', 'Flaggor', 'Statistik', 'Min profil']) await page.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link', { name }).waitFor();
    await page.getByRole('button', { name: 'Logga ut' }).waitFor();
    for (const name of ['Patient', 'Flagga', 'Tid']) await page.getByRole('columnheader', { name }).waitFor();
    await page.getByRole('row', { name: /Flora Flaggsson.*Nytt meddelande/ }).waitFor();
    await page.getByRole('row', { name: /Gustav Gröndahl.*Första inloggning/ }).waitFor();
    // Newest first: Flora's message came after both first logins (a flag of time, Inaktiv invånare
    // after its seconds here, may come later still and stand above all three).
    const rows = await page.locator('tbody tr').allInnerTexts();
    const message = rows.findIndex((r) => r.includes('Nytt meddelande'));
    const firstLogins = rows.flatMap((r, i) => (r.includes('Första inloggning') ? [i] : []));
    expect(message).to.be.at.least(0);
    expect(firstLogins).to.have.length(2);
    expect(message).to.be.below(Math.min(...firstLogins));
    expect(await page.getByLabel('Bara mina').isChecked()).to.equal(true);
    await expectAccessible(page, 'Flaggor (the work queue)');
    await screenshot(page, '20-flaggor');
    await expectSwedishOnly('Flaggor');

    // Filter by type: only new messages.
    await page.getByLabel('Typ av flagga').selectOption({ label: 'Nytt meddelande' });
    await eventually(async () => (await page.getByRole('row', { name: /Gustav Gröndahl/ }).count()) === 0);
    await page.getByRole('row', { name: /Flora Flaggsson.*Nytt meddelande/ }).waitFor();
    await page.getByLabel('Typ av flagga').selectOption({ label: 'Alla typer' });
    await page.getByRole('row', { name: /Gustav Gröndahl.*Första inloggning/ }).waitFor();

    // Mark one read by keyboard: Flora's message.
    await tabTo(page.getByRole('button', { name: 'Markera som läst: Nytt meddelande, Flora Flaggsson' }));
    await press('Enter');
    await page.getByRole('status').getByText('Nytt meddelande är markerad som läst.').waitFor();
    await eventually(async () => (await page.getByRole('row', { name: /Flora Flaggsson.*Nytt meddelande/ }).count()) === 0);
    expect((await unreadOf(a.clinician, a.id)).map((f) => f.type)).to.not.include('message_received');
    // All of Gustav's, by keyboard: his first login and, once he has been quiet for the tests' 6 s,
    // his inactivity (raised once per quiet period: waited for, so nothing comes after the marking).
    await eventually(async () => (await unreadOf(b.clinician, b.id)).some((f) => f.type === 'patient_inactive'), 20_000);
    await tabTo(page.getByRole('button', { name: 'Markera patientens alla som lästa: Gustav Gröndahl' }).first());
    await press('Enter');
    await eventually(async () => (await page.getByRole('row', { name: /Gustav Gröndahl/ }).count()) === 0);
    expect(await unreadOf(b.clinician, b.id)).to.deep.equal([]);
    // A row leads to its treatment, by keyboard.
    await tabTo(page.getByRole('link', { name: 'Flora Flaggsson' }).first());
    await press('Enter');
    await page.getByRole('heading', { name: 'Flora Flaggsson', level: 1 }).waitFor();
    expect(page.url()).to.contain(`/behandlare/behandlingar/${a.id}`);
  });

  it('Om behandlingen: status, start, Rökstoppsdatum, the follow-ups, Mobilnummer and E-post with Ej verifierat, Behandlare by name; the SMS limit said before sending', async () => {
    const t = await start('Olle Omsson', { phone: '+46701234567', email: 'olle@example.se' });
    // The patient sets a quit date in Steg 2's form.
    expect((await h.request('POST', `/api/treatments/${t.id}/modules/step-2/current`, { token: t.clinician })).status).to.be.lessThan(300);
    const quitDate = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);
    expect((await h.request('POST', '/api/me/treatment/modules/step-2/forms/quit-date', { token: t.patient, body: { answers: { quitDate } } })).status).to.equal(201);
    await eventually(async () => (await h.request('GET', `/api/treatments/${t.id}`, { token: t.clinician })).body.quitDate === quitDate);

    await signIn();
    await page.goto(`${h.baseUrl}/behandlare/behandlingar/${t.id}`);
    const about = page.getByRole('region', { name: 'Om behandlingen' });
    await about.waitFor();
    const fact = (term: string) => about.locator('div', { has: page.locator('dt', { hasText: new RegExp(`^${term}$`) }) }).locator('dd');
    expect(await fact('Status').innerText()).to.equal('Pågående');
    expect(await fact('Rökstoppsdatum').innerText()).to.equal(quitDate);
    for (const months of [3, 6, 12]) expect(await fact(`Uppföljning ${months} månader`).innerText()).to.match(/Kommande$/);
    expect(await fact('Mobilnummer').innerText()).to.match(/\+46701234567\s*Ej verifierat/);
    expect(await fact('E-post').innerText()).to.match(/olle@example\.se\s*Ej verifierat/);
    // The name comes with the unit's clinicians (a request of its own); until then the HSA-id alone.
    await fact('Behandlare').getByText(`Vera Vårdsson, ${hsaId}`, { exact: true }).waitFor();
    expect(await fact('Behandlare').innerText()).to.equal(`Vera Vårdsson, ${hsaId}`);
    await expectAccessible(page, 'the treatment page with Om behandlingen');
    await screenshot(page, '21-om-behandlingen');
    await expectSwedishOnly('the treatment page');

    // Meddelanden: the number is not verified, so the SMS is neutral only, said beside Avisera via SMS.
    await page.getByRole('tab', { name: 'Meddelanden' }).click();
    await page.getByRole('button', { name: 'Nytt meddelande' }).click();
    await page.getByText('Invånarens mobilnummer är inte verifierat, så SMS:et blir bara en neutral avisering utan innehåll om vården.').waitFor();
    const described = await page.getByLabel('Avisera via SMS').getAttribute('aria-describedby');
    expect(described).to.be.a('string');
  });

  it('Avsluta by keyboard alone: a confirmation dialog says what the patient loses and when; Escape cancels, Bekräfta ends', async () => {
    const t = await start('Ada Avslutsson');
    await signIn();
    await page.goto(`${h.baseUrl}/behandlare/behandlingar/${t.id}`);
    await page.getByRole('heading', { name: 'Ada Avslutsson', level: 1 }).waitFor();

    await tabTo(page.getByRole('button', { name: 'Avsluta behandling' }));
    await press('Enter');
    await tabTo(page.getByLabel('Avslutningsorsak'));
    // A select by keyboard: the arrow keys move through its options.
    for (let i = 0; i < 10 && await page.getByLabel('Avslutningsorsak').inputValue() !== 'completed-tobacco-free'; i++) await press('ArrowDown');
    expect(await page.getByLabel('Avslutningsorsak').inputValue()).to.equal('completed-tobacco-free');
    await tabTo(page.getByLabel('Vidmakthåll'));
    await press('Space');
    await tabTo(page.getByRole('button', { name: 'Avsluta', exact: true }));
    await press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Avsluta behandlingen?' });
    await dialog.getByText(/kan bara läsa programmet, inte skriva eller skicka något, till och med \d{4}-\d{2}-\d{2}/).waitFor();
    // Focus is in the dialog and stays there.
    expect(await dialog.evaluate((d) => d.contains(d.ownerDocument.activeElement))).to.equal(true);
    for (let i = 0; i < 6; i++) {
      await press('Tab');
      expect(await page.evaluate('document.activeElement?.closest("dialog") !== null')).to.equal(true);
    }
    await expectAccessible(page, 'the Avsluta confirmation');
    await screenshot(page, '22-avsluta-bekrafta');
    await expectSwedishOnly('the Avsluta confirmation');
    // Escape cancels: nothing ended.
    await press('Escape');
    await eventually(async () => !(await dialog.isVisible()));
    expect((await h.request('GET', `/api/treatments/${t.id}`, { token: t.clinician })).body.status).to.equal('active');

    // Without Vidmakthåll the dialog says access ends.
    await tabTo(page.getByLabel('Vidmakthåll'));
    await press('Space');
    await tabTo(page.getByRole('button', { name: 'Avsluta', exact: true }));
    await press('Enter');
    await dialog.getByText('Patienten kommer inte längre åt programmet.', { exact: false }).waitFor();
    await press('Escape');
    await eventually(async () => !(await dialog.isVisible()));
    // With Vidmakthåll again, Bekräfta.
    await tabTo(page.getByLabel('Vidmakthåll'));
    await press('Space');
    await tabTo(page.getByRole('button', { name: 'Avsluta', exact: true }));
    await press('Enter');
    await dialog.getByText(/till och med/).waitFor();
    await tabTo(dialog.getByRole('button', { name: 'Bekräfta' }), 10);
    await press('Enter');
    // Om behandlingen then says why it ended and the day access ends. (The tests' Vidmakthåll lasts
    // seconds, test/support/harness.ts: it is over by itself before Avsluta Vidmakthåll could be shown.)
    const about = page.getByRole('region', { name: 'Om behandlingen' });
    await about.getByText('Behandlingen genomförd, tobaksfri').waitFor();
    expect((await h.request('GET', `/api/treatments/${t.id}`, { token: t.clinician })).body.status).to.be.oneOf(['maintenance', 'ended']);
    await about.getByText(/(Kan läsa \(Vidmakthåll\) till|Upphörde) \d{4}-\d{2}-\d{2}/).waitFor();
    await eventually(async () => (await h.request('GET', `/api/treatments/${t.id}`, { token: t.clinician })).body.status === 'ended');
    await page.reload();
    await about.getByText(/Upphörde \d{4}-\d{2}-\d{2}/).waitFor();
    await expectAccessible(page, 'an ended treatment');
  });

  it('Byt behandlare: Ny behandlare is a choice among the unit\'s clinicians by name and HSA-id', async () => {
    const colleague = `SE2321000016-K${n}`;
    // The colleague signs in once (with a name): known in the unit.
    await h.request('GET', '/api/treatments', { token: await h.token({ role: 'clinician', sub: colleague, careUnits: [unit], name: 'Karin Kollega' }) });
    const t = await start('Bo Bytesson');
    await signIn();
    await page.goto(`${h.baseUrl}/behandlare/behandlingar/${t.id}`);
    await page.getByRole('button', { name: 'Byt behandlare' }).click();
    const select = page.getByLabel('Ny behandlare');
    expect(await select.evaluate((el) => el.tagName)).to.equal('SELECT');
    await select.locator('option', { hasText: `Karin Kollega, ${colleague}` }).waitFor({ state: 'attached' });
    await expectAccessible(page, 'Byt behandlare');
    await select.selectOption({ label: `Karin Kollega, ${colleague}` });
    await page.getByRole('button', { name: 'Byt', exact: true }).click();
    await page.getByText('Behandlaren är bytt.').waitFor();
    await page.getByRole('region', { name: 'Om behandlingen' }).getByText(`Karin Kollega, ${colleague}`).waitFor();
    expect((await h.request('GET', `/api/treatments/${t.id}`, { token: t.clinician })).body.clinicianId).to.equal(colleague);
  });

  it('Hantera: only the buttons that act on each module\'s state; "1 dag kvar"; the welcome text editable only while the treatment runs', async () => {
    const t = await start('Hanna Hantersson');
    await signIn();
    await page.goto(`${h.baseUrl}/behandlare/behandlingar/${t.id}`);
    const buttons = async (region: Locator) => (await region.getByRole('button').allInnerTexts()).map((s) => s.trim());
    // Inledning: open, informational (no work time): no Fler dagar, no Öppna.
    const intro = page.getByRole('region', { name: 'Inledning' });
    await intro.getByText('Ingen svarstid').waitFor();
    expect(await buttons(intro)).to.deep.equal(['Sätt till aktuell', 'Markera som avklarad']);
    // An individual module, locked: it says the patient cannot see it; Öppna, no Markera som avklarad, no Fler dagar.
    const pregnancy = page.getByRole('region', { name: 'Graviditet och tobak' });
    await pregnancy.getByText('Invånaren ser inte modulen förrän den öppnas').waitFor();
    expect(await buttons(pregnancy)).to.deep.equal(['Sätt till aktuell', 'Öppna']);
    // Opened: individual modules have no work time, so no deadline and no Fler dagar.
    await pregnancy.getByRole('button', { name: 'Öppna' }).click();
    await pregnancy.getByText('Öppen', { exact: true }).waitFor();
    await pregnancy.getByText('Ingen svarstid').waitFor();
    expect(await buttons(pregnancy)).to.deep.equal(['Sätt till aktuell', 'Markera som avklarad']);
    // Steg 1 (open, with a deadline): Fler dagar 1 gives "1 dag kvar".
    const step1 = page.getByRole('region', { name: /^Steg 1/ });
    await step1.getByRole('button', { name: 'Fler dagar' }).click();
    await step1.getByLabel('Antal dagar från i dag').fill('1');
    await step1.getByRole('button', { name: 'Spara' }).click();
    await step1.getByText(/^1 dag kvar/).waitFor();
    // Completed: neither Markera som avklarad nor Sätt till aktuell nor Fler dagar.
    await step1.getByRole('button', { name: 'Markera som avklarad' }).click();
    await step1.getByText('Avklarad', { exact: true }).waitFor();
    expect(await buttons(step1)).to.deep.equal([]);
    await page.getByRole('button', { name: 'Ändra välkomsttext' }).waitFor();
    await expectAccessible(page, 'Hantera with modules in each state');
    await expectSwedishOnly('Hantera');

    // Ended: no welcome-text control and no module commands.
    expect((await h.request('POST', `/api/treatments/${t.id}/end`, { token: t.clinician, body: { reason: 'no-contact', maintenance: false } })).status).to.equal(200);
    await page.reload();
    await page.getByRole('region', { name: 'Om behandlingen' }).getByText('Avslutad', { exact: true }).waitFor();
    await page.getByRole('heading', { name: 'Välkomsttext' }).waitFor();
    expect(await page.getByRole('button', { name: 'Ändra välkomsttext' }).count()).to.equal(0);
    expect(await buttons(intro)).to.deep.equal([]);
  });

  it('Tidslinje newest first with Visa fler and several types at once, flags named; Min profil keeps every flag type; Statistik links to Inera', async () => {
    const t = await start('Tilda Tidsson');
    // Many events: notes (the newest last written).
    for (let i = 1; i <= 50; i++) {
      expect((await h.request('POST', `/api/treatments/${t.id}/notes`, { token: t.clinician, body: { kind: 'phone', text: `Samtal ${i}` } })).status).to.equal(201);
    }
    await eventually(async () => (await unreadOf(t.clinician, t.id)).some((f) => f.type === 'first_login'));
    await signIn();
    await page.goto(`${h.baseUrl}/behandlare/behandlingar/${t.id}`);
    await page.getByRole('tab', { name: 'Tidslinje' }).click();
    const events = page.getByRole('list', { name: 'Händelser' });
    // Newest first: the last note before the older ones (a flag of time, Inaktiv invånare after its
    // seconds here, may come after it and stand above).
    await events.locator('li', { hasText: /Samtal \d+/ }).first().getByText('Samtal 50').waitFor();
    expect(await events.locator('li').count()).to.equal(50);
    await page.getByRole('button', { name: 'Visa fler' }).click();
    await events.getByText('Behandling startad').waitFor();
    expect(await page.getByRole('button', { name: 'Visa fler' }).count()).to.equal(0);
    // Several types at once: contact notes and flags; a flag names its type.
    await page.getByLabel('Händelsetyper').selectOption([{ label: 'Kontaktanteckning' }, { label: 'Flagga' }]);
    await events.getByText(/Flagga – (Första inloggning|Inaktiv invånare)/).first().waitFor();
    await eventually(async () => (await events.getByText('Behandling startad').count()) === 0);
    await expectAccessible(page, 'Tidslinje filtered by two types');
    await expectSwedishOnly('Tidslinje');

    // Min profil: every flag type for e-mail and SMS; saving keeps them all.
    await page.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link', { name: 'Min profil' }).click();
    await page.getByLabel('E-post: Missad aktivitet').check();
    await page.getByLabel('SMS: Missad aktivitet').check();
    await page.getByLabel('E-post: Nytt meddelande').check();
    await page.getByRole('button', { name: 'Spara' }).click();
    await eventually(async () => {
      const s = await h.request('GET', '/api/clinicians/me/settings', { token: t.clinician });
      return s.body.emailFlagTypes.includes('activity_missed') && s.body.emailFlagTypes.includes('message_received') && s.body.smsFlagTypes.includes('activity_missed');
    });
    await page.reload();
    expect(await page.getByLabel('E-post: Missad aktivitet').isChecked()).to.equal(true);
    expect(await page.getByLabel('SMS: Missad aktivitet').isChecked()).to.equal(true);
    await expectSwedishOnly('Min profil');

    // Statistik: the national statistics at Inera.
    await page.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link', { name: 'Statistik' }).click();
    const inera = page.getByRole('link', { name: 'Ineras statistik för Stöd och behandling' });
    expect(await inera.getAttribute('href')).to.equal('https://www.inera.se/aktuellt/statistik/stod-och-behandling/');
  });
});
