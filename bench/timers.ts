// The timer experiment behind docs/performance.md, "Worker settings": N treatments whose module
// deadlines all fall within one minute, on a fresh system whose worker takes the WORKER_* settings
// of the environment; prints the lateness (timeline `module_closed` at − deadline) and where it
// comes from, read from each treatment's history. One setting per run:
//   WORKER_MAX_CONCURRENT_WORKFLOW_TASKS=100 node --expose-gc ./node_modules/tsx/dist/cli.mjs bench/timers.ts
// TIMERS_COUNT (default 1000) deadlines, spread evenly over TIMERS_WINDOW_S (default 60) seconds that
// begin TIMERS_LEAD_S seconds after the first start (default: once
// all can have been started, at the start rate of a warm-up batch); TIMERS_LABEL names the run in
// bench/timers.jsonl, where each run appends one line.
import './env';
import { randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { tsToMs } from '@temporalio/common/lib/time';
import type { temporal } from '@temporalio/proto';
import { planOf } from '../domain/program';
import { loadPrograms } from '../infra/programs';
import { TimelineModel } from '../models/clinical';
import { activateUpdate, TREATMENT_WORKFLOW, workflowIdFor } from '../workflows/definitions';
import type { TreatmentInput } from '../domain/types';
import { startBenchSystem } from './system';

const COUNT = Number(process.env.TIMERS_COUNT ?? 1000);
const WINDOW_S = Number(process.env.TIMERS_WINDOW_S ?? 60);
const LEAD_S = process.env.TIMERS_LEAD_S ? Number(process.env.TIMERS_LEAD_S) : undefined;
const LABEL = process.env.TIMERS_LABEL ?? 'run';
const log = (line: string) => process.stdout.write(`${line}\n`);
const quantile = (xs: number[], q: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN; };
const summary = (xs: number[]) => ({ n: xs.length, p50: quantile(xs, 0.5), p90: quantile(xs, 0.9), p99: quantile(xs, 0.99), max: Math.max(...xs) });

async function pool<T>(items: T[], concurrency: number, fn: (item: T) => Promise<unknown>) {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => { while (next < items.length) await fn(items[next++]!); }));
}

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
const EventType = { WFT_SCHEDULED: 5, WFT_STARTED: 6, WFT_COMPLETED: 7, ACTIVITY_SCHEDULED: 10, ACTIVITY_COMPLETED: 12, TIMER_STARTED: 17, TIMER_FIRED: 18 } as const;
const timeOf = (e: HistoryEvent) => tsToMs(e.eventTime);

