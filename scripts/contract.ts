// `npm run test:contract`: an outside fuzzer reads /openapi.json and checks the API against it
// (issue 26). Schemathesis (PyPI, pinned below) runs in a virtual environment kept in the servers'
// cache (~/.cache/tobakshjalpen/schemathesis-<version>), made once. The whole system starts as in
// the tests (embedded servers, a worker, the API on a free port); a clinician and a patient with a
// treatment get development tokens, and schemathesis runs every check it has against every
// operation, once as each. Any failure fails the run.
//
// With TEST_SUMMARY_FILE (as `npm test` and .ci/run set it) each role's run is appended there as
// one test passed or failed, and the closing "N passed, N failed" line sums the whole file, so CI's
// last line counts the server suites and the contract run together.
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { loadConfig } from '../infra/config';
import { startSystem, type System } from '../system';
import { developmentServices } from '../dev';
import { signDevToken } from '../api/auth';
import { checkDigit } from '../domain/personnummer';

// An entry point like the test harness: it passes its environment on to startSystem (read there
// through infra/config.ts) and reads only its own knobs and the summary file here.
// eslint-disable-next-line no-restricted-properties
const outerEnv = process.env;

const SCHEMATHESIS = '4.32.5';
/** Test cases per operation and phase: enough to find a server error, small enough for CI (a few minutes). */
const MAX_EXAMPLES = outerEnv.CONTRACT_MAX_EXAMPLES ?? '5';
/** A fixed seed: CI's run is reproducible; CONTRACT_SEED=random explores. */
const SEED = outerEnv.CONTRACT_SEED ?? '26';
const CARE_UNIT = 'unit-contract';

function log(line: string) {
  console.log(`[contract] ${line}`);
}

