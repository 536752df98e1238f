// Behandlarvy 2, second part (issue 24), in a real browser signed in through the development
// provider's page: Ny aktivitetsplan in the guide's three steps (Aktivitet, a schedule from a
// Startdatum, Svarstid (dagar) refused at the field below 1 and the API's 400 placed there too,
// Spara plan), the plan's occasions answered (with the answers), missed and to come, Ändra and Ta
// bort; Se historik (a sent form's answers) from Hantera and from Tidslinje; Vidmakthåll ended
// early through its confirmation by keyboard alone. axe-core on every new page and dialog.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { format } from 'date-fns';
import type { Locator, Page } from 'playwright-core';
import { harness, TEST_OVERRIDES, type Harness } from '../support/harness';
import { clearOfMidnight, clock, eventually, local, testPersonnummer, weekday, weekdayLabel } from '../support/fixtures';
import { startApi } from '../../api/server';
import { loadPrograms } from '../../infra/programs';
import { expectAccessible, openBrowser, screenshot, signInAsClinician, type Browser } from './browser';
import { expectSwedish } from './swedish';

const today = () => format(local(Date.now()), 'yyyy-MM-dd');

describe('web app: Behandlarvy 2, activity plans, Se historik and Vidmakthåll (Chromium, axe-core)', function () {
  this.timeout(240_000);
  let h: Harness;
  let browser: Browser;
  let page: Page;
  const n = Date.now() % 100000;
  const hsaId = `SE2321000016-P${n}`;
  const unit = `unit-web-plans-${n}`;

  before(async () => {
    h = await harness();
    browser = await openBrowser();
    page = browser.page;
  });
  after(async () => { await browser?.close(); });

  const signIn = () => signInAsClinician(page, h.baseUrl, { hsaId, careUnits: unit, name: 'Petra Plansson' });

  /** A treatment started and activated (through `baseUrl`'s API: another one may freeze another program). */
  async function start(name: string, baseUrl = h.baseUrl) {
    const pnr = testPersonnummer();
    const clinician = await h.token({ role: 'clinician', sub: hsaId, careUnits: [unit] });
    const res = await fetch(`${baseUrl}/api/treatments`, {
      method: 'POST', headers: { authorization: `Bearer ${clinician}`, 'content-type': 'application/json' },
      body: JSON.stringify({ personnummer: pnr, programId: 'tobakshjalpen', careUnitId: unit, patient: { name } }),
    });
    expect(res.status).to.equal(201);
    const id = ((await res.json()) as { id: string }).id;
    const patient = await h.token({ role: 'patient', sub: pnr });
    expect((await h.request('GET', '/api/me/treatment', { token: patient })).status).to.equal(200);
    return { id, clinician, patient };
  }

  async function openTreatment(id: string, name: string) {
    await page.goto(`${h.baseUrl}/behandlare/behandlingar/${id}`);
    await page.getByRole('heading', { name, level: 1 }).waitFor();
  }

  const press = async (key: string, times = 1) => { for (let i = 0; i < times; i++) await page.keyboard.press(key); };
  const tabTo = async (locator: Locator, max = 150) => {
    for (let i = 0; i < max; i++) {
      if (await locator.evaluate((el) => el === el.ownerDocument.activeElement)) return;
      await press('Tab');
    }
    throw new Error(`Tab never reached ${locator.toString()}`);
  };
  // Buttons pressed with Enter where a full-page screenshot came before: the window is then unfocused,
  // and the mousedown that focuses it scrolls the page before its mouseup (the click misses).
  const focusInDialog = () => page.evaluate('document.activeElement?.closest("dialog") !== null') as Promise<boolean>;

  it('Ny aktivitetsplan in three steps: two activities, weekdays and times from Startdatum, Svarstid (dagar) 0 refused at the field, the API\'s 400 there too, then saved; occasions answered, missed and to come; Ändra and Ta bort', async () => {
    await clearOfMidnight(180);
    const t = await start('Pia Planström');
    await signIn();
    await openTreatment(t.id, 'Pia Planström');
    await page.getByRole('tab', { name: 'Aktivitetsplaner' }).click();
    await page.getByRole('button', { name: 'Ny aktivitetsplan' }).click();
    const form = page.getByRole('form', { name: 'Ny aktivitetsplan' });

    // Step 1: the content, two of the program's activities.
    await form.getByRole('heading', { name: 'Steg 1 av 3: Innehåll' }).waitFor();
    await form.getByLabel('Aktivitet', { exact: true }).selectOption({ label: 'Hur går det?' });
    await form.getByRole('button', { name: 'Lägg till aktivitet' }).click();
    await form.getByLabel('Aktivitet 2').selectOption({ label: 'Mina tobaksvanor' });
    await expectAccessible(page, 'Ny aktivitetsplan, steg 1');
    await screenshot(page, '30-aktivitetsplan-steg-1');
    await form.getByRole('button', { name: 'Nästa' }).press('Enter');

    // Step 2: the schedule. No weekday: refused at the field; the start date is today by default.
    await form.getByRole('heading', { name: 'Steg 2 av 3: Schema' }).waitFor();
    expect(await form.getByLabel('Startdatum').inputValue()).to.equal(today());
    await form.getByRole('button', { name: 'Nästa' }).press('Enter');
    await form.getByText('Välj minst en veckodag.').waitFor();
    const at = Date.now() + 50_000;
    await form.getByLabel(weekdayLabel(at)).check();
    await form.getByLabel('Tider').fill(clock(at));
    await form.getByLabel('Upprepa i antal veckor').fill('2');
    await expectAccessible(page, 'Ny aktivitetsplan, steg 2');
    await screenshot(page, '31-aktivitetsplan-steg-2');
    await form.getByRole('button', { name: 'Nästa' }).press('Enter');

    // Step 3: Rubrik (the first activity's title until changed) and Svarstid (dagar): 0 is refused at the field.
    await form.getByRole('heading', { name: 'Steg 3 av 3: Inställningar' }).waitFor();
    expect(await form.getByLabel('Rubrik').inputValue()).to.equal('Hur går det?');
    await form.getByLabel('Rubrik').fill('Morgonkoll');
    const answerWindow = form.getByLabel('Svarstid (dagar)');
    await answerWindow.fill('0');
    await form.getByRole('button', { name: 'Spara plan' }).press('Enter');
    const refused = 'Svarstiden måste vara minst 1 dag och högst 30 dagar.';
    await form.getByText(refused).waitFor();
    expect(await answerWindow.getAttribute('aria-invalid')).to.equal('true');
    const describedBy = (await answerWindow.getAttribute('aria-describedby'))!.split(' ');
    expect(await page.locator(`[id="${describedBy.at(-1)}"]`).innerText()).to.contain(refused);
    expect(await answerWindow.inputValue()).to.equal('0');
    expect(await form.getByLabel('Rubrik').inputValue()).to.equal('Morgonkoll');
    await expectAccessible(page, 'Ny aktivitetsplan with Svarstid refused');
    await screenshot(page, '32-aktivitetsplan-svarstid');
    await expectSwedish(page, 'Ny aktivitetsplan, steg 3');

    // The API's own 400 for the field (a body changed on its way, 31 days) is shown at the same field, in Swedish; nothing typed is lost.
    await answerWindow.fill('1');
    await form.getByText(refused).waitFor({ state: 'detached' });
    const url = `**/api/treatments/${t.id}/activity-plans`;
    await page.route(url, async (route) => {
      const body = JSON.parse(route.request().postData() ?? '{}') as Record<string, unknown>;
      await route.continue({ postData: JSON.stringify({ ...body, answerWindowDays: 31 }) });
    });
    const rejected = page.waitForResponse((r) => r.url().endsWith(`/api/treatments/${t.id}/activity-plans`) && r.request().method() === 'POST');
    await form.getByRole('button', { name: 'Spara plan' }).press('Enter');
    expect((await rejected).status()).to.equal(400);
    await form.getByText(refused).waitFor();
    await page.unroute(url);
    expect(await answerWindow.inputValue()).to.equal('1');
    expect((await h.request('GET', `/api/treatments/${t.id}/activity-plans`, { token: t.clinician })).body.items).to.deep.equal([]);
    await form.getByRole('button', { name: 'Spara plan' }).press('Enter');
    const card = page.getByRole('region', { name: 'Morgonkoll' });
    await card.getByText(`Aktivitet: Hur går det?, Mina tobaksvanor. Från och med ${today()}: ${weekdayLabel(at)} kl. ${clock(at)} i 2 veckor; svar inom 1 dag.`).waitFor();
    const plans = (await h.request('GET', `/api/treatments/${t.id}/activity-plans`, { token: t.clinician })).body.items as Array<{ id: string; elements: unknown; answerWindowDays: number; startDate: string }>;
    expect(plans).to.have.length(1);
    expect(plans[0]).to.deep.include({ elements: [{ formId: 'check-in' }, { formId: 'tobacco-habits' }], answerWindowDays: 1, startDate: today() });

    // A second plan (through the API) with no time to answer: missed as soon as it falls due.
    const now = Date.now();
    const evening = await h.request('POST', `/api/treatments/${t.id}/activity-plans`, {
      token: t.clinician, body: { title: 'Kvällskoll', elements: [{ formId: 'check-in' }], schedule: { weekdays: [weekday(now)], times: [clock(now + 4000)], weeks: 1 }, answerWindowDays: 0 },
    });
    expect(evening.status).to.equal(201);
    // The patient answers Morgonkoll's occasion (through the API) once it falls due.
    const due = await eventually(async () => {
      const items = (await h.request('GET', '/api/me/treatment/activities', { token: t.patient })).body.items as Array<{ id: string; planId: string; state: string }>;
      return items.find((o) => o.planId === plans[0]!.id && o.state === 'due') ?? null;
    }, 120_000);
    const answers = { 'check-in': { tobaccoFree: true, comment: 'Bra vecka.' }, 'tobacco-habits': { tobaccoType: ['snus'], amountPerDay: 4 } };
    expect((await h.request('POST', `/api/me/treatment/activities/${due.id}`, { token: t.patient, body: { answers } })).status).to.equal(201);

    await page.reload();
    await page.getByRole('tab', { name: 'Aktivitetsplaner' }).click();
    await card.getByRole('button', { name: 'Visa tillfällen' }).click();
    const table = card.getByRole('table', { name: 'Tillfällen för Morgonkoll' });
    const answeredRow = table.getByRole('row').nth(1);
    await answeredRow.getByText('Besvarad', { exact: true }).waitFor();
    expect(await answeredRow.locator('dt').allTextContents()).to.deep.equal(['Är du tobaksfri just nu?', 'Något du vill berätta?', 'Vilken tobak använder du?', 'Hur mycket använder du per dag? Ange antal cigaretter, prillor eller portioner per dag.']);
    expect(await answeredRow.locator('dd').allTextContents()).to.deep.equal(['Ja', 'Bra vecka.', 'snus', '4']);
    // Next week's occasion is to come.
    await table.getByRole('row').nth(2).getByText('Kommande', { exact: true }).waitFor();
    const eveningCard = page.getByRole('region', { name: 'Kvällskoll' });
    await eveningCard.getByRole('button', { name: 'Visa tillfällen' }).click();
    const missedRow = eveningCard.getByRole('table', { name: 'Tillfällen för Kvällskoll' }).getByRole('row').nth(1);
    await missedRow.getByRole('cell', { name: 'Missad', exact: true }).waitFor();
    await missedRow.getByRole('cell', { name: 'Inget svar', exact: true }).waitFor();
    await expectAccessible(page, 'Aktivitetsplaner with occasions answered, missed and to come');
    await screenshot(page, '33-aktivitetsplan-tillfallen');
    await expectSwedish(page, 'Aktivitetsplaner with occasions');

    // Ändra: the same steps with the plan's values; the start date stays; a new Svarstid saved.
    await card.getByRole('button', { name: 'Ändra' }).click();
    const edit = page.getByRole('form', { name: 'Ändra Morgonkoll' });
    expect(await edit.getByLabel('Aktivitet 2').inputValue()).to.equal('tobacco-habits');
    await edit.getByRole('button', { name: 'Nästa' }).click();
    await edit.getByText(/Startdatum.*\(ändras inte\)/).waitFor();
    await edit.getByRole('button', { name: 'Nästa' }).click();
    await edit.getByLabel('Svarstid (dagar)').fill('2');
    await edit.getByRole('button', { name: 'Spara ändringar' }).click();
    await card.getByText(/svar inom 2 dagar\./).waitFor();
    // Ta bort, confirmed: the plan ends.
    await card.getByRole('button', { name: 'Ta bort' }).click();
    const remove = page.getByRole('dialog', { name: 'Ta bort Morgonkoll?' });
    await remove.getByText(/tillfällen som inte har kommit än försvinner/).waitFor();
    await expectAccessible(page, 'Ta bort aktivitetsplan');
    await remove.getByRole('button', { name: 'Bekräfta' }).click();
    await card.getByText('Avslutad', { exact: true }).waitFor();
  });

  it('Se historik: a sent form\'s answers, question beside answer and when sent, from the form in Hantera and from its row in Tidslinje', async () => {
    const t = await start('Hilda Historiksson');
    const sent = await h.request('POST', '/api/me/treatment/modules/step-1/forms/tobacco-habits', {
      token: t.patient, body: { answers: { tobaccoType: ['cigaretter', 'snus'], amountPerDay: 12, reasons: 'För barnens skull.' } },
    });
    expect(sent.status).to.equal(201);
    await signIn();
    await openTreatment(t.id, 'Hilda Historiksson');
    const step1 = page.getByRole('region', { name: /^Steg 1/ });
    await step1.getByText(/Inskickat \d{4}-\d{2}-\d{2} \d{2}:\d{2}/).waitFor();
    const fromHantera = step1.getByRole('button', { name: 'Se historik: Mina tobaksvanor' });
    await fromHantera.click();
    const dialog = page.getByRole('dialog', { name: 'Historik: Mina tobaksvanor' });
    const answersTable = dialog.getByRole('table', { name: /^Inskickat \d{4}-\d{2}-\d{2} \d{2}:\d{2}, Steg 1/ });
    await answersTable.waitFor();
    const rowOf = (q: string) => answersTable.getByRole('row', { name: new RegExp(`^${q.replace(/[?.]/g, '\\$&')}`) });
    expect(await rowOf('Vilken tobak använder du?').getByRole('cell').innerText()).to.equal('cigaretter, snus');
    expect(await rowOf('Hur mycket använder du per dag?').getByRole('cell').innerText()).to.equal('12');
    expect(await rowOf('Varför vill du sluta?').getByRole('cell').innerText()).to.equal('För barnens skull.');
    expect(await focusInDialog()).to.equal(true);
    await expectAccessible(page, 'Se historik from Hantera');
    await screenshot(page, '34-se-historik-hantera');
    await expectSwedish(page, 'Se historik');
    // Escape closes; focus goes back to the button.
    await press('Escape');
    await eventually(async () => !(await dialog.isVisible()));
    expect(await fromHantera.evaluate((el) => el === el.ownerDocument.activeElement)).to.equal(true);
    // Read now: the submission is opened (and on the timeline as such).
    await eventually(async () => (await h.request('GET', `/api/treatments/${t.id}/forms`, { token: t.clinician })).body.items[0].openedAt !== null);

    // Tidslinje: the form's row leads to the same answers.
    await page.getByRole('tab', { name: 'Tidslinje' }).click();
    const row = page.getByRole('list', { name: 'Händelser' }).locator('li', { hasText: 'Formulär inskickat' });
    await row.getByRole('button', { name: 'Se historik: Mina tobaksvanor' }).click();
    await dialog.getByRole('cell', { name: 'För barnens skull.' }).waitFor();
    await expectAccessible(page, 'Se historik from Tidslinje');
    await screenshot(page, '35-se-historik-tidslinje');
    await dialog.getByRole('button', { name: 'Stäng' }).click();
    await eventually(async () => !(await dialog.isVisible()));
  });

  it('Vidmakthåll ended early by keyboard alone: the confirmation says access ends now instead of the planned day; Escape cancels, focus kept, Bekräfta ends', async () => {
    // The tests' program gives Vidmakthåll seconds; a treatment started through a second API whose
    // program gives it ten minutes freezes that plan, and the suite's API and worker run it.
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tobakshjalpen-long-maintenance-'));
    const overrides = path.join(dir, 'program-overrides.json');
    writeFileSync(overrides, JSON.stringify({ tobakshjalpen: { ...TEST_OVERRIDES.tobakshjalpen, durations: { ...TEST_OVERRIDES.tobakshjalpen.durations, maintenance: 'PT10M' } } }));
    const api = await startApi({ ...h.config, port: 0 }, { client: h.client, programs: loadPrograms(overrides) });
    const t = await (async () => { try { return await start('Vide Vidmaktsson', api.url); } finally { await api.close(); } })();
    const ended = await h.request('POST', `/api/treatments/${t.id}/end`, { token: t.clinician, body: { reason: 'completed-tobacco-free', maintenance: true } });
    expect(ended.body.status).to.equal('maintenance');
    const plannedUntil = format(local(Date.parse(ended.body.maintenanceUntil as string)), 'yyyy-MM-dd');

    await signIn();
    await openTreatment(t.id, 'Vide Vidmaktsson');
    const endEarly = page.getByRole('button', { name: 'Avsluta Vidmakthåll' });
    await tabTo(endEarly);
    await press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Avsluta Vidmakthåll nu?' });
    await dialog.getByText(`Åtkomsten upphör nu i stället för ${plannedUntil}.`, { exact: false }).waitFor();
    await dialog.getByText('inte heller för att läsa', { exact: false }).waitFor();
    expect(await focusInDialog()).to.equal(true);
    for (let i = 0; i < 5; i++) {
      await press('Tab');
      expect(await focusInDialog()).to.equal(true);
    }
    await expectAccessible(page, 'the Avsluta Vidmakthåll confirmation');
    await screenshot(page, '36-avsluta-vidmakthall');
    await expectSwedish(page, 'the Avsluta Vidmakthåll confirmation');
    // Escape cancels: still in Vidmakthåll.
    await press('Escape');
    await eventually(async () => !(await dialog.isVisible()));
    expect((await h.request('GET', `/api/treatments/${t.id}`, { token: t.clinician })).body.status).to.equal('maintenance');
    // Again, and Bekräfta by keyboard.
    await tabTo(endEarly);
    await press('Enter');
    await tabTo(dialog.getByRole('button', { name: 'Bekräfta' }), 10);
    await press('Enter');
    const about = page.getByRole('region', { name: 'Om behandlingen' });
    await about.getByText(`Upphörde ${today()}`).waitFor();
    expect(await endEarly.count()).to.equal(0);
    expect((await h.request('GET', `/api/treatments/${t.id}`, { token: t.clinician })).body.status).to.equal('ended');
    expect((await h.request('GET', '/api/me/treatment', { token: t.patient })).status).to.equal(404);
    await expectAccessible(page, 'the treatment after Vidmakthåll ended early');
  });
});
