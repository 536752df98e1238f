// Care units by name in a real browser (issues 24 and 25): a clinician with two units chooses the
// one to work in after sign-in (Välj vårdenhet), sees its name in the header and its patients only,
// switches (Byt vårdenhet), and reads units by name on the treatment, in Statistik and in the start
// form; a clinician with one unit is not asked; the patient's Loggar names the unit, never its id.
// axe-core on the new page.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { harness, type Harness } from '../support/harness';
import { testPersonnummer } from '../support/fixtures';
import { DEV_CARE_UNITS } from '../../dev/care-units';
import { expectAccessible, expectTexts, openBrowser, screenshot, signInThroughProvider, type Browser } from './browser';
import { expectSwedish } from './swedish';

const ASPUDDEN = DEV_CARE_UNITS['unit-a']!.name;
const BAGARMOSSEN = DEV_CARE_UNITS['unit-b']!.name;
const UNIT_KEY = 'tobakshjalpen-vardenhet';

describe('web app: care units by name, Välj vårdenhet and Byt vårdenhet (Chromium, axe-core)', function () {
  this.timeout(180_000);
  let h: Harness;
  let browser: Browser;
  let page: Page;
  const n = Date.now() % 100000;
  const hsaId = `SE2321000016-V${n}`;
  // Names unique to this run: the demo units hold other tests' patients too.
  const inA = { name: `Astrid Aspudden${n}`, pnr: testPersonnummer() };
  const inB = { name: `Bertil Bagarmossen${n}`, pnr: testPersonnummer() };
  let idB = '';

  before(async () => {
    h = await harness();
    for (const [unit, who] of [['unit-a', inA], ['unit-b', inB]] as const) {
      const clinician = await h.token({ role: 'clinician', sub: hsaId, careUnits: [unit] });
      const started = await h.request('POST', '/api/treatments', { token: clinician, body: { personnummer: who.pnr, programId: 'tobakshjalpen', careUnitId: unit, patient: { name: who.name } } });
      expect(started.status).to.equal(201);
      if (unit === 'unit-b') idB = started.body.id;
      expect((await h.request('GET', '/api/me/treatment', { token: await h.token({ role: 'patient', sub: who.pnr }) })).status).to.equal(200);
    }
    browser = await openBrowser();
    page = browser.page;
  });
  after(async () => { await browser?.close(); });

  const header = () => page.getByRole('banner');
  const unitButton = (name: string) => page.getByRole('list').getByRole('button', { name, exact: true });
  async function search(name: string) {
    await page.getByLabel('Sök', { exact: true }).fill(name);
  }
  async function noUnitIds(what: string) {
    const text = await page.locator('body').innerText();
    expect(text, `${what}: a care unit's id on the page`).to.not.match(/unit-[ab]\b/);
  }

  it('two units: Välj vårdenhet after sign-in, by name; the choice shows in the header, is remembered, and the overview shows that unit\'s patients only', async () => {
    await page.goto(`${h.baseUrl}/`);
    await signInThroughProvider(page, { role: 'clinician', hsaId, careUnits: 'unit-a, unit-b' });
    await page.getByRole('heading', { name: 'Välj vårdenhet', level: 1 }).waitFor();
    await unitButton(ASPUDDEN).waitFor();
    await unitButton(BAGARMOSSEN).waitFor();
    expect(await page.getByRole('heading', { name: 'Mina patienter' }).count()).to.equal(0);
    // No menu until a unit is chosen.
    expect(await header().getByRole('link', { name: 'Byt vårdenhet' }).count()).to.equal(0);
    expect(await header().getByRole('link', { name: 'Mina patienter' }).count()).to.equal(0);
    await noUnitIds('Välj vårdenhet');
    await expectSwedish(page, 'Välj vårdenhet');
    await expectAccessible(page, 'Välj vårdenhet');
    await screenshot(page, 'vardenhet-01-valj');

    await unitButton(BAGARMOSSEN).click();
    await page.getByRole('heading', { name: 'Mina patienter', level: 1 }).waitFor();
    await header().getByText(`Vårdenhet: ${BAGARMOSSEN}`, { exact: true }).waitFor();
    await header().getByRole('link', { name: 'Byt vårdenhet' }).waitFor();
    expect(await page.evaluate(`localStorage.getItem('${UNIT_KEY}')`)).to.equal('unit-b');
    // No unit filter and no unit column: the page is the chosen unit's.
    expect(await page.getByLabel('Vårdenhet', { exact: true }).count()).to.equal(0);
    await search(`Bagarmossen${n}`);
    await page.getByRole('link', { name: inB.name }).waitFor();
    await search(`Aspudden${n}`);
    await page.getByText('Inga behandlingar matchar.').waitFor();
    await noUnitIds('Mina patienter');
    await expectAccessible(page, 'Mina patienter in a chosen unit');
    await screenshot(page, 'vardenhet-02-mina-patienter');

    // A reload (and so a new tab) keeps the choice: no question.
    await page.reload();
    await page.getByRole('heading', { name: 'Mina patienter', level: 1 }).waitFor();
    await header().getByText(`Vårdenhet: ${BAGARMOSSEN}`, { exact: true }).waitFor();
  });

  it('the treatment of the chosen unit shows its name in Om behandlingen; Byt vårdenhet switches, and the overview, Statistik and the start form follow', async () => {
    await page.goto(`${h.baseUrl}/behandlare/behandlingar/${idB}`);
    await page.getByRole('heading', { name: inB.name, level: 1 }).waitFor();
    const facts = page.getByRole('region', { name: 'Om behandlingen' });
    await facts.getByText(BAGARMOSSEN, { exact: true }).waitFor();
    await noUnitIds('the treatment');

    await header().getByRole('link', { name: 'Byt vårdenhet' }).click();
    await page.getByRole('heading', { name: 'Välj vårdenhet', level: 1 }).waitFor();
    expect(await unitButton(BAGARMOSSEN).getAttribute('aria-current')).to.equal('true');
    await expectAccessible(page, 'Byt vårdenhet');
    await screenshot(page, 'vardenhet-03-byt');
    await unitButton(ASPUDDEN).click();
    await page.getByRole('heading', { name: 'Mina patienter', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).to.equal('/behandlare');
    await header().getByText(`Vårdenhet: ${ASPUDDEN}`, { exact: true }).waitFor();
    expect(await page.evaluate(`localStorage.getItem('${UNIT_KEY}')`)).to.equal('unit-a');
    await search(`Aspudden${n}`);
    await page.getByRole('link', { name: inA.name }).waitFor();
    await search(`Bagarmossen${n}`);
    await page.getByText('Inga behandlingar matchar.').waitFor();

    await header().getByRole('link', { name: 'Statistik' }).click();
    await page.getByRole('heading', { name: 'Statistik', level: 1 }).waitFor();
    const statUnit = page.getByLabel('Vårdenhet', { exact: true });
    await expectTexts(statUnit.locator('option'), ['Alla mina vårdenheter', ASPUDDEN, BAGARMOSSEN]);
    expect(await statUnit.inputValue()).to.equal('unit-a');
    await noUnitIds('Statistik');

    await header().getByRole('link', { name: 'Mina patienter' }).click();
    await page.getByRole('button', { name: 'Starta ny behandling' }).click();
    await page.getByRole('heading', { name: 'Starta ny behandling', level: 1 }).waitFor();
    const formUnit = page.getByLabel('Vårdenhet', { exact: true });
    await expectTexts(formUnit.locator('option'), [ASPUDDEN, BAGARMOSSEN]);
    expect(await formUnit.inputValue()).to.equal('unit-a');
    await noUnitIds('Starta ny behandling');
    await screenshot(page, 'vardenhet-04-starta');

    // Logga ut forgets the choice: the next sign-in asks again.
    await header().getByRole('button', { name: 'Logga ut' }).click();
    await page.getByRole('button', { name: 'Logga in som behandlare' }).waitFor();
    expect(await page.evaluate('Object.keys(localStorage)')).to.deep.equal([]);
  });

  it('one unit: no question; its name in the header and no Byt vårdenhet', async () => {
    await page.goto(`${h.baseUrl}/`);
    await signInThroughProvider(page, { role: 'clinician', hsaId, careUnits: 'unit-a' });
    await page.getByRole('heading', { name: 'Mina patienter', level: 1 }).waitFor();
    await header().getByText(`Vårdenhet: ${ASPUDDEN}`, { exact: true }).waitFor();
    expect(await header().getByRole('link', { name: 'Byt vårdenhet' }).count()).to.equal(0);
    expect(await page.evaluate('Object.keys(localStorage)')).to.deep.equal([]);
    await header().getByRole('button', { name: 'Logga ut' }).click();
    await page.getByRole('button', { name: 'Logga in som behandlare' }).waitFor();
  });

  it('the patient\'s Loggar names the unit that read the data (the one the clinician worked in), never its id', async () => {
    await page.goto(`${h.baseUrl}/`);
    await signInThroughProvider(page, { role: 'patient', personnummer: inB.pnr });
    await page.getByRole('navigation', { name: 'Tobakshjälpen' }).getByRole('link', { name: 'Loggar', exact: true }).click();
    await page.getByRole('heading', { name: 'Loggar', level: 1 }).waitFor();
    await page.getByRole('cell', { name: BAGARMOSSEN, exact: true }).first().waitFor();
    expect(await page.getByRole('cell', { name: 'Okänd vårdenhet' }).count()).to.equal(0);
    await noUnitIds('Loggar');
    await expectSwedish(page, 'Loggar');
    await expectAccessible(page, 'Loggar');
    await screenshot(page, 'vardenhet-05-loggar');
  });
});