/** Where one treatment's lateness comes from, read from its history (all times in ms). */
function anatomy(events: HistoryEvent[], deadline: number) {
  const byId = new Map(events.map((e, i) => [Number(e.eventId), i]));
  const dueOf = (started: HistoryEvent) => timeOf(started) + tsToMs(started.timerStartedEventAttributes!.startToFireTimeout);
  // The timer for this deadline: the fired one whose due time is nearest to it.
  let fired = -1;
  let startedAt = -1;
  for (let i = 0; i < events.length; i++) {
    if (events[i]!.eventType !== EventType.TIMER_FIRED) continue;
    const s = byId.get(Number(events[i]!.timerFiredEventAttributes!.startedEventId))!;
    if (fired < 0 || Math.abs(dueOf(events[s]!) - deadline) < Math.abs(dueOf(events[startedAt]!) - deadline)) { fired = i; startedAt = s; }
  }
  if (fired < 0) return null;
  const started = events[startedAt]!;
  // The task that started the timer: its WorkflowTaskStarted is the workflow's Date.now() when it set the sleep.
  const setTaskStarted = events.slice(0, startedAt).reverse().find((e) => e.eventType === EventType.WFT_STARTED)!;
  const scheduled = events.slice(fired).find((e) => e.eventType === EventType.WFT_SCHEDULED);
  const taskStarted = events.slice(fired).find((e) => e.eventType === EventType.WFT_STARTED);
  const due = dueOf(started);
  // The timeline entry is written by the first recordEvent activity after the timer fired.
  const recordScheduled = events.slice(fired).find((e) => e.eventType === EventType.ACTIVITY_SCHEDULED && e.activityTaskScheduledEventAttributes?.activityType?.name === 'recordEvent');
  const recordCompleted = recordScheduled && events.slice(fired).find((e) => e.eventType === EventType.ACTIVITY_COMPLETED
    && Number(e.activityTaskCompletedEventAttributes?.scheduledEventId) === Number(recordScheduled.eventId));
  return {
    /** The task that set the timer: from its start (the workflow's clock) to the server starting the timer (its completion). */
    setTaskMs: timeOf(started) - timeOf(setTaskStarted),
    /** The server: the timer's TimerFired after its due time. */
    fireMs: timeOf(events[fired]!) - due,
    /** TimerFired to the next task scheduled (normally the same instant). */
    scheduleMs: scheduled ? timeOf(scheduled) - timeOf(events[fired]!) : NaN,
    /** The workflow task that handles the timer: scheduled to started (its wait in the task queue). */
    scheduleToStartMs: scheduled && taskStarted ? timeOf(taskStarted) - timeOf(scheduled) : NaN,
    /** Its start (the clock the workflow reads as `at`) after the deadline. */
    taskStartedLateMs: taskStarted ? timeOf(taskStarted) - deadline : NaN,
    /** The module_closed event written to the timeline (recordEvent completed) after the deadline: what a clinician can see. */
    writtenLateMs: recordCompleted ? timeOf(recordCompleted) - deadline : NaN,
    /** When the timeline entry was written (epoch ms). */
    writtenAt: recordCompleted ? timeOf(recordCompleted) : NaN,
    /** Was it a sticky task (the cached workflow) or one any worker could take (replayed)? */
    sticky: scheduled?.workflowTaskScheduledEventAttributes?.taskQueue?.kind === 2,
  };
}

