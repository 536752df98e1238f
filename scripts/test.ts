// `npm test`: the unit suites first (no server; `npm run test:unit`), stopping on their failure;
// then the servers and the browser (provisioned where missing), the web build, typecheck and lint,
// and every suite that needs the servers. Ends with one line for CI: "N passed, N failed", the sum
// of both runs. Arguments after `--` go to the server run's mocha (a file, `--grep`).
// With TEST_SUMMARY_FILE set (.ci/run), the counts go there and stay, so a later step (the
// contract run, `npm run test:contract`) can add its own and close with the sum of all.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '..');
const unitConfig = 'test/support/unit.mocharc.json';
// The summary file is where each run's reporter adds its counts (read here like the steps' environment).
// eslint-disable-next-line no-restricted-properties
const outerSummary = process.env.TEST_SUMMARY_FILE;
const summaryDir = outerSummary ? null : mkdtempSync(path.join(os.tmpdir(), 'tobakshjalpen-summary-'));
const summary = outerSummary ?? path.join(summaryDir!, 'summary.jsonl');

function run(label: string, command: string, args: string[], extraEnv: Record<string, string> = {}): number {
  const started = Date.now();
  // The steps run in this environment, with the summary file added (no configuration is read here).
  // eslint-disable-next-line no-restricted-properties
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...extraEnv } });
  const status = result.status ?? 1;
  console.log(`[${label}: ${status === 0 ? 'ok' : `failed (${status})`} in ${Math.round((Date.now() - started) / 1000)} s]`);
  return status;
}

function totals(): { passed: number; failed: number } {
  let passed = 0;
  let failed = 0;
  try {
    for (const line of readFileSync(summary, 'utf8').split('\n').filter(Boolean)) {
      const s = JSON.parse(line) as { passes: number; failures: number };
      passed += s.passes;
      failed += s.failures;
    }
  } catch { /* no run reported */ }
  return { passed, failed };
}

function finish(code: number): never {
  const { passed, failed } = totals();
  if (summaryDir) rmSync(summaryDir, { recursive: true, force: true });
  // A step that failed before mocha (lint, typecheck, a server) counts as a failure too.
  console.log(`${passed} passed, ${failed + (code !== 0 && failed === 0 ? 1 : 0)} failed`);
  process.exit(code);
}

const env = { TEST_SUMMARY_FILE: summary };
const npx = (args: string[]): [string, string[]] => ['npx', ['--no-install', ...args]];
const extra = process.argv.slice(2);

if (run('unit suites', ...npx(['mocha', '--config', unitConfig]), env) !== 0) finish(1);
const unitFiles = (JSON.parse(readFileSync(path.join(root, unitConfig), 'utf8')) as { spec: string[] }).spec;
const steps: Array<[string, [string, string[]]]> = [
  ['servers and browser', npx(['tsx', 'scripts/provision.ts', '--chromium'])],
  ['web build', ['npm', ['run', '--silent', 'web:build']]],
  ['typecheck', npx(['tsc', '--noEmit'])],
  ['lint', npx(['eslint', '.'])],
];
for (const [label, [command, args]] of steps) if (run(label, command, args) !== 0) finish(1);
const serverRun = extra.length ? extra : ['test/**/*.test.ts', ...unitFiles.flatMap((f) => ['--ignore', f])];
finish(run('server suites', ...npx(['mocha', ...serverRun]), env));