/** The virtual environment with schemathesis, made once per version (python3 -m venv, then pip). */
function ensureSchemathesis(cacheDir: string): string {
  const venv = path.join(cacheDir, `schemathesis-${SCHEMATHESIS}`);
  const bin = path.join(venv, 'bin', 'schemathesis');
  const version = () => spawnSync(bin, ['--version'], { encoding: 'utf8' }).stdout ?? '';
  if (existsSync(bin) && version().includes(SCHEMATHESIS)) return bin;
  log(`installing schemathesis ${SCHEMATHESIS} in ${venv} (once) …`);
  rmSync(venv, { recursive: true, force: true });
  mkdirSync(cacheDir, { recursive: true });
  const python = outerEnv.PYTHON ?? 'python3';
  for (const [command, args] of [
    [python, ['-m', 'venv', venv]],
    [path.join(venv, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', `schemathesis==${SCHEMATHESIS}`]],
  ] as const) {
    const result = spawnSync(command, [...args], { stdio: 'inherit' });
    if (result.status !== 0) {
      rmSync(venv, { recursive: true, force: true });
      throw new Error(`${command} ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status}`}); python3 with venv and pip is needed`);
    }
  }
  if (!version().includes(SCHEMATHESIS)) throw new Error(`schemathesis ${SCHEMATHESIS} did not install in ${venv}`);
  return bin;
}

function personnummer(): string {
  const serial = String(100 + Math.floor(Math.random() * 800)).padStart(3, '0');
  return `19850312${serial}${checkDigit(`850312${serial}`)}`;
}

interface Outcome { role: string; ok: boolean; seconds: number }

/**
 * Each role's run covers the operations that role may use: the clinician every operation but the
 * patient's own (/api/me, which answers a clinician 403), the patient only those. What a role may
 * not use answers 403 before any parsing (test/authorization.test.ts covers that).
 */
const OPERATIONS: Record<string, string[]> = {
  clinician: ['--exclude-path-regex', '^/api/me(/|$)'],
  patient: ['--include-path-regex', '^/api/me(/|$)'],
};

async function runSchemathesis(bin: string, baseUrl: string, role: string, token: string, reportDir: string): Promise<Outcome> {
  const started = Date.now();
  const args = [
    '--config-file', path.join(__dirname, 'schemathesis.toml'),
    'run', `${baseUrl}/openapi.json`,
    '--checks', 'all',
    '--max-examples', MAX_EXAMPLES,
    '--seed', SEED,
    '--workers', '2',
    '--request-timeout', '20',
    '--header', `Authorization: Bearer ${token}`,
    ...OPERATIONS[role]!,
    '--report', 'junit', '--report-junit-path', path.join(reportDir, `${role}.xml`),
  ];
  // No colour codes in CI's log; the token is not printed (schemathesis filters Authorization).
  // Not spawnSync: the API answers from this very process. The two roles run at once, each one's
  // output kept and printed whole when it ends.
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...outerEnv, NO_COLOR: '1' } });
  const output: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => output.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => output.push(chunk));
  const status = await new Promise<string | number>((resolve) => {
    child.on('error', (err) => resolve(err.message));
    child.on('close', (code, signal) => resolve(code ?? signal ?? 'no exit code'));
  });
  log(`── schemathesis as ${role} ──`);
  process.stdout.write(Buffer.concat(output).toString('utf8').replace(/\n{2,}/g, '\n'));
  const seconds = Math.round((Date.now() - started) / 1000);
  const ok = status === 0;
  log(`as ${role}: ${ok ? 'ok' : `failed (${typeof status === 'number' ? `exit ${status}` : status})`} in ${seconds} s`);
  return { role, ok, seconds };
}

function closingLine(outcomes: Outcome[], summaryFile: string | undefined) {
  const passes = outcomes.filter((o) => o.ok).length;
  const failures = outcomes.length - passes;
  if (!summaryFile) return console.log(`${passes} passed, ${failures} failed`);
  appendFileSync(summaryFile, `${JSON.stringify({ suite: 'contract', passes, failures })}\n`);
  let passed = 0;
  let failed = 0;
  for (const line of readFileSync(summaryFile, 'utf8').split('\n').filter(Boolean)) {
    const s = JSON.parse(line) as { passes: number; failures: number };
    passed += s.passes;
    failed += s.failures;
  }
  console.log(`${passed} passed, ${failed} failed`);
}

async function main() {
  const summaryFile = outerEnv.TEST_SUMMARY_FILE;
  const started = Date.now();
  // `/` serves the built web app (503 without it): build it when missing, as `npm start` does.
  if (!existsSync(path.join(__dirname, '..', 'web', 'dist', 'index.html'))) {
    log('building the web app (npm run web:build) …');
    if (spawnSync('npm', ['run', '--silent', 'web:build'], { stdio: 'inherit' }).status !== 0) throw new Error('npm run web:build failed');
  }
  const bin = ensureSchemathesis(loadConfig(undefined, { auth: false }).servers.cacheDir);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tobakshjalpen-contract-'));
  const reportDir = path.join(dataDir, 'reports');
  mkdirSync(reportDir);
  let system: System | undefined;
  const outcomes: Outcome[] = [];
  try {
    system = await startSystem({
      env: {
        ...outerEnv,
        DATA_DIR: dataDir,
        PORT: '0',
        MONGODB_URI: outerEnv.MONGODB_URI ? outerEnv.MONGODB_URI.replace(/\/[^/?]*(\?|$)/, `/tobakshjalpen_contract_${Date.now()}$1`) : undefined,
        TEMPORAL_TASK_QUEUE: `contract-${randomUUID()}`,
        TEMPORAL_PORT: '0', TEMPORAL_UI_PORT: '0', MONGODB_PORT: '0', SMTP_URL: undefined, SMS_GATEWAY_URL: undefined,
        // A fuzzer sends many requests from one address to one treatment: the quotas have tests of their own.
        RATE_LIMIT_PER_MINUTE: '1000000',
        PATIENT_WRITES_PER_HOUR: '100000',
        NOTIFY_MAX_PER_RECIPIENT_PER_HOUR: '10000',
        NIGHTLY_JOBS: 'off',
        LOG_LEVEL: outerEnv.LOG_LEVEL ?? 'warn',
        CARE_UNIT_REGIONS: JSON.stringify({ [CARE_UNIT]: 'region-x' }),
      },
      services: developmentServices({ log }),
      worker: true,
      api: true,
      temporalLogLevel: 'ERROR',
    });
    const baseUrl = system.apiUrl!;
    const clinician = await signDevToken(system.config, { role: 'clinician', sub: 'SE2321000016-9026', careUnits: [CARE_UNIT], name: 'Kontrakt Test' }, '1h');
    // The patient has a treatment, activated, so the patient's operations reach real data too.
    const pnr = personnummer();
    const created = await fetch(`${baseUrl}/api/treatments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${clinician}`, 'content-type': 'application/json' },
      body: JSON.stringify({ personnummer: pnr, programId: 'tobakshjalpen', careUnitId: CARE_UNIT }),
    });
    if (created.status !== 201) throw new Error(`starting the patient's treatment answered ${created.status}`);
    const patient = await signDevToken(system.config, { role: 'patient', sub: pnr }, '1h');
    const visit = await fetch(`${baseUrl}/api/me/treatment`, { headers: { authorization: `Bearer ${patient}` } });
    if (visit.status !== 200) throw new Error(`the patient's first visit answered ${visit.status}`);
    log(`system up in ${Math.round((Date.now() - started) / 1000)} s at ${baseUrl}`);
    log(`schemathesis as clinician and as patient (max ${MAX_EXAMPLES} examples per operation and phase, seed ${SEED}) …`);
    outcomes.push(...await Promise.all([
      runSchemathesis(bin, baseUrl, 'clinician', clinician, reportDir),
      runSchemathesis(bin, baseUrl, 'patient', patient, reportDir),
    ]));
  } catch (err) {
    console.error(`contract: ${err instanceof Error ? err.message : err}`);
    outcomes.push({ role: 'setup', ok: false, seconds: 0 });
  } finally {
    await system?.stop();
  }
  if (outcomes.some((o) => !o.ok)) log(`JUnit reports kept in ${reportDir}`);
  else rmSync(dataDir, { recursive: true, force: true });
  log(`done in ${Math.round((Date.now() - started) / 1000)} s`);
  closingLine(outcomes, summaryFile);
  process.exit(outcomes.every((o) => o.ok) ? 0 : 1);
}

main().catch((err) => {
  console.error(`contract: ${err instanceof Error ? err.message : err}`);
  closingLine([{ role: 'setup', ok: false, seconds: 0 }], outerEnv.TEST_SUMMARY_FILE);
  process.exit(1);
});