async function main() {
  const settings = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('WORKER_')));
  log(`Timers (${LABEL}): ${COUNT} deadlines within ${WINDOW_S} s; settings ${JSON.stringify(settings)}`);
  const t0 = Date.now();
  const system = await startBenchSystem('timers', log);
  log(`  servers up in ${((Date.now() - t0) / 1000).toFixed(1)} s; worker ${JSON.stringify(system.config.worker)}`);
  const { client } = system;
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const rssBefore = process.memoryUsage().rss;
  const tq = system.config.temporal.taskQueue;
  const base = planOf(loadPrograms().get('tobakshjalpen')!);

  // The minute of deadlines begins once all can have been started: the start rate is measured on a
  // warm-up batch (treatments without a deadline, left open) unless TIMERS_LEAD_S fixes the lead.
  const warm = Date.now();
  await pool(Array.from({ length: 64 }, (_, i) => i), 32, async () => {
    const treatmentId = randomUUID();
    const handle = await client.workflow.start(TREATMENT_WORKFLOW, { workflowId: workflowIdFor(treatmentId), taskQueue: tq, args: [{ treatmentId, careUnitId: 'bench-warm', clinicianId: 'x', openSlotKey: `slot-${treatmentId}`, startedAt: Date.now(), plan: base }] });
    await handle.executeUpdate(activateUpdate);
  });
  const rate = 64 / ((Date.now() - warm) / 1000);
  const leadS = LEAD_S ?? Math.ceil((COUNT / rate) * 1.6 + 30);
  log(`  warm-up: ${rate.toFixed(1)} starts/s; the first deadline ${leadS} s from now`);
  const firstDeadline = Date.now() + leadS * 1000;
  const ids: string[] = [];
  const startT = Date.now();
  await pool(Array.from({ length: COUNT }, (_, i) => i), 32, async (i) => {
    const target = firstDeadline + (WINDOW_S * 1000 * i) / COUNT;
    const plan = { ...base, modules: base.modules.map((m) => (m.id === 'surgery' ? { ...m, noWorkTime: undefined, openAtStart: true, workDuration: `PT${Math.max(1, (target - Date.now()) / 1000).toFixed(3)}S` } : m)) };
    const treatmentId = randomUUID();
    const input: TreatmentInput = { treatmentId, careUnitId: 'bench-timer', clinicianId: 'x', openSlotKey: `slot-${treatmentId}`, startedAt: Date.now(), plan };
    const handle = await client.workflow.start(TREATMENT_WORKFLOW, { workflowId: workflowIdFor(treatmentId), taskQueue: tq, args: [input] });
    await handle.executeUpdate(activateUpdate);
    ids.push(treatmentId);
  });
  const startS = (Date.now() - startT) / 1000;
  log(`  ${COUNT} started in ${startS.toFixed(1)} s (${(COUNT / startS).toFixed(0)}/s); first deadline in ${((firstDeadline - Date.now()) / 1000).toFixed(1)} s`);
  if (Date.now() > firstDeadline) log('  NOTE: the starts ran past the first deadline; starting and firing overlapped');

  gc?.();
  const rss0 = process.memoryUsage().rss;
  log(`  process RSS ${(rss0 / 2 ** 20).toFixed(0)} MB, ${((rss0 - rssBefore) / (COUNT + 64) / 2 ** 20).toFixed(3)} MB per open treatment (${COUNT + 64} open, cache ${system.config.worker.maxCachedWorkflows})`);
  const waitUntil = firstDeadline + WINDOW_S * 1000 + 240_000;
  let closed: Array<{ treatmentId: string; at: Date; data?: unknown }> = [];
  while (Date.now() < waitUntil) {
    await new Promise((r) => setTimeout(r, 2000));
    closed = await TimelineModel.find({ treatmentId: { $in: ids }, type: 'module_closed', moduleId: 'surgery' }, { treatmentId: 1, at: 1, data: 1 }).lean();
    if (closed.length >= COUNT) break;
  }
  const deadlines = closed.map((e) => Number((e.data as { deadline: number }).deadline));
  const lateness = closed.map((e, i) => e.at.getTime() - deadlines[i]!);
  const span = (Math.max(...deadlines) - Math.min(...deadlines)) / 1000;
  const late = summary(lateness);
  log(`  ${closed.length}/${COUNT} closed; deadlines span ${span.toFixed(1)} s; lateness p50 ${late.p50} p90 ${late.p90} p99 ${late.p99} max ${late.max} ms`);

  // Where it comes from: every treatment's history (fetched after the measurement).
  const parts: Array<NonNullable<ReturnType<typeof anatomy>>> = [];
  await pool(closed, 8, async (e) => {
    const history = await client.workflow.getHandle(workflowIdFor(e.treatmentId)).fetchHistory();
    const a = anatomy(history.events ?? [], Number((e.data as { deadline: number }).deadline));
    if (a) parts.push(a);
  });
  const breakdown = {
    setTaskMs: summary(parts.map((p) => p.setTaskMs)),
    fireMs: summary(parts.map((p) => p.fireMs)),
    scheduleMs: summary(parts.map((p) => p.scheduleMs)),
    scheduleToStartMs: summary(parts.map((p) => p.scheduleToStartMs)),
    taskStartedLateMs: summary(parts.map((p) => p.taskStartedLateMs)),
    writtenLateMs: summary(parts.map((p) => p.writtenLateMs)),
    stickyShare: parts.filter((p) => p.sticky).length / Math.max(1, parts.length),
    // The worker's capacity while firing: deadlines handled per second from the first deadline to the last entry written.
    firesPerS: parts.length / ((Math.max(...parts.map((p) => p.writtenAt)) - Math.min(...deadlines)) / 1000),
  };
  for (const [k, v] of Object.entries(breakdown)) log(`    ${k}: ${JSON.stringify(v)}`);
  const line = {
    label: LABEL, startRate: rate, leadS, at: new Date().toISOString(), count: COUNT, windowS: WINDOW_S, spanS: span, startSeconds: startS,
    settings, worker: system.config.worker, lateness: late, breakdown, rssMb: Math.round(rss0 / 2 ** 20), mbPerOpen: (rss0 - rssBefore) / (COUNT + 64) / 2 ** 20, loadavg: (await import('node:os')).loadavg(),
  };
  appendFileSync(path.join(__dirname, 'timers.jsonl'), `${JSON.stringify(line)}\n`);
  await system.stop();
}

main().then(() => process.exit(0), (err) => { console.error(err); process.exit(1); });
