// What bench/run.ts (the dev server, against bare baselines) and bench/stack.ts (the same figures
// on the production topology, beside the dev server's) share: the run's mode and sizes, the
// statistics, and the measurements themselves, so that both targets are measured by the same code.
import { randomUUID } from 'node:crypto';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { checkDigit } from '../domain/personnummer';
import type { TreatmentPlan as Plan } from '../domain/types';
import type { TreatmentInput } from '../domain/types';
import { TimelineModel } from '../models/clinical';
import { activateUpdate, TREATMENT_WORKFLOW, workflowIdFor } from '../workflows/definitions';

export const SMOKE = process.env.BENCH_SMOKE === '1';
export const QUICK = !SMOKE && (process.env.BENCH_QUICK === '1' || process.argv.includes('--quick'));
export const MODE = SMOKE ? 'smoke' : QUICK ? 'quick' : 'full';
export const REPEATS = SMOKE ? 1 : QUICK ? 3 : 5;
/** A size: the full one, a fifth of it in a quick run (never below the smoke size), the smoke size. */
export const N = (full: number, smoke: number) => (SMOKE ? smoke : QUICK ? Math.max(smoke, Math.ceil(full / 5)) : full);
export const log = (line: string) => process.stdout.write(`${line}\n`);

export type Stats = { median: number; min: number; max: number };
export const quantile = (xs: number[], q: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(q * s.length))]!; };
export const stats = (xs: number[]): Stats => ({ median: quantile(xs, 0.5), min: Math.min(...xs), max: Math.max(...xs) });
export const summary = (xs: number[]) => ({ p50: quantile(xs, 0.5), p95: quantile(xs, 0.95), p99: quantile(xs, 0.99) });

/** A warm-up, then REPEATS measured runs. */
export async function repeat(label: string, run: () => Promise<number>): Promise<Stats> {
  log(`  ${label} …`);
  await run();
  const values: number[] = [];
  for (let i = 0; i < REPEATS; i++) values.push(await run());
  return stats(values);
}

export async function pool<T>(items: T[], concurrency: number, fn: (item: T) => Promise<unknown>) {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => { while (next < items.length) await fn(items[next++]!); }));
}

export async function latencies(count: number, fn: (i: number) => Promise<unknown>): Promise<{ p50: number; p95: number; p99: number }> {
  const xs: number[] = [];
  for (let i = 0; i < count; i++) { const t = performance.now(); await fn(i); xs.push(performance.now() - t); }
  return summary(xs);
}

/** Fictitious personnummer with a valid check digit, unique for 336 × 999 calls of one generator. */
export function personnummers(): () => string {
  let serial = 0;
  return () => {
    const i = serial++;
    const nine = `85${String(1 + (Math.floor(i / 28) % 12)).padStart(2, '0')}${String(1 + (i % 28)).padStart(2, '0')}${String(1 + (Math.floor(i / 336) % 999)).padStart(3, '0')}`;
    return `19${nine}${checkDigit(nine)}`;
  };
}

/** A clinician's JSON request to the API under test. */
export type Call = (method: string, url: string, body?: unknown) => Promise<any>;

/** The concurrencies at which starts are measured, and how many starts one measured run makes. */
export const CONCURRENCIES = [1, 8, 32];
export const startsPerRun = (c: number) => N(c * 10, 4);

/** One run of the start figure: `count` POST /api/treatments by `concurrency` clients, in starts per second. */
export async function startRun(call: Call, pnr: () => string, concurrency: number, count: number): Promise<number> {
  const t = performance.now();
  await pool(Array.from({ length: count }, () => pnr()), concurrency, (p) => call('POST', '/api/treatments', { personnummer: p, programId: 'tobakshjalpen', careUnitId: 'bench' }));
  return count / ((performance.now() - t) / 1000);
}

/** The command of the command figure: open a module (two in turn, so that each one changes the treatment). */
export const command = (call: Call, treatmentId: string, i: number) =>
  call('POST', `/api/treatments/${treatmentId}/modules/${i % 2 === 0 ? 'pregnancy' : 'cancer'}/open`);

