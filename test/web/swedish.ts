// The Swedish-words scan for the patient's pages: no identifier (snake_case) and no English word
// that has reached the page from code or the API.
import { expect } from 'chai';
import type { Page } from 'playwright-core';

const NOT_SWEDISH = /\b[a-z]+_[a-z_]+\b|\b(?:undefined|null|NaN|true|false|Invalid|invalid|expected|required|error|Error|submitted|answered|missed|due|locked|open|closed|completed|Not found|Conflict|Too many)\b/;

/** Fails on the first word on the page that is not Swedish. */
export async function expectSwedish(page: Page, what: string): Promise<void> {
  const text = await page.locator('body').innerText();
  expect(NOT_SWEDISH.exec(text)?.[0], `${what}: a word that is not Swedish`).to.equal(undefined);
}
