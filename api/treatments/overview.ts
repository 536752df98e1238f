// The clinician's overview (Mina patienter): pages of treatments in any order, filtered and
// searched, with their unread flags. It reads the overview's small documents (models/overview.ts),
// never the treatments. Read-only; the access log is the caller's (api/treatments/routes.ts).
import { Patient, type PatientDoc } from '../../models/patient';
import { OverviewRow, UnreadFlag, type OverviewRowRecord } from '../../models/overview';
import { findByIds, store } from '../../infra/store';

export interface OverviewQuery {
  /** `startedAt`, `lastActiveAt`, `name` or `unreadFlags`, `-` first for descending. */
  sort: string;
  /** Part of a name (a personnummer is a filter on patientKey instead). */
  name: string | null;
  /** Only treatments with (true) or without (false) unread flags. */
  flagged?: 'true' | 'false';
  page: number;
  pageSize: number;
}

export interface OverviewPage {
  rows: OverviewRowRecord[];
  total: number;
  /** Unread flags of the rows on the page. */
  unread: Map<string, number>;
  /** The patients of the rows on the page, by patientKey. */
  patients: Map<string, PatientDoc & { _id: string }>;
}

/** Above this many patients a name search reads the patients once instead of one by one (FerretDB). */
const PATIENTS_BY_ID_MAX = 200;

/**
 * One page of the overview and how many rows match. On MongoDB the default views (by start or by
 * last activity, any status, mine or not) are one indexed query with skip and limit and one
 * indexed count. Otherwise (FerretDB, which decodes every row for any filter but `_id`; a search
 * by name; an order by unread flags; the flagged filter) the unit's rows are read once (small
 * documents), filtered, sorted and counted here: the scan is the floor and counting is free.
 * `alongside` runs once the page's rows are known, beside the reads of their patients and flags.
 */
export async function overviewPage(
  filter: Record<string, unknown>, q: OverviewQuery, alongside: (rows: OverviewRowRecord[]) => Promise<void> = async () => undefined,
): Promise<OverviewPage> {
  const key = q.sort.replace(/^-/, '');
  const direction = q.sort.startsWith('-') ? -1 : 1;
  const skip = (q.page - 1) * q.pageSize;
  const indexed = !store.idOnlyPushdown && q.name === null && q.flagged === undefined && (key === 'startedAt' || key === 'lastActiveAt');
  let rows: OverviewRowRecord[];
  let total: number;
  let unread: Map<string, number> | null = null;
  let patients: Map<string, PatientDoc & { _id: string }> | null = null;
  if (indexed) {
    // The tie on _id runs against the sort, as the index (key -1, _id 1) read either way gives it.
    [rows, total] = await Promise.all([
      OverviewRow.find(filter).sort({ [key]: direction, _id: direction === 1 ? -1 : 1 } as Record<string, 1 | -1>).skip(skip).limit(q.pageSize).lean<OverviewRowRecord[]>(),
      OverviewRow.countDocuments(filter),
    ]);
  } else {
    let all = await OverviewRow.find(filter).lean<OverviewRowRecord[]>();
    if (q.flagged !== undefined || key === 'unreadFlags') {
      unread = await unreadCounts({ careUnitId: filter.careUnitId });
      const counts = unread;
      if (q.flagged !== undefined) all = all.filter((r) => counts.has(r._id) === (q.flagged === 'true'));
    }
    if (q.name !== null || key === 'name') {
      patients = await patientsOf(all);
      const names = patients;
      if (q.name !== null) {
        const wanted = q.name.toLocaleLowerCase('sv');
        all = all.filter((r) => (names.get(r.patientKey ?? '')?.name ?? '').toLocaleLowerCase('sv').includes(wanted));
      }
    }
    const counts = unread;
    const names = patients;
    const value = (r: OverviewRowRecord): number | string => {
      if (key === 'name') return names!.get(r.patientKey ?? '')?.name ?? '';
      if (key === 'unreadFlags') return counts!.get(r._id) ?? 0;
      // A purged treatment keeps no times (gallring): it sorts as the earliest.
      return (key === 'lastActiveAt' ? r.lastActiveAt : r.startedAt)?.getTime() ?? 0;
    };
    const collator = new Intl.Collator('sv');
    all.sort((a, b) => {
      const va = value(a);
      const vb = value(b);
      const c = typeof va === 'string' ? collator.compare(va, vb as string) : va - (vb as number);
      return direction * (c || (a._id < b._id ? 1 : a._id > b._id ? -1 : 0));
    });
    total = all.length;
    rows = all.slice(skip, skip + q.pageSize);
  }
  const ids = rows.map((r) => r._id);
  const [pageUnread, pagePatients] = await Promise.all([
    unread ?? unreadCounts({ treatmentId: { $in: ids } }),
    patients ?? patientsOf(rows),
    alongside(rows),
  ]);
  return { rows, total, unread: pageUnread, patients: pagePatients };
}

/** Unread flags per treatment, from their markers (a small collection: only what is unread). */
export async function unreadCounts(filter: Record<string, unknown>): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const m of await UnreadFlag.find(filter, { treatmentId: 1 }).lean()) counts.set(m.treatmentId, (counts.get(m.treatmentId) ?? 0) + 1);
  return counts;
}

/** Unread flags of these treatments. */
export function unreadFlagCounts(treatmentIds: string[]): Promise<Map<string, number>> {
  return unreadCounts({ treatmentId: treatmentIds.length === 1 ? treatmentIds[0] : { $in: treatmentIds } });
}

async function patientsOf(rows: OverviewRowRecord[]): Promise<Map<string, PatientDoc & { _id: string }>> {
  const keys = [...new Set(rows.flatMap((r) => (r.patientKey ? [r.patientKey] : [])))];
  let patients: Array<PatientDoc & { _id: string }>;
  if (store.idOnlyPushdown && keys.length > PATIENTS_BY_ID_MAX) {
    // One read of every patient beats thousands of reads by _id on a store that scans anyway.
    const wanted = new Set(keys);
    patients = (await Patient.find({}, { personnummer: 1, name: 1 }).lean<Array<PatientDoc & { _id: string }>>()).filter((p) => wanted.has(p._id));
  } else {
    patients = await findByIds<PatientDoc & { _id: string }>(Patient, keys);
  }
  return new Map(patients.map((p) => [p._id, p]));
}
