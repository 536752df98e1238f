// Statistik from the anonymous facts of the treatment read model, which gallring keeps.
import type { Program } from './programs';
import { Treatment } from '../models/treatment';
import { StatisticsFacts } from '../models/statistics';
import type { RawStatistics } from '../domain/statistics';

/** `from` inclusive, `to` exclusive (see domain/statistics.ts dayRange). */
export interface StatisticsFilter { careUnits: string[] | null; programId?: string; from: Date | null; to: Date | null }

export async function computeStatistics(f: StatisticsFilter, programs: Map<string, Program>): Promise<RawStatistics> {
  const inRange = (d: Date | null | undefined) => !!d && (!f.from || d >= f.from) && (!f.to || d < f.to);
  // Active at any time in the range: activated before it ends, not ended before it starts.
  const activeInRange = (d: { activatedAt?: Date | null; endedAt?: Date | null }) =>
    !!d.activatedAt && (!f.to || d.activatedAt < f.to) && (!d.endedAt || !f.from || d.endedAt >= f.from);
  const filter: Record<string, unknown> = {};
  if (f.careUnits) filter.careUnitId = { $in: f.careUnits };
  if (f.programId) filter.programId = f.programId;
  const fields = { status: 1, startedAt: 1, activatedAt: 1, endedAt: 1, endReason: 1, programId: 1, modules: 1, followUps: 1 };
  // Purged treatments count through their anonymous facts (gallring keeps nothing else of them).
  const open = await Treatment.find(filter, fields).lean();
  const purged = await StatisticsFacts.find(filter, fields).lean() as unknown as typeof open;
  const docs = [...open.filter((d) => d.status !== 'purged'), ...purged];

  const started = docs.filter((d) => inRange(d.startedAt));
  const ended = docs.filter((d) => inRange(d.endedAt));
  const byReason: Record<string, number> = {};
  for (const d of ended) byReason[d.endReason ?? 'unknown'] = (byReason[d.endReason ?? 'unknown'] ?? 0) + 1;
  const moduleIds = [...new Set(started.flatMap((d) => d.modules.map((m) => m.id)))];
  const moduleCompletion = moduleIds.map((moduleId) => {
    const opened = started.filter((d) => d.modules.some((m) => m.id === moduleId && m.state !== 'locked')).length;
    const completed = started.filter((d) => d.modules.some((m) => m.id === moduleId && m.state === 'completed')).length;
    return { moduleId, opened, completed, completionRate: opened ? completed / opened : null };
  });
  const program = programs.get(f.programId ?? 'tobakshjalpen');
  const followUps = (program?.durations.followUps ?? []).map((after, index) => {
    const facts = started.flatMap((d) => (d.followUps ?? []).filter((x) => x.index === index && x.openedAt));
    const answered = facts.filter((x) => x.answeredAt);
    const tobaccoFree = answered.filter((x) => x.tobaccoStatus === 'tobacco-free').length;
    return {
      index, after, due: facts.length, answered: answered.length, responseRate: facts.length ? answered.length / facts.length : null,
      tobaccoFree, tobaccoFreeRate: answered.length ? tobaccoFree / answered.length : null,
    };
  });
  // Avslutningsfrågor: asked when the module holding them opened; answered when sent (form ids only, no answers).
  const closing = (program?.modules ?? []).flatMap((m) => m.forms.filter((x) => x.closingQuestions).map((x) => ({ moduleId: m.id, formId: x.id })));
  const asked = started.filter((d) => closing.some((c) => d.modules.some((m) => m.id === c.moduleId && m.state !== 'locked')));
  const answeredClosing = asked.filter((d) => closing.some((c) => d.modules.some((m) => m.id === c.moduleId && (m.submittedForms ?? []).includes(c.formId))));
  return {
    started: started.length,
    active: docs.filter(activeInRange).length,
    ended: { total: ended.length, byReason },
    purged: started.filter((d) => d.status === 'purged').length,
    moduleCompletion,
    followUps,
    closingQuestions: { asked: asked.length, answered: answeredClosing.length, responseRate: asked.length ? answeredClosing.length / asked.length : null },
  };
}
