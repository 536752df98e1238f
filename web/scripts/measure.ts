// Measures the web app against a running `npm start` (same DATA_DIR and PORT in the environment):
// seeds N treatments into one care unit, then in Chromium signs in through the development provider
// and times the overview (Mina patienter) until its table shows the first page.
//   DATA_DIR=… PORT=… npx tsx web/scripts/measure.ts [N]
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureDevSecrets, loadConfig } from '../../infra/config';
import { signDevToken } from '../../api/auth';

function personnummer(i: number): string {
  const date = `19${String(40 + (i % 50)).padStart(2, '0')}${String(1 + (i % 12)).padStart(2, '0')}${String(1 + (i % 28)).padStart(2, '0')}`;
  const serial = String(100 + (i % 899)).padStart(3, '0');
  const nine = `${date.slice(2)}${serial}`;
  let sum = 0;
  for (let k = 0; k < 9; k++) { let d = Number(nine[k]) * (k % 2 === 0 ? 2 : 1); if (d > 9) d -= 9; sum += d; }
  return `${date}${serial}${(10 - (sum % 10)) % 10}`;
}

async function main() {
  const n = Number(process.argv[2] ?? 1000);
  ensureDevSecrets();
  const config = loadConfig(undefined, { auth: true, development: true });
  const base = `http://127.0.0.1:${config.port}`;
  const unit = 'unit-measure';
  const token = await signDevToken(config, { role: 'clinician', sub: 'SE2321000016-M001', careUnits: [unit] });
  const seeded = Date.now();
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      const res = await fetch(`${base}/api/treatments`, {
        method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ personnummer: personnummer(i), programId: 'tobakshjalpen', careUnitId: unit, patient: { name: `Patient ${i}` } }),
      });
      if (res.status >= 300 && res.status !== 200) console.error(i, res.status, await res.text());
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  console.log(`seeded ${n} treatments in ${((Date.now() - seeded) / 1000).toFixed(1)} s`);

  const dir = mkdtempSync(path.join(os.tmpdir(), 'measure-chromium-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: '/usr/bin/chromium', headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = context.pages()[0] ?? await context.newPage();
    let t0 = Date.now();
    await page.goto(`${base}/`);
    await page.getByRole('button', { name: 'Logga in som behandlare' }).waitFor();
    console.log(`start page interactive: ${Date.now() - t0} ms`);
    await page.getByRole('button', { name: 'Logga in som behandlare' }).click();
    await page.getByLabel('HSA-id').fill('SE2321000016-M001');
    await page.getByLabel('Vårdenheter').fill(unit);
    t0 = Date.now();
    await page.getByRole('button', { name: 'Logga in', exact: true }).click();
    await page.getByRole('link', { name: /^Patient \d+$/ }).first().waitFor({ timeout: 30_000 });
    console.log(`overview with ${n} treatments, from Logga in to the first page of the table: ${Date.now() - t0} ms`);
    const nav = await page.evaluate('JSON.stringify(performance.getEntriesByType("resource").filter((e) => e.name.includes("/assets/")).map((e) => ({ name: e.name.split("/").pop(), bytes: e.encodedBodySize })))');
    console.log(`assets: ${String(nav)}`);
  } finally {
    await context.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => { console.error(err); process.exit(1); });
