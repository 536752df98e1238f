// `npm test`: the unit suites (no server; `npm run test:unit`) and the type check with the lint
// (`npm run check`: one process, one TypeScript program per tsconfig) at once, beside the servers
// and the browser (provisioned where missing) and the web bundle (`npm run web:bundle`: the check
// has type-checked the web app already); a unit failure stops the run. Then the suites that need
// the servers, in shards: TEST_SHARDS mocha processes at once (one more than the cores by default),
// each with its own Temporal dev server, store, worker and API (test/support/harness.ts), the
// files dealt out by the time each took last (longest first, to the shard with least so far). The
// workflow code is bundled once for all of them (WORKFLOW_BUNDLE).
// Ends with one line for CI: "N passed, N failed", the sum of every run.
// Arguments after `--` go to one mocha run of the server suites instead (a file, `--grep`).
// With TEST_SUMMARY_FILE set (.ci/run), the counts go there and stay, so a later step (the
// contract run, `npm run test:contract`) can add its own and close with the sum of all.
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
 * and servers part of the time, which the extra shard fills; each shard's own servers cost about
 * 1 GB. Measured here: 3 shards 503 s, 4 shards 492 s and 445 s, but with 4 the tests' deadlines
 * were missed now and then on these two cores (TEST_SHARDS=4 to choose it).
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
function runBeside(label: string, command: string, args: string[], extraEnv: Record<string, string> = {}): { done: Promise<number>; stop(): void } {
  const started = Date.now();
  // eslint-disable-next-line no-restricted-properties
  const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...extraEnv } });
  for (const stream of [child.stdout, child.stderr]) createInterface({ input: stream }).on('line', (line) => console.log(`[${label}] ${line}`));
  const done = new Promise<number>((resolve) => {
    child.on('error', (err) => { console.log(`[${label}] ${err.message}`); resolve(1); });
    child.on('close', (code) => {
      console.log(`[${label}: ${code === 0 ? 'ok' : `failed (${code})`} in ${seconds(started)} s]`);
      resolve(code ?? 1);
    });
  });
  return { done, stop: () => { child.kill('SIGTERM'); } };
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
  // A step that failed outside mocha (lint, typecheck, the build, a server) counts as a failure too,
  // here and in a summary file a later step adds up (.ci/run's closing line).
  const outside = code !== 0 && failed === 0 ? 1 : 0;
  if (outside && outerSummary) appendFileSync(outerSummary, `${JSON.stringify({ passes: 0, failures: 1 })}\n`);
  rmSync(workDir, { recursive: true, force: true });
  console.log(`${passed} passed, ${failed + outside} failed`);
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
  // The project's own binaries, run directly (not through npx: a signal reaches the tool itself).
  const npx = ([bin, ...args]: string[]): [string, string[]] => [path.join(root, 'node_modules', '.bin', bin!), args];
  const extra = process.argv.slice(2);
  const unitFiles = (JSON.parse(readFileSync(path.join(root, unitConfig), 'utf8')) as { spec: string[] }).spec;
  const provisionAndBuild: Array<[string, [string, string[]]]> = [
    ['servers and browser', npx(['tsx', 'scripts/provision.ts', '--chromium'])],
    ['web bundle', npx(['vite', 'build', '--config', 'web/vite.config.mts', '--logLevel', 'warn'])],
  ];

  if (extra.length) {
    // One file or a grep: typecheck and lint are not the question, and one mocha run answers it.
    if (run('unit suites', ...npx(['mocha', '--config', unitConfig]), env) !== 0) finish(1);
    for (const [label, [command, args]] of provisionAndBuild) if (run(label, command, args) !== 0) finish(1);
    finish(run('server suites', ...npx(['mocha', ...extra]), env));
  }

  // The unit suites, the type check and the lint need no server: they start at once, beside the
  // provisioning and the web bundle (the cores are idle in parts of each). A unit failure stops the run.
  const started = Date.now();
  const checks = [runBeside('typecheck and lint', ...npx(['tsx', 'scripts/check.ts']))];
  const unit = runBeside('unit', ...npx(['mocha', '--config', unitConfig]), env);
  const workflowBundle = path.join(workDir, 'workflow-bundle.js');
  const inOrder = async (steps: Array<readonly [string, [string, string[]]]>) => {
    for (const [label, [command, args]] of steps) if (await runBeside(label, command, args).done !== 0) return 1;
    return 0;
  };
  const built = Promise.all([
    inOrder(provisionAndBuild),
    inOrder([['workflow bundle', npx(['tsx', 'scripts/bundle-workflows.ts', workflowBundle])]]),
  ]).then((codes) => Math.max(...codes));
  if (await unit.done !== 0 || await built !== 0) {
    for (const check of checks) check.stop();
    await Promise.all(checks.map((c) => c.done));
    finish(1);
  }

  // Where the servers are cached, this machine keeps its own file times for the next deal.
  ensureDevSecrets();
  const localTimes = path.join(loadConfig(undefined, { auth: false }).servers.cacheDir, 'test-file-times.json');
  const files = serverFiles(unitFiles);
  // eslint-disable-next-line no-restricted-properties
  const shardCount = Math.max(1, Number(process.env.TEST_SHARDS) || DEFAULT_SHARDS);
  const shards = deal(files, { ...readTimes(committedTimes), ...readTimes(localTimes) }, shardCount);
  console.log(`Server suites: ${files.length} files in ${shards.length} shards, each with its own servers (TEST_SHARDS=${shardCount}).`);
  const statuses = await Promise.all([
    ...checks.map((c) => c.done),
    ...shards.map((shard, i) => runBeside(`shard ${i + 1}/${shards.length}`, ...npx(['mocha', ...shard.files]), { ...env, TEST_TIMES_FILE: `${timesFile}.${i}`, WORKFLOW_BUNDLE: workflowBundle }).done),
  ]);
  // A shard that failed may have stopped early: its files' times would deal the next run badly.
  const measured = shards.flatMap((_, i) => (statuses[checks.length + i] === 0 ? jsonLines<{ file: string; ms: number }>(`${timesFile}.${i}`) : []));
  if (measured.length) {
    const times: FileTimes = Object.fromEntries(measured.map(({ file, ms }) => [file, ms]));
    console.log('Time per file, all shards (longest first):');
    for (const [file, ms] of Object.entries(times).sort((a, b) => b[1] - a[1])) console.log(`${(ms / 1000).toFixed(1).padStart(7)} s  ${file}`);
    shards.forEach((shard, i) => console.log(`shard ${i + 1}: ${shard.files.length} files, expected ${Math.round(shard.ms / 1000)} s,`
      + ` took ${Math.round(shard.files.reduce((sum, f) => sum + (times[f] ?? 0), 0) / 1000)} s`));
    mkdirSync(path.dirname(localTimes), { recursive: true });
    writeFileSync(localTimes, `${JSON.stringify({ ...readTimes(localTimes), ...times }, null, 1)}\n`);
  }
  console.log(`[npm test: ${seconds(started)} s]`);
  finish(statuses.some((s) => s !== 0) ? 1 : 0);
}

void main().catch((err: unknown) => {
  console.error(err);
  finish(1);
});
