// The clinician's overview (Mina patienter): pages of treatments in any order, filtered and
// searched, with their unread flags. It reads the overview's small documents (models/overview.ts),
// never the treatments. Read-only; the access log is the caller's (api/treatments/routes.ts).
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
  /** The page's unread flags by type, per treatment (the Flaggor column names them). */
  unreadTypes: Map<string, Map<string, number>>;
}

/**
 * One page of the overview and how many rows match. Two strategies, chosen by the store's
 * capabilities (infra/store.ts). With `indexedFilters` and `indexedCounts` (MongoDB) the default
 * views (by start or by last activity, any status, mine or not) are one indexed query with skip and
 * limit and one indexed count. Otherwise (FerretDB, which decodes every row for any filter but `_id`; a search
 * or an order by name, in Swedish collation; an order by unread flags; the flagged filter) the
 * unit's rows are read once (their sort key only), filtered, sorted and counted here, and the
 * page's rows read by _id: the scan is the floor and counting is free.
 * Rows carry what the list shows of the patient: no read of the patients. `alongside` runs once
 * the page's rows are known, beside the read of their unread flags.
 */
/** Rows of a filter below which a scan reads them whole (bench/overview-profile.ts). */
const WHOLE_ROWS_BELOW = 2000;
/** How many rows each filter matched last time, by filter: only a hint for the next read. */
const lastTotal = new Map<string, number>();

export async function overviewPage(
  filter: Record<string, unknown>, q: OverviewQuery, alongside: (rows: OverviewRowRecord[]) => Promise<void> = async () => undefined,
): Promise<OverviewPage> {
  const key = q.sort.replace(/^-/, '');
  const direction = q.sort.startsWith('-') ? -1 : 1;
  const skip = (q.page - 1) * q.pageSize;
  const indexed = store.capabilities.indexedFilters && store.capabilities.indexedCounts && q.name === null && q.flagged === undefined && (key === 'startedAt' || key === 'lastActiveAt');
  let rows: OverviewRowRecord[];
  let total: number;
  let unread: Map<string, number> | null = null;
  if (indexed) {
    // The tie on _id runs against the sort, as the index (key -1, _id 1) read either way gives it.
    [rows, total] = await Promise.all([
      OverviewRow.find(filter).sort({ [key]: direction, _id: direction === 1 ? -1 : 1 } as Record<string, 1 | -1>).skip(skip).limit(q.pageSize).lean<OverviewRowRecord[]>(),
      OverviewRow.countDocuments(filter),
    ]);
  } else {
    // Only what the order and the name search need, in one batch (a FerretDB scan costs less the
    // less it sends: 10,000 rows whole 0.9 s, their start times alone 0.6 s; bench/overview-profile.ts);
    // the page's rows are then read by _id.
    // Below about 2,000 rows the whole rows cost less than 100 more reads by _id: the size this
    // filter had last time (a hint, in this process) decides.
    const hintKey = JSON.stringify(filter);
    const whole = (lastTotal.get(hintKey) ?? 0) < WHOLE_ROWS_BELOW;
    const fields: Record<string, 1> = { _id: 1 };
    if (key !== 'unreadFlags') fields[key] = 1;
    if (q.name !== null) fields.name = 1;
    let all = await OverviewRow.find(filter, whole ? undefined : fields).batchSize(100_000).lean<OverviewRowRecord[]>();
    if (lastTotal.size > 1000) lastTotal.clear();
    lastTotal.set(hintKey, all.length);
    if (q.flagged !== undefined || key === 'unreadFlags') {
      const counts = await unreadCounts({ careUnitId: filter.careUnitId });
      unread = counts;
      if (q.flagged !== undefined) all = all.filter((r) => counts.has(r._id) === (q.flagged === 'true'));
    }
    if (q.name !== null) {
      const wanted = q.name.toLocaleLowerCase('sv');
      all = all.filter((r) => (r.name ?? '').toLocaleLowerCase('sv').includes(wanted));
    }
    const counts = unread;
    const value = (r: OverviewRowRecord): number | string => {
      if (key === 'name') return r.name ?? '';
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
    const page = all.slice(skip, skip + q.pageSize);
    if (whole) {
      rows = page;
    } else {
      const byId = new Map((await findByIds<OverviewRowRecord>(OverviewRow, page.map((r) => r._id))).map((r) => [r._id, r]));
      rows = page.flatMap((r) => byId.get(r._id) ?? []);
    }
  }
  const [unreadTypes] = await Promise.all([unreadFlagTypes(rows.map((r) => r._id)), alongside(rows)]);
  const pageUnread = new Map([...unreadTypes].map(([id, types]) => [id, [...types.values()].reduce((a, b) => a + b, 0)]));
  return { rows, total, unread: pageUnread, unreadTypes };
}

/** Unread flags of these treatments, counted by type. */
export async function unreadFlagTypes(treatmentIds: string[]): Promise<Map<string, Map<string, number>>> {
  const byTreatment = new Map<string, Map<string, number>>();
  for (const m of await UnreadFlag.find({ treatmentId: { $in: treatmentIds } }, { treatmentId: 1, type: 1 }).lean()) {
    const types = byTreatment.get(m.treatmentId) ?? new Map<string, number>();
    types.set(m.type, (types.get(m.type) ?? 0) + 1);
    byTreatment.set(m.treatmentId, types);
  }
  return byTreatment;
}

/** Unread flags per treatment, from their markers (a small collection: only what is unread). */
export async function unreadCounts(filter: Record<string, unknown>): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const m of await UnreadFlag.find(filter, { treatmentId: 1 }).lean()) counts.set(m.treatmentId, (counts.get(m.treatmentId) ?? 0) + 1);
  return counts;
}

/** Unread flags of these treatments. */
export function unreadFlagCounts(treatmentIds: string[]): Promise<Map<string, number>> {
  return unreadCounts({ treatmentId: { $in: treatmentIds } });
}
