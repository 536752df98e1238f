// A real headless browser for the web app's tests: Debian's Chromium (/usr/bin/chromium, installed
// by scripts/provision.ts) driven by playwright-core, and axe-core for WCAG 2.1 A and AA.
import { mkdtempSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { expect } from 'chai';
import { expectSwedish } from './swedish';
import { eventually } from '../support/fixtures';

export const CHROMIUM = '/usr/bin/chromium';

/** Screenshots of the main pages, kept as test artefacts. */
export const SCREENSHOT_DIR = path.resolve(__dirname, '..', '..', '.data', 'test-artifacts', 'web');

export interface Browser { context: BrowserContext; page: Page; close(): Promise<void> }

export async function openBrowser(): Promise<Browser> {
  const userDataDir = mkdtempSync(path.join(os.tmpdir(), 'tobakshjalpen-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    locale: 'sv-SE',
    timezoneId: 'Europe/Stockholm',
    viewport: { width: 1280, height: 900 },
    // Without the background-networking flags, Chromium's own connections are refused on a closed network.
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  context.setDefaultTimeout(15_000);
  const page = context.pages()[0] ?? await context.newPage();
  return {
    context,
    page,
    async close() {
      await context.close().catch(() => undefined);
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation { id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[]; failureSummary?: string }> }

/**
 * Runs axe-core in the page (evaluated, so the page's CSP stays as it is): no WCAG 2.1 A/AA violation;
 * and the Swedish-words scan (swedish.ts): no identifier and no English in the visible text.
 */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  const hasAxe = await page.evaluate('typeof window.axe !== "undefined"');
  if (!hasAxe) await page.evaluate(axeSource);
  // A string, not a function: the test's transpiler must not add helpers to code run in the page.
  const violations = await page.evaluate(`(async () => {
    const result = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => ({ target: n.target, html: n.html, failureSummary: n.failureSummary })) }));
  })()`) as AxeViolation[];
  expect(violations, `axe-core on ${what}: ${JSON.stringify(violations, null, 2)}`).to.deep.equal([]);
  await expectSwedish(page, what);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

/** Who signs in on the development provider's page. */
export type TestIdentity = { role: 'clinician'; hsaId: string; careUnits: string; name?: string } | { role: 'patient'; personnummer: string };

/**
 * Signs in from a page that offers it (`/`, or a deep link's Logga in): the button of the role, the
 * development provider's page, back at the API's /auth/callback, which sets the session cookie and
 * returns to where the sign-in started.
 */
export async function signInThroughProvider(page: Page, who: TestIdentity): Promise<void> {
  await page.getByRole('button', { name: who.role === 'clinician' ? 'Logga in som behandlare' : 'Logga in som invånare' }).click();
  if (who.role === 'clinician') {
    await page.getByLabel('HSA-id').fill(who.hsaId);
    await page.getByLabel('Vårdenheter').fill(who.careUnits);
    if (who.name !== undefined) await page.getByLabel('Namn').fill(who.name);
  } else {
    await page.getByLabel('Personnummer').fill(who.personnummer);
  }
  await page.getByRole('button', { name: 'Logga in', exact: true }).click();
}

/**
 * The texts of what `locator` matches, once they are `expected` (a list or a select that fills in
 * after its heading: the units' names come with their own request); else fails with the last seen.
 */
export async function expectTexts(locator: Locator, expected: string[], timeoutMs = 15_000): Promise<void> {
  let seen: string[] = [];
  await eventually(async () => JSON.stringify(seen = await locator.allTextContents()) === JSON.stringify(expected), timeoutMs).catch(() => undefined);
  expect(seen).to.deep.equal(expected);
}

/** A clinician of one care unit signs in from the start page and lands on Mina patienter. */
export async function signInAsClinician(page: Page, baseUrl: string, who: Omit<Extract<TestIdentity, { role: 'clinician' }>, 'role'>): Promise<void> {
  await page.goto(`${baseUrl}/`);
  await signInThroughProvider(page, { role: 'clinician', ...who });
  await page.getByRole('heading', { name: 'Mina patienter', level: 1 }).waitFor();
}

/** What page scripts can read of the session: document.cookie and both web storages (all empty, the session cookie is HttpOnly). */
export async function scriptVisibleStorage(page: Page): Promise<string> {
  return page.evaluate('JSON.stringify({ cookie: document.cookie, local: Object.keys(localStorage), session: Object.keys(sessionStorage) })') as Promise<string>;
}
export const EMPTY_STORAGE = '{"cookie":"","local":[],"session":[]}';
