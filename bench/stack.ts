// `BENCH_TARGET=stack npm run bench`: the figures that depend on the servers and the topology
// (starts per second, command round trip p99, timer lateness), measured by the same code first on
// the dev server (`npm start`'s topology: one process with worker and API, the Temporal dev server
// on SQLite, FerretDB) and then on the production topology of `npm run stack` (stack/: PostgreSQL,
// the Temporal server, FerretDB, two workers and two APIs as their own processes), in one run, and
// printed side by side with their ratio. Each target is measured once 1,000 treatments are open
// (a fifth in a quick run). `--quick` and BENCH_SMOKE=1 size it as bench/run.ts does.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import mongoose from 'mongoose';
import { signDevToken } from '../api/auth';
import { planOf } from '../domain/program';
import { parseMasterKeys, TreatmentKeyCodec } from '../infra/codec';
import { ensureDevSecrets, loadConfig } from '../infra/config';
import { dbNameOf } from '../infra/db-name';
import { loadPrograms } from '../infra/programs';
import { secrets, startStack } from '../stack';
import {
  CONCURRENCIES, MODE, N, REPEATS, SMOKE, command, directStarter, log, personnummers, pool, repeat, startRun, startsPerRun, summary,
  timerLateness, waitForFirstEvents, type Call, type Stats, type TimerFigures,
} from './common';
import { startBenchSystem } from './system';

/** Treatments open before anything is measured. */
const OPEN = N(1000, 10);
/** Treatments whose modules the command figure opens (two commands each, one client in sequence). */
const COMMAND_TREATMENTS = N(50, 5);
/** Deadlines in the timer figure, all within one minute. */
const TIMERS = N(1000, 10);

interface Target {
  name: 'dev server' | 'stack';
  /** What runs, for the record. */
  topology: string;
  client: Client;
  taskQueue: string;
  call: Call;
  stop(): Promise<void>;
  startedInSeconds: number;
}

interface TargetFigures {
  open: { count: number; seconds: number; perSecond: number };
  starts: Record<number, Stats>;
  /** Open treatments when the start figure began, and when it ended. */
  openDuringStarts: [number, number];
  firstEventsWaitSeconds: number;
  commandMs: { p50: number; p95: number; p99: number; commands: number; openBefore: number };
  timers: TimerFigures;
  loadavg: { before: number[]; after: number[] };
  seconds: number;
  startedInSeconds: number;
  topology: string;
}

