// Statistik from the anonymous facts of the treatment read model (and of gallring's facts), summed
// by Swedish day (domain/statistics-days.ts). The nightly snapshot stores the days of each care
// unit; a range that ends before the snapshot's night is answered from it, any other live.
import type { Program } from './programs';
import { Treatment } from '../models/treatment';
import { StatisticsFacts, StatisticsSnapshot } from '../models/statistics';
import type { RawStatistics } from '../domain/statistics';
import { dailyFacts, statisticsFromDays, type Days, type FactRow } from '../domain/statistics-days';
import { swedishDate, swedishWallTime } from '../domain/durations';
import { findByIds } from './store';

/** Whole days, both inclusive (YYYY-MM-DD); null: open-ended. */
export interface StatisticsFilter { careUnits: string[] | null; programId?: string; from: string | null; to: string | null }

/** Where an answer came from: the snapshot of a night, or the store now. */
export type StatisticsSource = { kind: 'snapshot' | 'snapshot+live'; date: string } | { kind: 'live' };

const FIELDS = { careUnitId: 1, status: 1, startedAt: 1, activatedAt: 1, endedAt: 1, endReason: 1, programId: 1, modules: 1, followUps: 1 };

/**
 * Every treatment's facts in scope: open ones from the read model, purged ones from gallring's
 * facts; with `since`, only those with something (a start, an activation, an end) from then on.
 */
async function factRows(careUnits: string[] | null, programId?: string, since?: Date): Promise<FactRow[]> {
  const filter: Record<string, unknown> = {};
  if (careUnits) filter.careUnitId = { $in: careUnits };
  if (programId) filter.programId = programId;
  if (since) filter.$or = [{ startedAt: { $gte: since } }, { activatedAt: { $gte: since } }, { endedAt: { $gte: since } }];
  const [open, purged] = [await Treatment.find(filter, FIELDS).lean(), await StatisticsFacts.find(filter, FIELDS).lean()];
  return [...(open as unknown as FactRow[]).filter((d) => d.status !== 'purged'), ...(purged as unknown as FactRow[])];
}

const closingFormsOf = (programs: Map<string, Program>) => (programId: string) =>
  (programs.get(programId)?.modules ?? []).flatMap((m) => m.forms.filter((x) => x.closingQuestions).map((x) => ({ moduleId: m.id, formId: x.id })));

function answer(unitDays: Days[], f: StatisticsFilter, programs: Map<string, Program>): RawStatistics {
  const program = programs.get(f.programId ?? 'tobakshjalpen');
  return statisticsFromDays(unitDays, {
    from: f.from, to: f.to, programId: f.programId,
    moduleOrder: program?.modules.map((m) => m.id) ?? [], followUpDurations: program?.durations.followUps ?? [],
  });
}

/** The live answer: every treatment in scope read now. */
export async function computeStatistics(f: StatisticsFilter, programs: Map<string, Program>): Promise<RawStatistics> {
  const rows = await factRows(f.careUnits, f.programId);
  return answer(Object.values(dailyFacts(rows, closingFormsOf(programs))), f, programs);
}

/** The nightly snapshot: the days of every care unit as they stand tonight, then the index that makes it complete. */
export async function writeStatisticsSnapshot(date: string, programs: Map<string, Program>): Promise<{ careUnits: number; treatments: number }> {
  const rows = await factRows(null);
  const units = dailyFacts(rows, closingFormsOf(programs));
  const computedAt = new Date();
  for (const [unit, days] of Object.entries(units)) {
    await StatisticsSnapshot.updateOne({ _id: `${date}|unit|${unit}` }, { $set: { date, careUnitId: unit, days, computedAt } }, { upsert: true });
  }
  await StatisticsSnapshot.updateOne({ _id: `${date}|index` }, { $set: { date, units: Object.keys(units), computedAt, complete: true } }, { upsert: true });
  return { careUnits: Object.keys(units).length, treatments: rows.length };
}

/**
 * Statistik for a range, from the latest complete snapshot (tonight's or last night's): the days
 * before its night from the snapshot, and, when the range reaches that night or later, those days
 * from the treatments with something from then on (on MongoDB an indexed query; FerretDB scans).
 * Without a snapshot, live.
 */
export async function statisticsFor(f: StatisticsFilter, programs: Map<string, Program>, now = Date.now()): Promise<{ statistics: RawStatistics; source: StatisticsSource }> {
  const nights = [swedishDate(now), swedishDate(now - 86_400_000)];
  const indexes = await findByIds<{ _id: string; date: string; units: string[]; complete?: boolean }>(StatisticsSnapshot, nights.map((d) => `${d}|index`));
  const index = nights.map((d) => indexes.find((i) => i.date === d && i.complete)).find((i) => i !== undefined);
  if (!index) return { statistics: await computeStatistics(f, programs), source: { kind: 'live' } };
  const units = f.careUnits ? index.units.filter((u) => f.careUnits!.includes(u)) : index.units;
  const docs = await findByIds<{ _id: string; days: Days }>(StatisticsSnapshot, units.map((u) => `${index.date}|unit|${u}`));
  const snapshotDays = docs.map((d) => onlyDays(d.days, (day) => day < index.date));
  if (f.to !== null && f.to < index.date) {
    return { statistics: answer(snapshotDays, f, programs), source: { kind: 'snapshot', date: index.date } };
  }
  const since = new Date(swedishMidnight(index.date));
  const recent = dailyFacts(await factRows(f.careUnits, f.programId, since), closingFormsOf(programs));
  const recentDays = Object.values(recent).map((days) => onlyDays(days, (day) => day >= index.date));
  return { statistics: answer([...snapshotDays, ...recentDays], f, programs), source: { kind: 'snapshot+live', date: index.date } };
}

const onlyDays = (days: Days, keep: (day: string) => boolean): Days => Object.fromEntries(Object.entries(days).filter(([day]) => keep(day)));

/** 00:00 of a Swedish day (YYYY-MM-DD). */
function swedishMidnight(day: string): number {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return swedishWallTime(y, m - 1, d);
}
