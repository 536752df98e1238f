// The clinician's overview (Mina patienter): pages of treatments in any order, searched by name,
// and unread flags per treatment. Read-only; the access log is the caller's (api/treatments/routes.ts).
import { Patient, type PatientDoc } from '../../models/patient';
import { Treatment, type TreatmentRecord } from '../../models/treatment';
import { FlagModel } from '../../models/clinical';
import { findByIds, store } from '../../infra/store';

/**
 * One page of treatments, newest first, and how many match. MongoDB answers both from the
 * (careUnitId, startedAt) index. FerretDB on SQLite reads the whole collection for any filter
 * but `_id`, so there it reads it once, ids and start times only, and fetches the page by _id.
 */
export async function page(filter: Record<string, unknown>, page: number, pageSize: number): Promise<{ docs: TreatmentRecord[]; total: number }> {
  const skip = (page - 1) * pageSize;
  if (!store.idOnlyPushdown) {
    const [docs, total] = await Promise.all([
      Treatment.find(filter).sort({ startedAt: -1, _id: 1 }).skip(skip).limit(pageSize).lean<TreatmentRecord[]>(),
      Treatment.countDocuments(filter),
    ]);
    return { docs, total };
  }
  const all = await Treatment.find(filter, { _id: 1, startedAt: 1 }).lean<Array<{ _id: string; startedAt?: Date }>>();
  // A purged treatment keeps no start time (gallring): it sorts last.
  all.sort((a, b) => (b.startedAt?.getTime() ?? 0) - (a.startedAt?.getTime() ?? 0) || (a._id < b._id ? -1 : a._id > b._id ? 1 : 0));
  const ids = all.slice(skip, skip + pageSize).map((d) => d._id);
  const byId = new Map((await findByIds<TreatmentRecord>(Treatment, ids)).map((d) => [d._id, d]));
  // A treatment purged between the two reads is left out rather than shown half.
  return { docs: ids.map((id) => byId.get(id)).filter((d): d is TreatmentRecord => d !== undefined), total: all.length };
}

/**
 * A page in any order of the overview, or searched by name: the matching treatments are read
 * once (small fields), the names and unread flags they are sorted or searched by beside them,
 * and the page fetched by _id. Its cost grows with the unit (issue 16 plans compact rows for it).
 */
export async function pageSorted(filter: Record<string, unknown>, q: { sort: string; name: string | null; page: number; pageSize: number }): Promise<{ docs: TreatmentRecord[]; total: number }> {
  type Row = { _id: string; startedAt?: Date; lastActiveAt?: Date | null; patientKey?: string };
  let rows = await Treatment.find(filter, { _id: 1, startedAt: 1, lastActiveAt: 1, patientKey: 1 }).lean<Row[]>();
  const key = q.sort.replace(/^-/, '');
  const needNames = q.name !== null || key === 'name';
  const names = needNames
    ? new Map((await findByIds<PatientDoc & { _id: string }>(Patient, [...new Set(rows.flatMap((r) => (r.patientKey ? [r.patientKey] : [])))])).map((p) => [p._id, p.name ?? '']))
    : new Map<string, string>();
  if (q.name !== null) {
    const wanted = q.name.toLocaleLowerCase('sv');
    rows = rows.filter((r) => (names.get(r.patientKey ?? '') ?? '').toLocaleLowerCase('sv').includes(wanted));
  }
  const flags = key === 'unreadFlags' ? await unreadFlagCounts(rows.map((r) => r._id)) : new Map<string, number>();
  const value = (r: Row): number | string => {
    if (key === 'name') return names.get(r.patientKey ?? '') ?? '';
    if (key === 'unreadFlags') return flags.get(r._id) ?? 0;
    if (key === 'lastActiveAt') return r.lastActiveAt?.getTime() ?? 0;
    return r.startedAt?.getTime() ?? 0;
  };
  const direction = q.sort.startsWith('-') ? -1 : 1;
  const collator = new Intl.Collator('sv');
  rows.sort((a, b) => {
    const va = value(a);
    const vb = value(b);
    const c = typeof va === 'string' ? collator.compare(va, vb as string) : va - (vb as number);
    return direction * c || (a._id < b._id ? -1 : a._id > b._id ? 1 : 0);
  });
  const ids = rows.slice((q.page - 1) * q.pageSize, q.page * q.pageSize).map((r) => r._id);
  const byId = new Map((await findByIds<TreatmentRecord>(Treatment, ids)).map((d) => [d._id, d]));
  return { docs: ids.map((id) => byId.get(id)).filter((d): d is TreatmentRecord => d !== undefined), total: rows.length };
}

/** Unread flags per treatment, counted from the flags themselves. */
export async function unreadFlagCounts(treatmentIds: string[]): Promise<Map<string, number>> {
  const rows = await FlagModel.aggregate<{ _id: string; n: number }>([
    { $match: { treatmentId: { $in: treatmentIds }, readAt: null } },
    { $group: { _id: '$treatmentId', n: { $sum: 1 } } },
  ]);
  return new Map(rows.map((r) => [r._id, r.n]));
}
