// More of the clinician's web app in a real browser, signed in through the development provider's
// page: Logga ut (a protected page asks to sign in again), choosing among two care units (Välj
// vårdenhet, the start form's unit, only that unit's patients, Byt vårdenhet), an activity plan's
// occasions answered and missed with the answers, and Hantera's buttons and a new message by
// keyboard alone. axe-core on every page.
import { expect } from 'chai';
import type { Locator, Page } from 'playwright-core';
import { harness, type Harness } from '../support/harness';
import { clearOfMidnight, clock, eventually, testPersonnummer, weekday, weekdayLabel } from '../support/fixtures';
import { expectAccessible, expectTexts, openBrowser, screenshot, signInAsClinician, type Browser } from './browser';

describe('web app: behandlarvy, sign-out, care units, occasions and keyboard (Chromium, axe-core)', function () {
  this.timeout(180_000);
  let h: Harness;
  let browser: Browser;
  let page: Page;
  const n = Date.now() % 100000;
  const hsaId = `SE2321000016-M${n}`;
  const unitA = `unit-web-a-${n}`;
  const unitB = `unit-web-b-${n}`;

  before(async () => {
    h = await harness();
    browser = await openBrowser();
    page = browser.page;
  });
  after(async () => { await browser?.close(); });

  const signIn = (units: string) => signInAsClinician(page, h.baseUrl, { hsaId, careUnits: units });

  async function startThroughApi(unit: string, name: string) {
    const pnr = testPersonnummer();
    const clinician = await h.token({ role: 'clinician', sub: hsaId, careUnits: [unit] });
    const started = await h.request('POST', '/api/treatments', { token: clinician, body: { personnummer: pnr, programId: 'tobakshjalpen', careUnitId: unit, patient: { name } } });
    expect(started.status).to.equal(201);
    const patient = await h.token({ role: 'patient', sub: pnr });
    expect((await h.request('GET', '/api/me/treatment', { token: patient })).status).to.equal(200);
    return { id: started.body.id as string, pnr, clinician, patient };
  }

  it('Logga ut: the tokens forgotten and the provider\'s session ended; a protected page then asks to sign in again', async () => {
    const { id } = await startThroughApi(unitA, 'Ulla Utloggsson');
    await signIn(unitA);
    await page.getByRole('link', { name: 'Ulla Utloggsson' }).click();
    await page.getByRole('heading', { name: 'Ulla Utloggsson', level: 1 }).waitFor();
    const endSession = page.waitForRequest((r) => r.url().startsWith(`${h.config.web.oidcIssuer!.replace(/\/$/, '')}/logout`));
    await page.getByRole('button', { name: 'Logga ut' }).click();
    // The provider's end-session endpoint, with the ID token as hint, then back at the sign-in choice.
    const logout = new URL((await endSession).url());
    expect(logout.searchParams.get('id_token_hint')).to.match(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(logout.searchParams.get('post_logout_redirect_uri')).to.equal(`${h.baseUrl}/`);
    await page.getByRole('button', { name: 'Logga in som behandlare' }).waitFor();
    expect(new URL(page.url()).pathname).to.equal('/');
    await page.getByText('Du är inloggad.').waitFor({ state: 'detached' });
    expect(await page.getByRole('button', { name: 'Logga ut' }).count()).to.equal(0);
    expect(await page.evaluate('JSON.stringify({ l: Object.keys(localStorage), s: Object.keys(sessionStorage), c: document.cookie })')).to.equal('{"l":[],"s":[],"c":""}');

    // Back to the treatment (history) and a deep link: both ask to sign in, and show nothing of the patient.
    await page.goBack();
    await page.getByRole('heading', { name: 'Logga in', level: 1 }).waitFor();
    await page.getByText('Sidan är för behandlare.', { exact: false }).waitFor();
    expect(await page.getByText('Ulla Utloggsson').count()).to.equal(0);
    await expectAccessible(page, 'a protected page after Logga ut');
    await screenshot(page, '12-utloggad');
    await page.goto(`${h.baseUrl}/behandlare`);
    await page.getByRole('heading', { name: 'Logga in', level: 1 }).waitFor();
    expect(await page.getByRole('heading', { name: 'Mina patienter' }).count()).to.equal(0);
    // Signing in again goes through the provider's page (no session left there), back to the deep link.
    await page.goto(`${h.baseUrl}/behandlare/behandlingar/${id}`);
    await page.getByRole('button', { name: 'Logga in som behandlare' }).click();
    await page.getByLabel('HSA-id').fill(hsaId);
    await page.getByLabel('Vårdenheter').fill(unitA);
    await page.getByRole('button', { name: 'Logga in', exact: true }).click();
    await page.getByRole('heading', { name: 'Ulla Utloggsson', level: 1 }).waitFor();
  });

  it('chooses among two care units: Välj vårdenhet, the overview shows only the chosen unit\'s patients, the start form starts in it, Byt vårdenhet switches', async () => {
    await startThroughApi(unitA, 'Anna Aenhetsson');
    await page.goto(`${h.baseUrl}/`);
    await page.getByRole('button', { name: 'Logga in som behandlare' }).click();
    await page.getByLabel('HSA-id').fill(hsaId);
    await page.getByLabel('Vårdenheter').fill(`${unitA}, ${unitB}`);
    await page.getByRole('button', { name: 'Logga in', exact: true }).click();
    // This run's units have no configured names: each is "Okänd vårdenhet" (never its id), in the token's order.
    await page.getByRole('heading', { name: 'Välj vårdenhet', level: 1 }).waitFor();
    const choices = page.getByRole('list').getByRole('button');
    await expectTexts(choices, ['Okänd vårdenhet', 'Okänd vårdenhet']);

    // Unit B: none of unit A's patients.
    await choices.nth(1).click();
    await page.getByRole('heading', { name: 'Mina patienter', level: 1 }).waitFor();
    await page.getByText('Inga behandlingar matchar.').waitFor();
    expect(await page.getByRole('link', { name: 'Anna Aenhetsson' }).count()).to.equal(0);
    await expectAccessible(page, 'Mina patienter with two care units');

    // Starta ny behandling in unit B: the form's Vårdenhet is B, and the treatment is started there.
    await page.getByRole('button', { name: 'Starta ny behandling' }).click();
    await page.getByRole('heading', { name: 'Starta ny behandling', level: 1 }).waitFor();
    const formUnit = page.getByLabel('Vårdenhet', { exact: true });
    await expectTexts(formUnit.locator('option'), ['Okänd vårdenhet', 'Okänd vårdenhet']);
    expect(await formUnit.inputValue()).to.equal(unitB);
    await expectAccessible(page, 'Starta ny behandling with two care units');
    const pnr = testPersonnummer();
    await page.getByLabel('Personnummer', { exact: true }).fill(pnr);
    await page.getByLabel('Namn', { exact: true }).fill('Bo Benhetsson');
    await page.getByRole('button', { name: 'Starta', exact: true }).click();
    await page.getByRole('heading', { name: 'Bo Benhetsson', level: 1 }).waitFor();
    const bId = page.url().split('/').pop()!;
    const asB = await h.request('GET', `/api/treatments/${bId}`, { token: await h.token({ role: 'clinician', sub: hsaId, careUnits: [unitB] }) });
    expect(asB.body.careUnitId).to.equal(unitB);

    // Back on the overview the unit is kept: unit B's patient only.
    await page.getByRole('link', { name: 'Mina patienter' }).first().click();
    await page.getByRole('heading', { name: 'Mina patienter', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Bo Benhetsson' }).waitFor();
    expect(await page.getByRole('link', { name: 'Anna Aenhetsson' }).count()).to.equal(0);
    await screenshot(page, '13-mina-patienter-vardenhet');

    // Byt vårdenhet to A: unit A's patient only.
    await page.getByRole('link', { name: 'Byt vårdenhet' }).click();
    await page.getByRole('heading', { name: 'Välj vårdenhet', level: 1 }).waitFor();
    await page.getByRole('list').getByRole('button').first().click();
    await page.getByRole('link', { name: 'Anna Aenhetsson' }).waitFor();
    await page.getByRole('link', { name: 'Bo Benhetsson' }).waitFor({ state: 'detached' });
  });

  it('Aktivitetsplaner: occasions answered (with the answers, question by question) and missed, in words', async () => {
    await clearOfMidnight();
    const { id, patient, clinician } = await startThroughApi(unitA, 'Dagny Dagbokström');
    await signIn(unitA);
    await page.getByRole('link', { name: 'Dagny Dagbokström' }).click();
    await page.getByRole('heading', { name: 'Dagny Dagbokström', level: 1 }).waitFor();
    await page.getByRole('tab', { name: 'Aktivitetsplaner' }).click();

    // A plan through the form's three steps with one occasion seconds ahead (HH:MM:SS), to answer
    // within a day; one through the API with no answer window (missed as soon as it falls due; the
    // form asks for at least a day).
    await page.getByRole('button', { name: 'Ny aktivitetsplan' }).click();
    const form = page.getByRole('form', { name: 'Ny aktivitetsplan' });
    await form.getByLabel('Aktivitet', { exact: true }).selectOption({ label: 'Hur går det?' });
    await form.getByRole('button', { name: 'Nästa' }).click();
    const at = Date.now() + 12_000;
    await form.getByLabel(weekdayLabel(at)).check();
    await form.getByLabel('Tider').fill(clock(at));
    await form.getByLabel('Upprepa i antal veckor').fill('1');
    await form.getByRole('button', { name: 'Nästa' }).click();
    await form.getByLabel('Rubrik').fill('Morgonkoll');
    await form.getByLabel('Svarstid (dagar)').fill('1');
    await form.getByRole('button', { name: 'Spara plan' }).click();
    await page.getByRole('region', { name: 'Morgonkoll' }).waitFor();
    const soon = Date.now() + 12_000;
    const evening = await h.request('POST', `/api/treatments/${id}/activity-plans`, {
      token: clinician, body: { title: 'Kvällskoll', elements: [{ formId: 'check-in' }], schedule: { weekdays: [weekday(soon)], times: [clock(soon)], weeks: 1 }, answerWindowDays: 0 },
    });
    expect(evening.status).to.equal(201);
    await page.reload();
    await page.getByRole('tab', { name: 'Aktivitetsplaner' }).click();
    await page.getByRole('region', { name: 'Kvällskoll' }).waitFor();
    const plans = (await h.request('GET', `/api/treatments/${id}/activity-plans`, { token: clinician })).body.items as Array<{ id: string; title: string }>;
    const morning = plans.find((p) => p.title === 'Morgonkoll')!;

    // The patient answers the one that can be answered (through the API).
    const occasions = await eventually(async () => {
      const list = (await h.request('GET', '/api/me/treatment/activities', { token: patient })).body.items as Array<{ id: string; planId: string; state: string }>;
      return list.length === 2 ? list : null;
    }, 40_000);
    const due = occasions.find((o) => o.planId === morning.id)!;
    expect(due.state).to.equal('due');
    const answered = await h.request('POST', `/api/me/treatment/activities/${due.id}`, { token: patient, body: { answers: { 'check-in': { tobaccoFree: true, comment: 'Inget snus sedan i måndags.' } } } });
    expect(answered.status).to.equal(201);

    // The clinician's page: the answered occasion with its answers, the other one missed.
    const morningCard = page.getByRole('region', { name: 'Morgonkoll' });
    await morningCard.getByRole('button', { name: 'Visa tillfällen' }).click();
    const morningTable = morningCard.getByRole('table', { name: 'Tillfällen för Morgonkoll' });
    await morningTable.getByRole('cell', { name: 'Besvarad', exact: true }).waitFor();
    const answers = morningTable.locator('dl.answers');
    expect(await answers.locator('dt').allTextContents()).to.deep.equal(['Är du tobaksfri just nu?', 'Något du vill berätta?']);
    expect(await answers.locator('dd').allTextContents()).to.deep.equal(['Ja', 'Inget snus sedan i måndags.']);
    const eveningCard = page.getByRole('region', { name: 'Kvällskoll' });
    await eveningCard.getByRole('button', { name: 'Visa tillfällen' }).click();
    const eveningRow = eveningCard.getByRole('table', { name: 'Tillfällen för Kvällskoll' }).getByRole('row').nth(1);
    await eveningRow.getByRole('cell', { name: 'Missad', exact: true }).waitFor();
    await eveningRow.getByRole('cell', { name: 'Inget svar', exact: true }).waitFor();
    await expectAccessible(page, 'Aktivitetsplaner with an answered and a missed occasion');
    await screenshot(page, '14-aktivitetsplaner-tillfallen');
  });

  it('with the keyboard alone: Hantera\'s Öppna, Fler dagar and Markera som avklarad, and a new message', async () => {
    const { id, patient, clinician } = await startThroughApi(unitA, 'Tage Tangentström');
    await signIn(unitA);
    const press = async (key: string, times = 1) => { for (let i = 0; i < times; i++) await page.keyboard.press(key); };
    const tabTo = async (locator: Locator, max = 120) => {
      for (let i = 0; i < max; i++) {
        if (await locator.evaluate((el) => el === el.ownerDocument.activeElement)) return;
        await press('Tab');
      }
      throw new Error(`Tab never reached ${locator.toString()}`);
    };

    // To the treatment: the search box, then the patient's link.
    await tabTo(page.getByRole('searchbox', { name: 'Sök' }));
    await page.keyboard.type('Tangentström');
    await page.getByRole('link', { name: 'Tage Tangentström' }).waitFor();
    await tabTo(page.getByRole('link', { name: 'Tage Tangentström' }));
    await press('Enter');
    await page.getByRole('heading', { name: 'Tage Tangentström', level: 1 }).waitFor();

    // Hantera: Öppna a locked step, Fler dagar with a number, Markera som avklarad.
    const step3 = page.getByRole('region', { name: /^Steg 3/ });
    await step3.getByText('Låst').waitFor();
    await tabTo(step3.getByRole('button', { name: 'Öppna', exact: true }));
    await press('Enter');
    await step3.getByText('Öppen', { exact: true }).waitFor();
    await tabTo(step3.getByRole('button', { name: 'Fler dagar' }));
    await press('Enter');
    await tabTo(step3.getByLabel('Antal dagar från i dag'));
    await press('Control+A');
    await page.keyboard.type('10');
    await press('Enter'); // submits the little form
    await step3.getByText(/10 dagar kvar/).waitFor();
    await tabTo(step3.getByRole('button', { name: 'Markera som avklarad' }));
    await press('Enter');
    await step3.getByText('Avklarad', { exact: true }).waitFor();
    await expectAccessible(page, 'Hantera after keyboard commands');

    // Meddelanden (the tabs move with the arrow keys): Nytt meddelande, without an SMS notice.
    await tabTo(page.getByRole('tab', { name: 'Hantera' }));
    await press('ArrowRight');
    await page.getByRole('heading', { name: 'Meddelanden', level: 2 }).waitFor();
    await tabTo(page.getByRole('button', { name: 'Nytt meddelande' }));
    await press('Enter');
    await tabTo(page.getByLabel('Ämne'));
    await page.keyboard.type('Steg 3 är öppet');
    await tabTo(page.getByLabel('Meddelande', { exact: true }));
    await page.keyboard.type('Hej Tage! Nu kan du börja med Steg 3.');
    await tabTo(page.getByLabel('Avisera via SMS'));
    expect(await page.getByLabel('Avisera via SMS').isChecked()).to.equal(true);
    await press('Space');
    expect(await page.getByLabel('Avisera via SMS').isChecked()).to.equal(false);
    await tabTo(page.getByRole('button', { name: 'Skicka' }));
    await press('Enter');
    await page.getByRole('heading', { name: 'Steg 3 är öppet' }).waitFor();
    await page.getByText('Hej Tage! Nu kan du börja med Steg 3.').waitFor();
    const conversations = await h.request('GET', '/api/me/treatment/conversations', { token: patient });
    expect(conversations.body.items.map((c: { subject: string }) => c.subject)).to.include('Steg 3 är öppet');
    const treatment = await h.request('GET', `/api/treatments/${id}`, { token: clinician });
    expect(treatment.body.modules.find((m: { id: string }) => m.id === 'step-3')?.state).to.equal('completed');
  });
});
