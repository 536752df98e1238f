// The Swedish-words scan, run on every page the browser tests check (expectAccessible runs it with
// axe-core): the visible text (document.body.innerText) holds no identifier from code, the program
// or the store, and no English from the API or the code.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import type { Page } from 'playwright-core';

/** The program's own ids (modules, sections, forms, questions, reasons) that are not words: hyphenated or camelCase. */
function programIds(): string[] {
  const ids = new Set<string>();
  const walk = (o: unknown): void => {
    if (Array.isArray(o)) { o.forEach(walk); return; }
    if (typeof o !== 'object' || o === null) return;
    for (const [k, v] of Object.entries(o)) {
      if ((k === 'id' || k === 'formId' || k.startsWith('records')) && typeof v === 'string' && /-|[a-z][A-Z]/.test(v)) ids.add(v);
      walk(v);
    }
  };
  walk(JSON.parse(readFileSync(path.resolve(__dirname, '..', '..', 'programs', 'tobakshjalpen.json'), 'utf8')));
  return [...ids].sort((a, b) => b.length - a.length);
}
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Identifiers: snake_case (activity_missed), uuids, the program's ids (step-2, quit-date, tobaccoFree), other camelCase (programId). */
const IDENTIFIERS: Array<[string, RegExp]> = [
  ['snake_case', /\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b/],
  ['uuid', /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/i],
  ['program id', new RegExp(`(?<![\\w@.-])(?:${programIds().map(escape).join('|')}|step-\\d+|tobakshjalpen)(?![\\w-])`)],
  ['camelCase', /\b[a-z]+[A-Z][a-zA-Z]*\b/],
  ['care unit id', /\bunit-[\w-]+/],
];

/** English from the API (problem titles, zod's messages) and from code. */
const ENGLISH = new RegExp(`\\b(?:${[
  'Required', 'Invalid', 'invalid', 'expected', 'received', 'must', 'should', 'Not Found', 'Not found', 'not found', 'Bad Request',
  'Invalid request', 'Unauthorized', 'Forbidden', 'Conflict', 'Too many', 'Too small', 'Too big', 'Internal', 'Payload',
  'Service unavailable', 'Method not allowed', 'something went wrong', 'Failed to fetch', 'Error', 'error',
  'undefined', 'null', 'NaN', 'true', 'false', 'Infinity', 'object Object',
  'submitted', 'answered', 'missed', 'due', 'locked', 'open', 'closed', 'completed', 'active', 'invited', 'ended', 'maintenance', 'purged',
  'the treatment', 'is read-only', 'please', 'try again',
].map(escape).join('|')})\\b`);

/** Kinds allowed for now (none: care units are shown by name since they have names). */
const ALLOWED: Set<string> = new Set([]);

/** The first identifier or English word in a text, with what kind it is, or undefined. */
export function notSwedish(text: string): string | undefined {
  for (const [kind, pattern] of IDENTIFIERS) {
    if (ALLOWED.has(kind)) continue;
    const m = pattern.exec(text);
    if (m) return `${kind} "${m[0]}" in "…${text.slice(Math.max(0, m.index - 40), m.index + m[0].length + 40)}…"`;
  }
  const m = ENGLISH.exec(text);
  return m ? `English "${m[0]}" in "…${text.slice(Math.max(0, m.index - 40), m.index + m[0].length + 40)}…"` : undefined;
}

/** Fails on the first word on the page that is not Swedish (the visible text only). */
export async function expectSwedish(page: Page, what: string): Promise<void> {
  const text = await page.evaluate('document.body.innerText') as string;
  expect(notSwedish(text), `${what}: not Swedish`).to.equal(undefined);
}
