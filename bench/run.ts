// `npm run bench`: the engine measured against bare Temporal, Express and MongoDB on the same
// servers in the same run, each figure the median of REPEATS runs after a warm-up, with its spread.
// BENCH_SMOKE=1 runs a few iterations only (the test suite does, so the benchmark cannot rot);
// `npm run bench -- --quick` (or BENCH_QUICK=1) runs every figure at a fifth of its size, with the
// same baselines and ratios, in minutes. Each run writes its figures to bench/results*.json
// (name, value, unit, baseline, ratio, target) and the Markdown table made from them;
// `npm run bench:readme` puts that table into the README. `BENCH_TARGET=stack npm run bench`
// measures starts per second, command p99 and timer lateness on the dev server and then on the
// production topology of `npm run stack`, in one run, side by side (bench/stack.ts;
// bench/results.stack*.json and .md).
import './env';
import { execSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import mongoose, { Schema } from 'mongoose';
import { signDevToken } from '../api/auth';
import { planOf } from '../domain/program';
import { loadPrograms } from '../infra/programs';
import { Patient } from '../models/patient';
import { Treatment } from '../models/treatment';
import { OverviewRow, UnreadFlag, rowOf } from '../models/overview';
import { TimelineModel } from '../models/clinical';
import { AccessLog } from '../models/access-log';
import { workflowIdFor } from '../workflows/definitions';
import type { TreatmentInput } from '../domain/types';
import { activate, initialState } from '../domain/transitions';
import { project } from '../domain/projection';
import { startBenchSystem } from './system';
import { doneSignal, echoUpdate, pingSignal } from './baseline-workflows';
import { figureTable, type Figure } from './figures';
import { simulateYear } from './year';
import {
  CONCURRENCIES, MODE, N, REPEATS, SMOKE, command, directStarter, latencies, log, personnummers, pool, repeat, startRun, startsPerRun,
  summary, timerLateness, waitForFirstEvents, type Stats,
} from './common';
import { compareWithStack } from './stack';

/** Where the benchmark runs: `dev` (default) the dev server, against bare baselines; `stack` the
 *  production topology's figures beside the dev server's (bench/stack.ts). */
const TARGET = process.env.BENCH_TARGET ?? 'dev';
/** Open treatments at which worker memory is measured: up to 10,000 (2,000 in a quick run). */
const MEMORY_AT = SMOKE ? [10] : MODE === 'quick' ? [500, 2000] : [1000, 5000, 10_000];
/** Deadlines in the timer figure, all within one minute. */
const TIMERS = N(1000, 20);
/** The POST phase's starts (concurrency 1, 8 and 32, a warm-up and REPEATS runs each) and its command treatments. */
const POST_STARTS = CONCURRENCIES.reduce((n, c) => n + startsPerRun(c) * (REPEATS + 1), 0) + N(50, 5);
/** The sticky cache this run needs: everything it opens (POST phase, memory, the year, the timers), with room to spare. */
const CACHE_FOR_RUN = Math.max(10_000, Math.ceil((POST_STARTS + MEMORY_AT.at(-1)! + TIMERS + 100) / 1000) * 1000 + 1000);

async function main() {
  const started = Date.now();
  log(`Benchmark (${MODE}): starting servers …`);
  // Every treatment the run opens stays open, and the memory figure counts cached ones only: the
  // sticky cache holds them all (unless WORKER_MAX_CACHED_WORKFLOWS says otherwise).
  const system = await startBenchSystem('bench', log, { WORKER_MAX_CACHED_WORKFLOWS: String(CACHE_FOR_RUN) });
  const { config, client } = system;
  const api = { url: system.apiUrl! };
  const embedded = { temporalUiUrl: system.temporalUiUrl };
  const tq = config.temporal.taskQueue;
  const clinician = await signDevToken(config, { role: 'clinician', sub: 'SE2321000016-0bench', careUnits: ['bench', 'bench-list-1k', 'bench-list-10k'] });
  const call = async (method: string, url: string, body?: unknown) => {
    const res = await fetch(`${api.url}${url}`, { method, headers: { authorization: `Bearer ${clinician}`, 'content-type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
    const text = await res.text();
    if (res.status >= 400) throw new Error(`${method} ${url}: ${res.status} ${text.slice(0, 200)}`);
    return text ? JSON.parse(text) : null;
  };
  const pnr = personnummers();

  const results: Record<string, unknown> = {};
  const concurrencies = CONCURRENCIES;

  log('Baselines');
  const B0: Record<number, Stats> = {};
  for (const c of concurrencies) {
    const count = N(c * 10, 4);
    B0[c] = await repeat(`B0 no-op workflow, concurrency ${c}`, async () => {
      const t = performance.now();
      await pool(Array.from({ length: count }, (_, i) => i), c, () => client.workflow.execute('noopWorkflow', { taskQueue: tq, workflowId: `b0-${randomUUID()}` }));
      return count / ((performance.now() - t) / 1000);
    });
  }
  const waiting = await client.workflow.start('waitingWorkflow', { taskQueue: tq, workflowId: `b1-${randomUUID()}` });
  const B1 = await latencies(N(200, 10), () => waiting.signal(pingSignal));
  const B2 = await latencies(N(200, 10), (i) => waiting.executeUpdate(echoUpdate, { args: [i] }));
  await waiting.signal(doneSignal);

  // B3: Express + mongoose alone.
  const Item = mongoose.model('BenchItem', new Schema({ _id: String, key: { type: String, index: true }, n: Number }, { versionKey: false }), 'bench_items');
  await Item.createIndexes();
  const bare = express();
  bare.use(express.json());
  bare.post('/items', async (req, res) => { await Item.create({ _id: randomUUID(), key: req.body.key, n: 1 }); res.status(201).json({}); });
  bare.get('/items/:key', async (req, res) => { res.json(await Item.find({ key: req.params.key }).limit(100).lean()); });
  // The same read as the overview's, of the same compact rows, without the application around it.
  bare.get('/list/:unit', async (req, res) => {
    res.json(await OverviewRow.find({ careUnitId: req.params.unit }).sort({ startedAt: -1, _id: 1 }).skip(Number(req.query.skip)).limit(100).lean());
  });
  const bareServer = await new Promise<import('node:http').Server>((r) => { const s = bare.listen(0, '127.0.0.1', () => r(s)); });
  const bareUrl = `http://127.0.0.1:${(bareServer.address() as import('node:net').AddressInfo).port}`;
  const B3insert: Record<number, Stats> = {};
  for (const c of concurrencies) {
    const count = N(c * 20, 4);
    B3insert[c] = await repeat(`B3 Express + mongoose insert, concurrency ${c}`, async () => {
      const t = performance.now();
      await pool(Array.from({ length: count }, (_, i) => i), c, (i) => fetch(`${bareUrl}/items`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ key: `k${i % 50}` }) }));
      return count / ((performance.now() - t) / 1000);
    });
  }
  const B3read = await latencies(N(200, 10), (i) => fetch(`${bareUrl}/items/k${i % 50}`).then((r) => r.json()));
  results.baselines = { B0_workflowsPerSecond: B0, B1_signalMs: B1, B2_updateMs: B2, B3_insertsPerSecond: B3insert, B3_readMs: B3read };

  log('Application');
  const start: Record<number, Stats & { ratio: number }> = {};
  for (const c of concurrencies) {
    const s = await repeat(`POST /api/treatments, concurrency ${c}`, () => startRun(call, pnr, c, startsPerRun(c)));
    // The baseline for a start is a workflow start plus a MongoDB write, one after the other.
    const baseline = 1 / (1 / B0[c]!.median + 1 / B3insert[c]!.median);
    start[c] = { ...s, ratio: s.median / baseline };
  }
  // The starts above leave a queue of first events to record (one activity and one workflow task
  // each); a command's round trip is measured once the worker has caught up, not behind that queue.
  const startedCount = concurrencies.reduce((n, c) => n + startsPerRun(c) * (REPEATS + 1), 0);
  log(`  waiting for the ${startedCount} new treatments' first events to be recorded …`);
  await waitForFirstEvents(startedCount);
  const commandIds: string[] = [];
  for (let i = 0; i < N(50, 5); i++) {
    const t = await call('POST', '/api/treatments', { personnummer: pnr(), programId: 'tobakshjalpen', careUnitId: 'bench' });
    commandIds.push(t.id);
  }
  // B4, the command floor: what a command must do at the least, by one client in sequence: a bare
  // update (B2's), the read-model write of a treatment-sized document and of its overview row as
  // projectTreatment makes them on this store (findById, then updateOne by _id; the two side by
  // side) and one access-log insert. Its iterations alternate with the commands', so that both
  // see the same load on this machine.
  const floorWaiting = await client.workflow.start('waitingWorkflow', { taskQueue: tq, workflowId: `b4-${randomUUID()}` });
  const floorInput: TreatmentInput = { treatmentId: `b4-${randomUUID()}`, careUnitId: 'bench-floor', clinicianId: 'x', openSlotKey: 'x', startedAt: Date.now(), plan: planOf(loadPrograms().get('tobakshjalpen')!) };
  const { _id: floorId, ...floorDoc } = project(activate(initialState(floorInput), floorInput.plan, floorInput.startedAt), floorInput.plan);
  await Treatment.create({ _id: floorId, ...floorDoc, patientKey: 'bench-floor' });
  const floorOf = (waiting: typeof floorWaiting, id: string) => async (i: number) => {
    await waiting.executeUpdate(echoUpdate, { args: [i] });
    // Treatment and overview row side by side, as projectTreatment writes them.
    await Promise.all([
      Treatment.findById(id).lean().then((before) => Treatment.updateOne({ _id: id }, { $set: { ...floorDoc, version: (before?.version ?? 0) + 1 } })),
      OverviewRow.findById(id).lean().then((before) => OverviewRow.updateOne({ _id: id }, { $set: { ...rowOf(floorDoc), version: (before?.version ?? 0) + 1 } }, { upsert: true })),
    ]);
    await AccessLog.insertMany([{ _id: randomUUID(), at: new Date(), actorId: 'SE2321000016-0bench', careUnitId: 'bench-floor', patientKey: 'bench-floor', treatmentId: id, actingCareUnitId: 'bench-floor', action: 'POST /bench', requestId: randomUUID() }]);
  };
  const floorOnce = floorOf(floorWaiting, floorId);
  const floorMs: number[] = [];
  const commandMs: number[] = [];
  await floorOnce(-1);
  for (let i = 0; i < commandIds.length * 2; i++) {
    let t = performance.now();
    await floorOnce(i);
    floorMs.push(performance.now() - t);
    t = performance.now();
    await command(call, commandIds[Math.floor(i / 2)]!, i);
    commandMs.push(performance.now() - t);
  }
  await floorWaiting.signal(doneSignal);
  const B4 = summary(floorMs);
  const commandRt = summary(commandMs);

  // Commands at scale: each of `scaleCount` clients sends commands to its own treatment (Sätt till
  // aktuell, alternating between two modules, so that each one changes the treatment), all at once.
  const scaleCount = N(100, 5);
  const scalePerClient = SMOKE ? 2 : 10;
  log(`  commands from ${scaleCount} clients at once, ${scalePerClient} each …`);
  const scaleIds: string[] = [];
  await pool(Array.from({ length: scaleCount }, (_, i) => i), 8, async () => {
    scaleIds.push((await call('POST', '/api/treatments', { personnummer: pnr(), programId: 'tobakshjalpen', careUnitId: 'bench' })).id);
  });
  for (const until = Date.now() + 120_000; Date.now() < until;) { // their first events recorded, as above
    if ((await TimelineModel.countDocuments({ treatmentId: { $in: scaleIds }, type: 'treatment_started' })) >= scaleCount) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  // The same floor (B4) from as many clients at once, each on a waiting workflow and a document of its own.
  const floorClients = await Promise.all(scaleIds.map(async (_, i) => {
    const id = `${floorId}-${i}`;
    await Treatment.create({ _id: id, ...floorDoc, patientKey: 'bench-floor' });
    return floorOf(await client.workflow.start('waitingWorkflow', { taskQueue: tq, workflowId: `b4-${randomUUID()}` }), id);
  }));
  const scaleFloorMs: number[] = [];
  const scaleFloorStart = performance.now();
  await Promise.all(floorClients.map(async (once) => {
    for (let k = 0; k < scalePerClient; k++) { const t = performance.now(); await once(k); scaleFloorMs.push(performance.now() - t); }
  }));
  const scaleFloor = { ...summary(scaleFloorMs), perSecond: scaleFloorMs.length / ((performance.now() - scaleFloorStart) / 1000) };
  const scaleMs: number[] = [];
  const scaleStart = performance.now();
  await Promise.all(scaleIds.map(async (id) => {
    for (let k = 0; k < scalePerClient; k++) {
      const t = performance.now();
      await call('POST', `/api/treatments/${id}/modules/${k % 2 === 0 ? 'intro' : 'good-to-know'}/current`);
      scaleMs.push(performance.now() - t);
    }
  }));
  const scale = { clients: scaleCount, commands: scaleMs.length, ...summary(scaleMs), perSecond: scaleMs.length / ((performance.now() - scaleStart) / 1000), B4floor: scaleFloor };

  // The overview at two sizes of a unit: rows as the projection writes them (the patient's
  // personnummer and name included) and an unread flag on every tenth. On FerretDB a page costs the scan of the whole row collection (no
  // index but _id), so the smaller unit is measured before the larger one is written.
  const overview: Array<{ treatments: number; p50: number; p99: number; bare: { p50: number; p99: number } }> = [];
  for (const [size, unit] of [[N(1000, 100), 'bench-list-1k'], [N(10_000, 200), 'bench-list-10k']] as const) {
    log(`  seeding ${size} overview rows in one unit …`);
    const rows = Array.from({ length: size }, (_, i) => ({
      _id: randomUUID(), careUnitId: unit, clinicianId: 'x', status: i % 7 ? 'active' : 'ended', patientKey: `${unit}-${i}`, personnummer: '000000000000', name: `Bench ${i}`,
      startedAt: new Date(Date.now() - i * 60_000), lastActiveAt: new Date(Date.now() - i * 30_000), currentModuleId: 'step-2', version: 3,
    }));
    for (let i = 0; i < rows.length; i += 1000) {
      const chunk = rows.slice(i, i + 1000);
      await OverviewRow.insertMany(chunk, { ordered: false });
      await UnreadFlag.insertMany(chunk.filter((_, j) => j % 10 === 0).map((r) => ({ _id: `${r._id}:flag`, treatmentId: r._id, careUnitId: unit, type: 'form_submitted' })), { ordered: false });
    }
    const pages = Math.min(10, Math.ceil(size / 100));
    const measured = await latencies(N(30, 10), (i) => call('GET', `/api/treatments?careUnitId=${unit}&pageSize=100&page=${1 + (i % pages)}`));
    // The bare floor: Express and mongoose reading the same page of the same rows, nothing else.
    const bareRead = await latencies(N(30, 10), (i) => fetch(`${bareUrl}/list/${unit}?skip=${100 * (i % pages)}`).then((r) => r.json()));
    overview.push({ treatments: size, ...measured, bare: bareRead });
    log(`    p50 ${measured.p50.toFixed(0)} ms, p99 ${measured.p99.toFixed(0)} ms; bare read p99 ${bareRead.p99.toFixed(0)} ms`);
  }
  bareServer.close();

  log('Worker memory per open, cached treatment …');
  const plan = planOf(loadPrograms().get('tobakshjalpen')!);
  const startDirect = directStarter(client, tq, plan);
  const memory: Record<number, number> = {};
  const memoryDetail: Record<number, { seconds: number; marginalMb: number; rssMb: number }> = {};
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const base = process.memoryUsage().rss;
  const memoryStarted = Date.now();
  let open = 0;
  let lastRss = base;
  for (const target of MEMORY_AT) {
    const more = Array.from({ length: target - open }, (_, i) => i);
    await pool(more, 16, () => startDirect());
    gc?.();
    const rss = process.memoryUsage().rss;
    memory[target] = (rss - base) / target / 1024 / 1024;
    // The cost of each treatment opened since the last step, without the fixed costs that warming up adds.
    memoryDetail[target] = { seconds: Math.round((Date.now() - memoryStarted) / 1000), marginalMb: (rss - lastRss) / (target - open) / 1024 / 1024, rssMb: Math.round(rss / 2 ** 20) };
    open = target;
    lastRss = rss;
    log(`  ${target} open: ${memory[target]!.toFixed(3)} MB each, ${memoryDetail[target]!.marginalMb.toFixed(3)} MB each of the last step (process RSS ${memoryDetail[target]!.rssMb} MB, worker and API together; ${memoryDetail[target]!.seconds} s so far)`);
  }

  log('History of a simulated year …');
  const yearPlan = planOf(loadPrograms().get('tobakshjalpen')!);
  yearPlan.durations = { ...yearPlan.durations, followUps: ['PT1S', 'PT2S', 'PT3S'], followUpReminder: 'PT1H', followUpEscalation: 'PT2H' };
  const year = await call('POST', '/api/treatments', { personnummer: pnr(), programId: 'tobakshjalpen', careUnitId: 'bench' });
  const patientToken = await signDevToken(config, { role: 'patient', sub: (await Patient.findById((await Treatment.findById(year.id).lean())!.patientKey).lean())!.personnummer });
  const asPatient = (method: string, url: string, body?: unknown) => fetch(`${api.url}${url}`, { method, headers: { authorization: `Bearer ${patientToken}`, 'content-type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
  await simulateYear(year.id, call, asPatient);
  await new Promise((r) => setTimeout(r, 2000));
  const history = await client.workflow.getHandle(workflowIdFor(year.id)).fetchHistory();
  const historyFigures = { events: history.events?.length ?? 0, bytes: Buffer.byteLength(JSON.stringify(history)), target: 1000, warningAt: 10_240 };
  log(`  ${historyFigures.events} events, ${historyFigures.bytes} bytes`);

  log('Timer accuracy …');
  // At the start rate the memory section measured (the same starts), with room for a slower patch.
  const startRate = MEMORY_AT.at(-1)! / Math.max(1, memoryDetail[MEMORY_AT.at(-1)!]!.seconds);
  const timers = TIMERS;
  const timerFigures = await timerLateness({ plan: planOf(loadPrograms().get('tobakshjalpen')!), startDirect, timers, startRate, openBefore: POST_STARTS + open + 1 });

  results.application = {
    startTreatmentPerSecond: start,
    commandRoundTripMs: { ...commandRt, ratioP99ToB2: commandRt.p99 / B2.p99, B4floorMs: B4, ratioP99ToB4: commandRt.p99 / B4.p99 },
    commandsAtScale: scale,
    overview: overview.map((o) => ({ ...o, ratioP99ToBareRead: o.p99 / o.bare.p99 })),
    workerMemoryMbPerTreatment: memory,
    workerMemoryDetail: { ...memoryDetail, openBefore: POST_STARTS, maxCachedWorkflows: config.worker.maxCachedWorkflows },
    worker: config.worker,
    simulatedYearHistory: historyFigures,
    timerLatenessMs: timerFigures,
  };
  const machine = {
    cpus: `${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}`, memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version,
    temporal: embedded.temporalUiUrl ? execSync(`${path.join(config.servers.cacheDir, 'bin', 'temporal')} --version`).toString().trim() : 'external',
    persistence: embedded.temporalUiUrl ? 'temporal dev server, SQLite file; FerretDB v1.24.2, SQLite' : 'external servers',
    mode: MODE, repeats: REPEATS, smoke: SMOKE, seconds: Math.round((Date.now() - started) / 1000),
  };
  // Every figure once, machine-readable; the Markdown table is made from these and nothing else.
  const figures: Figure[] = [
    ...concurrencies.map((c) => ({
      name: `POST /api/treatments, concurrency ${c}`, value: start[c]!.median, unit: 'starts/s', spread: [start[c]!.min, start[c]!.max] as [number, number],
      baseline: { name: 'B0 workflow start + B3 insert, one after the other', value: 1 / (1 / B0[c]!.median + 1 / B3insert[c]!.median) }, ratio: start[c]!.ratio, target: '≥ 0.8×',
    })),
    {
      name: 'command round trip p99', value: commandRt.p99, unit: 'ms', detail: { p50: commandRt.p50, B4p50: B4.p50, B2p99: B2.p99 },
      baseline: { name: 'B4 command floor p99 (B2 update + read-model and overview-row writes + access-log insert)', value: B4.p99 }, ratio: commandRt.p99 / B4.p99, target: '≤ 1.5×',
    },
    {
      name: `commands, ${scale.clients} treatments at once, p99`, value: scale.p99, unit: 'ms', detail: { p50: scale.p50, commandsPerSecond: scale.perSecond, commands: scale.commands, B4p50: scaleFloor.p50 },
      baseline: { name: `B4 floor, ${scale.clients} clients at once, p99`, value: scaleFloor.p99 }, ratio: scale.p99 / scaleFloor.p99, target: null,
    },
    {
      name: `commands, ${scale.clients} treatments at once, throughput`, value: scale.perSecond, unit: 'commands/s', detail: { commands: scale.commands },
      baseline: { name: `B4 floor, ${scale.clients} clients at once`, value: scaleFloor.perSecond }, ratio: scale.perSecond / scaleFloor.perSecond, target: null,
    },
    { name: 'signal p99 (B1)', value: B1.p99, unit: 'ms', detail: { p50: B1.p50 }, baseline: null, ratio: null, target: null },
    ...overview.map((o) => ({
      name: `overview page (GET /api/treatments) at ${o.treatments} in one unit, p99`, value: o.p99, unit: 'ms', detail: { p50: o.p50 },
      baseline: { name: `bare read of the same ${o.treatments} compact rows, p99`, value: o.bare.p99 }, ratio: o.p99 / o.bare.p99,
      target: o.treatments >= 10_000 ? '≤ 1000 ms and ≤ 1.2×' : o.treatments >= 1000 ? '≤ 100 ms' : '≤ 100 ms at 1,000; ≤ 1 s, ≤ 1.2× at 10,000',
    })),
    ...Object.entries(memory).map(([n, mb]) => ({ name: `worker memory per open treatment at ${Number(n).toLocaleString('en')} open`, value: mb, unit: 'MB', detail: memoryDetail[Number(n)], baseline: null, ratio: null, target: '≤ 0.3 MB at 10,000' })),
    { name: 'history of a simulated year', value: historyFigures.events, unit: 'events', detail: { bytes: historyFigures.bytes }, baseline: null, ratio: null, target: '≤ 750' },
    { name: `timer lateness p99, ${timers.toLocaleString('en')} deadlines in one minute`, value: ('p99' in timerFigures ? timerFigures.p99 : null) ?? null, unit: 'ms', detail: timerFigures, baseline: null, ratio: null, target: '≤ 1000' },
  ];
  const out = { machine, figures, ...results };
  mkdirSync(path.join(__dirname), { recursive: true });
  const stem = SMOKE ? 'results.smoke' : 'results';
  writeFileSync(path.join(__dirname, `${stem}.json`), JSON.stringify(out, null, 2));
  const table = figureTable(figures);
  writeFileSync(path.join(__dirname, `${stem}.md`), `# Benchmark (${MODE})\n\n${JSON.stringify(machine)}\n\n${table}\n`);
  log(`\n${table}\n`);
  log(`Written to bench/${stem}.json and .md in ${machine.seconds} s.`);

  await system.stop();
}

if (TARGET !== 'dev' && TARGET !== 'stack') {
  console.error(`BENCH_TARGET=${TARGET}: dev (the default) or stack`);
  process.exit(2);
}
(TARGET === 'stack' ? compareWithStack() : main()).then(() => process.exit(0), (err) => { console.error(err); process.exit(1); });
