// One production-topology stack (stack/) for the whole `npm run test:stack` run: PostgreSQL, the
// Temporal server and UI server, FerretDB, two workers and two APIs as separate processes, with
// the tests' short durations (TEST_OVERRIDES) added to the workers' and APIs' environment.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureDevSecrets, loadConfig } from '../../infra/config';
import { startStack, type Stack } from '../../stack';
import { TEST_OVERRIDES } from '../support/harness';

let booting: Promise<Stack> | undefined;

/** Settings beyond the compose file's, each for a reason the test names. */
export const STACK_TEST_SETTINGS = (dataDir: string): Record<string, string> => ({
  // Durations in seconds instead of days (the same overrides as the dev-server suite).
  PROGRAM_OVERRIDES: path.join(dataDir, 'program-overrides.json'),
  // The scenario reuses phone numbers and writes many messages to one treatment within the hour.
  NOTIFY_MAX_PER_RECIPIENT_PER_HOUR: '10000',
  PATIENT_WRITES_PER_HOUR: '100000',
  RATE_LIMIT_PER_MINUTE: '100000',
  // The nightly cron ticks every minute: both workers try to start tonight's jobs many times.
  NIGHTLY_CRON: '* * * * *',
});

export function stackHarness(): Promise<Stack> {
  booting ??= (async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tobakshjalpen-stack-'));
    writeFileSync(path.join(dataDir, 'program-overrides.json'), JSON.stringify(TEST_OVERRIDES));
    ensureDevSecrets({ ...process.env, DATA_DIR: dataDir });
    const config = loadConfig({ ...process.env, DATA_DIR: dataDir }, { auth: false });
    const started = Date.now();
    const stack = await startStack({
      dataDir, servers: config.servers, testSettings: STACK_TEST_SETTINGS(dataDir),
      variables: { LOG_LEVEL: 'warn', TEMPORAL_NUM_HISTORY_SHARDS: process.env.TEMPORAL_NUM_HISTORY_SHARDS },
      log: (line) => console.log(line),
    });
    console.log(`  stack started in ${((Date.now() - started) / 1000).toFixed(1)} s (${dataDir})`);
    return stack;
  })();
  return booting;
}

export async function stopStackHarness(): Promise<void> {
  if (!booting) return;
  const stack = await booting.catch(() => null);
  if (!stack) return;
  const started = Date.now();
  await stack.stop();
  console.log(`  stack stopped in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** A request to one of the APIs, JSON in and out. */
export async function call(baseUrl: string, method: string, url: string, opts: { token?: string; body?: unknown } = {}): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = {};
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${baseUrl}${url}`, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
  const text = await res.text();
  let body: unknown = text;
  try { body = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
  return { status: res.status, body };
}