const json = (res: Response) => res.text().then((text) => {
  if (res.status >= 400) throw new Error(`${res.url}: ${res.status} ${text.slice(0, 200)}`);
  return text ? JSON.parse(text) : null;
});
const request = (base: string, token: string): Call => (method, url, body) =>
  fetch(`${base}${url}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body ? JSON.stringify(body) : undefined }).then(json);

async function devTarget(): Promise<Target> {
  const t = Date.now();
  const system = await startBenchSystem('bench-vs-stack', log);
  const token = await signDevToken(system.config, { role: 'clinician', sub: 'SE2321000016-0bench', careUnits: ['bench'] });
  return {
    name: 'dev server', topology: 'one process: worker and API (npm start); Temporal dev server (SQLite file); FerretDB v1.24.2 (SQLite)',
    client: system.client, taskQueue: system.config.temporal.taskQueue, call: request(system.apiUrl!, token),
    stop: () => system.stop(), startedInSeconds: (Date.now() - t) / 1000,
  };
}

/** The stack as `npm run stack` starts it (stack/startStack), with the benchmark's rate limit. */
async function stackTarget(): Promise<Target> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tobakshjalpen-bench-stack-'));
  // As `npm run stack` and the stack tests: only the settings that say where servers are built and kept.
  ensureDevSecrets({ ...process.env, DATA_DIR: dataDir });
  const servers = loadConfig({ ...process.env, DATA_DIR: dataDir }, { auth: false }).servers;
  const stack = await startStack({
    dataDir, servers, log: (line) => log(`  ${line}`),
    // The compose file's own variables from this environment, as `npm run stack` takes them.
    variables: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' },
    // As the dev-server benchmark: 600 requests a minute per token would stop it at the start figure.
    testSettings: { RATE_LIMIT_PER_MINUTE: '1000000' },
  });
  try {
    log(`  stack started in ${(stack.startedInMs / 1000).toFixed(1)} s (${dataDir})`);
    // The workers' and APIs' namespace and task queue: the compose file sets neither, so the defaults.
    const defaults = loadConfig({ DATA_DIR: dataDir }, { auth: false }).temporal;
    const workerEnv = stack.manifest.services.worker?.environment ?? {};
    // This process reads and writes the stack's treatments as its API does: the same store (data keys) and master keys.
    await mongoose.connect(stack.mongoUri, { serverSelectionTimeoutMS: 5000, dbName: dbNameOf(stack.mongoUri) });
    const connection = await Connection.connect({ address: stack.temporalAddress });
    const client = new Client({
      connection, namespace: workerEnv.TEMPORAL_NAMESPACE ?? defaults.namespace,
      dataConverter: { payloadCodecs: [new TreatmentKeyCodec(parseMasterKeys(secrets(stack.dataDir).PAYLOAD_KEYS!))], failureConverterPath: require.resolve('../infra/failure-converter') },
    });
    const token = await stack.idp.sign({ role: 'clinician', sub: 'SE2321000016-0bench', careUnits: ['bench'] });
    // The APIs in turn, as a load balancer in front of them would.
    const calls = stack.apis.map((a) => request(a.url, token));
    let next = 0;
    return {
      name: 'stack',
      topology: `${stack.workers.length} workers and ${stack.apis.length} APIs (npm run worker / npm run api, NODE_ENV=production), requests to the APIs in turn; Temporal server ${stack.manifest.services.temporal?.version ?? ''} on PostgreSQL 16 (${workerEnv.TEMPORAL_NUM_HISTORY_SHARDS ?? stack.manifest.variables.TEMPORAL_NUM_HISTORY_SHARDS ?? 512} history shards); FerretDB v1.24.2 (SQLite)`,
      client, taskQueue: workerEnv.TEMPORAL_TASK_QUEUE ?? defaults.taskQueue,
      call: (method, url, body) => calls[(next++) % calls.length]!(method, url, body),
      stop: async () => { await connection.close(); await mongoose.disconnect(); await stack.stop(); },
      startedInSeconds: stack.startedInMs / 1000,
    };
  } catch (err) {
    await stack.stop();
    throw err;
  }
}

async function measure(target: Target): Promise<TargetFigures> {
  const started = Date.now();
  const loadBefore = os.loadavg();
  const plan = planOf(loadPrograms().get('tobakshjalpen')!);
  const startDirect = directStarter(target.client, target.taskQueue, plan);
  const pnr = personnummers();

  log(`  ${OPEN} treatments opened (16 clients, through the Temporal client) …`);
  const t0 = Date.now();
  await pool(Array.from({ length: OPEN }, (_, i) => i), 16, () => startDirect({ careUnitId: 'bench-open' }));
  const openSeconds = (Date.now() - t0) / 1000;
  let opened = OPEN;
  await waitForFirstEvents(opened);

  const starts: Record<number, Stats> = {};
  const openAtStarts = opened;
  for (const c of CONCURRENCIES) {
    starts[c] = await repeat(`POST /api/treatments, concurrency ${c}`, () => startRun(target.call, pnr, c, startsPerRun(c)));
    opened += startsPerRun(c) * (REPEATS + 1);
  }

  const commandIds: string[] = [];
  for (let i = 0; i < COMMAND_TREATMENTS; i++) commandIds.push((await target.call('POST', '/api/treatments', { personnummer: pnr(), programId: 'tobakshjalpen', careUnitId: 'bench' })).id);
  opened += COMMAND_TREATMENTS;
  log(`  waiting for the ${opened} treatments' first events to be recorded …`);
  const firstEventsWaitSeconds = await waitForFirstEvents(opened);
  log(`  commands: ${COMMAND_TREATMENTS * 2}, one client in sequence …`);
  await command(target.call, commandIds[0]!, 0); // a warm-up: the module opened here stays opened
  const commandMs: number[] = [];
  for (let i = 1; i < COMMAND_TREATMENTS * 2; i++) {
    const t = performance.now();
    await command(target.call, commandIds[Math.floor(i / 2)]!, i);
    commandMs.push(performance.now() - t);
  }

  log(`  timers: ${TIMERS} deadlines in one minute, ${opened} treatments open …`);
  const timers = await timerLateness({ plan, startDirect, timers: TIMERS, startRate: OPEN / Math.max(1, openSeconds), openBefore: opened });
  log(`    lateness p50 ${timers.p50 ?? '–'} ms, p99 ${timers.p99 ?? '–'} ms, max ${timers.max ?? '–'} ms (${timers.count}/${TIMERS})`);
  return {
    open: { count: OPEN, seconds: openSeconds, perSecond: OPEN / openSeconds },
    starts, openDuringStarts: [openAtStarts, opened - COMMAND_TREATMENTS], firstEventsWaitSeconds,
    commandMs: { ...summary(commandMs), commands: commandMs.length, openBefore: opened },
    timers, loadavg: { before: loadBefore, after: os.loadavg() }, seconds: Math.round((Date.now() - started) / 1000),
    startedInSeconds: target.startedInSeconds, topology: target.topology,
  };
}

