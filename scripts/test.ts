// `npm test`: the unit suites first (no server; `npm run test:unit`), stopping on their failure;
// then the servers and the browser (provisioned where missing), the web build, and the suites that
// need the servers, in shards: TEST_SHARDS mocha processes at once (cores + 1 by default), each with its
// own Temporal dev server, store, worker and API (test/support/harness.ts), the files dealt out by
// the time each took last (longest first, to the shard with least so far). Typecheck and lint run
// beside the shards. Ends with one line for CI: "N passed, N failed", the sum of every run.
// Arguments after `--` go to one mocha run of the server suites instead (a file, `--grep`).
// With TEST_SUMMARY_FILE set (.ci/run), the counts go there and stay, so a later step (the
// contract run, `npm run test:contract`) can add its own and close with the sum of all.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { ensureDevSecrets, loadConfig } from '../infra/config';
import { deal, type FileTimes } from './shards';

const root = path.resolve(__dirname, '..');
const unitConfig = 'test/support/unit.mocharc.json';
/** Each file's time from a full run of the repository (used where this machine has none of its own). */
const committedTimes = path.join(root, 'test/support/file-times.json');
// The summary file is where each run's reporter adds its counts (read here like the steps' environment).
// eslint-disable-next-line no-restricted-properties
const outerSummary = process.env.TEST_SUMMARY_FILE;
const workDir = mkdtempSync(path.join(os.tmpdir(), 'tobakshjalpen-summary-'));
const summary = outerSummary ?? path.join(workDir, 'summary.jsonl');
const timesFile = path.join(workDir, 'times.jsonl');
/**
 * One shard more than the cores (3 on this 2-core machine), at most 6: the suites wait on timers
 * and servers part of the time, and each shard's own servers cost memory (about 1 GB).
 */
const DEFAULT_SHARDS = Math.min(6, os.availableParallelism() + 1);

function run(label: string, command: string, args: string[], extraEnv: Record<string, string> = {}): number {
  const started = Date.now();
  // The steps run in this environment, with the summary file added (no configuration is read here).
  // eslint-disable-next-line no-restricted-properties
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...extraEnv } });
  const status = result.status ?? 1;
  console.log(`[${label}: ${status === 0 ? 'ok' : `failed (${status})`} in ${seconds(started)} s]`);
  return status;
}

const seconds = (since: number) => Math.round((Date.now() - since) / 1000);

/** A step run beside others: its lines prefixed with its label as they come, its status at the end. */
function runBeside(label: string, command: string, args: string[], extraEnv: Record<string, string> = {}): Promise<number> {
  const started = Date.now();
  // eslint-disable-next-line no-restricted-properties
  const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...extraEnv } });
  for (const stream of [child.stdout, child.stderr]) createInterface({ input: stream }).on('line', (line) => console.log(`[${label}] ${line}`));
  return new Promise((resolve) => {
    child.on('error', (err) => { console.log(`[${label}] ${err.message}`); resolve(1); });
    child.on('close', (code) => {
      console.log(`[${label}: ${code === 0 ? 'ok' : `failed (${code})`} in ${seconds(started)} s]`);
      resolve(code ?? 1);
    });
  });
}

function jsonLines<T>(file: string): T[] {
  try {
    return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as T);
  } catch { return []; }
}

function totals(): { passed: number; failed: number } {
  let passed = 0;
  let failed = 0;
  for (const s of jsonLines<{ passes: number; failures: number }>(summary)) {
    passed += s.passes;
    failed += s.failures;
  }
  return { passed, failed };
}

function finish(code: number): never {
  const { passed, failed } = totals();
  rmSync(workDir, { recursive: true, force: true });
  // A step that failed before mocha (lint, typecheck, a server) counts as a failure too.
  console.log(`${passed} passed, ${failed + (code !== 0 && failed === 0 ? 1 : 0)} failed`);
  process.exit(code);
}

function readTimes(file: string): FileTimes {
  try { return JSON.parse(readFileSync(file, 'utf8')) as FileTimes; } catch { return {}; }
}

/** The server suites' files: every test file under test/ that the unit run does not take. */
function serverFiles(unitFiles: string[]): string[] {
  const unit = new Set(unitFiles);
  return (readdirSync(path.join(root, 'test'), { recursive: true }) as string[])
    .map((f) => path.join('test', f))
    .filter((f) => f.endsWith('.test.ts') && !unit.has(f))
    .sort();
}

async function main() {
  const env = { TEST_SUMMARY_FILE: summary };
  const npx = (args: string[]): [string, string[]] => ['npx', ['--no-install', ...args]];
  const extra = process.argv.slice(2);

  if (run('unit suites', ...npx(['mocha', '--config', unitConfig]), env) !== 0) finish(1);
  const unitFiles = (JSON.parse(readFileSync(path.join(root, unitConfig), 'utf8')) as { spec: string[] }).spec;
  for (const [label, [command, args]] of [
    ['servers and browser', npx(['tsx', 'scripts/provision.ts', '--chromium'])],
    ['web build', ['npm', ['run', '--silent', 'web:build']]],
  ] as const) if (run(label, command, [...args]) !== 0) finish(1);

  if (extra.length) {
    // One file or a grep: typecheck and lint are not the question, and one mocha run answers it.
    finish(run('server suites', ...npx(['mocha', ...extra]), env));
  }

  // Where the servers are cached, this machine keeps its own file times for the next deal.
  ensureDevSecrets();
  const localTimes = path.join(loadConfig(undefined, { auth: false }).servers.cacheDir, 'test-file-times.json');
  const files = serverFiles(unitFiles);
  // eslint-disable-next-line no-restricted-properties
  const shardCount = Math.max(1, Number(process.env.TEST_SHARDS) || DEFAULT_SHARDS);
  const shards = deal(files, { ...readTimes(committedTimes), ...readTimes(localTimes) }, shardCount);
  const started = Date.now();
  console.log(`Server suites: ${files.length} files in ${shards.length} shards, each with its own servers`
    + ` (TEST_SHARDS=${shardCount}); typecheck and lint beside them.`);
  const statuses = await Promise.all([
    runBeside('typecheck', ...npx(['tsc', '--noEmit'])),
    runBeside('lint', ...npx(['eslint', '.'])),
    ...shards.map((shard, i) => runBeside(`shard ${i + 1}/${shards.length}`, ...npx(['mocha', ...shard.files]), { ...env, TEST_TIMES_FILE: timesFile })),
  ]);
  const measured = jsonLines<{ file: string; ms: number }>(timesFile);
  if (measured.length) {
    const times: FileTimes = Object.fromEntries(measured.map(({ file, ms }) => [file, ms]));
    console.log('Time per file, all shards (longest first):');
    for (const [file, ms] of Object.entries(times).sort((a, b) => b[1] - a[1])) console.log(`${(ms / 1000).toFixed(1).padStart(7)} s  ${file}`);
    shards.forEach((shard, i) => console.log(`shard ${i + 1}: ${shard.files.length} files, expected ${Math.round(shard.ms / 1000)} s,`
      + ` took ${Math.round(shard.files.reduce((sum, f) => sum + (times[f] ?? 0), 0) / 1000)} s`));
    mkdirSync(path.dirname(localTimes), { recursive: true });
    writeFileSync(localTimes, `${JSON.stringify({ ...readTimes(localTimes), ...times }, null, 1)}\n`);
  }
  console.log(`[server suites, typecheck and lint: ${seconds(started)} s]`);
  finish(statuses.some((s) => s !== 0) ? 1 : 0);
}

void main().catch((err: unknown) => {
  console.error(err);
  finish(1);
});