/**
 * Waits until `total` treatments have their first event recorded (one activity and one workflow task
 * each after a start): a command's round trip is measured once the worker has caught up, not behind that queue.
 */
export async function waitForFirstEvents(total: number, timeoutMs = 600_000): Promise<number> {
  const until = Date.now() + timeoutMs;
  const t = Date.now();
  while (Date.now() < until) {
    if ((await TimelineModel.countDocuments({ type: 'treatment_started' })) >= total) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  return (Date.now() - t) / 1000;
}

/** Starts and activates a treatment workflow directly through the client (no API), with a plan of its own if given. */
export function directStarter(client: Client, taskQueue: string, plan: Plan) {
  return async (extra: Partial<TreatmentInput> = {}, planOverride = plan): Promise<WorkflowHandle> => {
    const treatmentId = randomUUID();
    const input: TreatmentInput = { treatmentId, careUnitId: 'bench-mem', clinicianId: 'x', openSlotKey: `slot-${treatmentId}`, startedAt: Date.now(), plan: planOverride, ...extra };
    const handle = await client.workflow.start(TREATMENT_WORKFLOW, { workflowId: workflowIdFor(treatmentId), taskQueue, args: [input] });
    await handle.executeUpdate(activateUpdate);
    return handle;
  };
}

export type TimerFigures = {
  count: number; p50?: number; p99?: number; max?: number; startSeconds?: number; leadSeconds?: number; overlapped?: boolean; openWhileFiring?: number;
};

/**
 * The timer figure: `timers` deadlines spread evenly over one minute that begins once they can all
 * have been started at `startRate` (each deadline is its activation plus a work time, so it lands
 * a few ms after its aim); the lateness of each is its timeline `module_closed` entry's time after
 * its deadline. `openBefore`: treatments already open (for the record). A smoke run (the test
 * suite's) spreads its few deadlines over 10 s after a short lead: it checks the figure is made, not its value.
 */
export async function timerLateness(opts: { plan: Plan; startDirect: ReturnType<typeof directStarter>; timers: number; startRate: number; openBefore: number }): Promise<TimerFigures> {
  const { plan, startDirect, timers } = opts;
  const spreadMs = SMOKE ? 10_000 : 60_000;
  const timerLeadMs = Math.round(((timers / opts.startRate) * 1.5 + (SMOKE ? 5 : 20)) * 1000);
  const timerStart = Date.now();
  const firstDeadline = timerStart + timerLeadMs;
  const timerIds: string[] = [];
  await pool(Array.from({ length: timers }, (_, i) => i), 32, async (i) => {
    const aim = firstDeadline + (spreadMs * i) / timers;
    const timerPlan = { ...plan, modules: plan.modules.map((m) => (m.id === 'surgery' ? { ...m, noWorkTime: undefined, openAtStart: true, workDuration: `PT${Math.max(1, (aim - Date.now()) / 1000).toFixed(3)}S` } : m)) };
    const h = await startDirect({ careUnitId: 'bench-timer' }, timerPlan);
    timerIds.push(h.workflowId.slice('treatment-'.length));
  });
  const timerStartSeconds = (Date.now() - timerStart) / 1000;
  log(`  ${timers} deadlines set within ${timerStartSeconds.toFixed(1)} s${Date.now() > firstDeadline ? ' (NOTE: past the first deadline: starting and firing overlapped)' : ''}; waiting for them …`);
  const lateness: number[] = [];
  const deadline = firstDeadline + spreadMs + 180_000;
  while (Date.now() < deadline) {
    const closed = await TimelineModel.find({ treatmentId: { $in: timerIds }, type: 'module_closed', moduleId: 'surgery' }).lean();
    if (closed.length >= timers) {
      for (const e of closed) lateness.push(e.at.getTime() - Number((e.data as { deadline: number }).deadline));
      break;
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  return lateness.length ? {
    count: lateness.length, p50: quantile(lateness, 0.5), p99: quantile(lateness, 0.99), max: Math.max(...lateness), startSeconds: timerStartSeconds,
    leadSeconds: timerLeadMs / 1000, overlapped: timerStartSeconds * 1000 > timerLeadMs, openWhileFiring: opts.openBefore + timers,
  } : { count: 0 };
}