const f = (x: number | null | undefined) => (x === null || x === undefined || Number.isNaN(x) ? '–' : x.toFixed(Math.abs(x) < 10 ? 2 : 0));

/** The side-by-side table: each figure on the dev server and on the stack, and stack ÷ dev server. */
export function comparisonTable(dev: TargetFigures, stack: TargetFigures): string {
  const row = (name: string, unit: string, a: number | undefined, b: number | undefined, spread?: [Stats, Stats]) => {
    const cell = (x: number | undefined, s?: Stats) => `${f(x)} ${unit}${s ? ` [${f(s.min)}–${f(s.max)}]` : ''}`;
    return `| ${name} | ${cell(a, spread?.[0])} | ${cell(b, spread?.[1])} | ${a && b !== undefined ? f(b / a) : '–'} |`;
  };
  return [
    '| figure | dev server | stack | stack ÷ dev server |',
    '| --- | --- | --- | --- |',
    ...CONCURRENCIES.map((c) => row(`POST /api/treatments, concurrency ${c}`, 'starts/s', dev.starts[c]!.median, stack.starts[c]!.median, [dev.starts[c]!, stack.starts[c]!])),
    row('treatments opened through the client, 16 at once', 'starts/s', dev.open.perSecond, stack.open.perSecond),
    row('command round trip p50', 'ms', dev.commandMs.p50, stack.commandMs.p50),
    row('command round trip p99', 'ms', dev.commandMs.p99, stack.commandMs.p99),
    row(`timer lateness p50, ${TIMERS.toLocaleString('en')} deadlines in one minute`, 'ms', dev.timers.p50, stack.timers.p50),
    row(`timer lateness p99, ${TIMERS.toLocaleString('en')} deadlines in one minute`, 'ms', dev.timers.p99, stack.timers.p99),
    row('timer lateness max', 'ms', dev.timers.max, stack.timers.max),
  ].join('\n');
}

export async function compareWithStack(): Promise<void> {
  const started = Date.now();
  log(`Benchmark (${MODE}), BENCH_TARGET=stack: the same figures on the dev server, then on the stack, at ${OPEN.toLocaleString('en')} open treatments`);
  const results: Partial<Record<Target['name'], TargetFigures>> = {};
  // One after the other, never both at once: they share this machine's cores.
  for (const make of [devTarget, stackTarget]) {
    log(`Starting ${make === devTarget ? 'the dev server' : 'the stack (stack/startStack, as npm run stack)'} …`);
    const target = await make();
    try {
      log(`Measuring the ${target.name}`);
      results[target.name] = await measure(target);
    } finally {
      await target.stop();
    }
  }
  const dev = results['dev server']!;
  const stack = results.stack!;
  const machine = {
    cpus: `${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}`, memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version,
    mode: MODE, repeats: REPEATS, smoke: SMOKE, open: OPEN, timers: TIMERS, seconds: Math.round((Date.now() - started) / 1000),
  };
  const table = comparisonTable(dev, stack);
  const stem = SMOKE ? 'results.stack.smoke' : MODE === 'quick' ? 'results.stack.quick' : 'results.stack';
  mkdirSync(__dirname, { recursive: true });
  writeFileSync(path.join(__dirname, `${stem}.json`), JSON.stringify({ machine, devServer: dev, stack }, null, 2));
  const loads = (x: TargetFigures) => `load average ${x.loadavg.before.map((l) => l.toFixed(1)).join(' ')} before, ${x.loadavg.after.map((l) => l.toFixed(1)).join(' ')} after (1, 5, 15 min)`;
  const notes = [
    `- dev server (${dev.seconds} s): ${dev.topology}; ${loads(dev)}.`,
    `- stack (${stack.seconds} s, started in ${stack.startedInSeconds.toFixed(0)} s): ${stack.topology}; ${loads(stack)}.`,
  ].join('\n');
  writeFileSync(path.join(__dirname, `${stem}.md`), `# Benchmark (${MODE}), dev server and stack in one run\n\n${JSON.stringify(machine)}\n\n${table}\n\n${notes}\n`);
  log(`\n${table}\n\n${notes}\n`);
  log(`Written to bench/${stem}.json and .md in ${machine.seconds} s.`);
}
