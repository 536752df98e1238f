// The overview's small documents (models/overview.ts): the unread-flag markers' writes, and the
// one-time backfill of rows and markers for treatments and flags written before they existed.
import { FlagModel } from '../models/clinical';
import { Treatment } from '../models/treatment';
import { Migration, OverviewRow, UnreadFlag, rowOf } from '../models/overview';
import { deleteByIdWhere, updateByIdWhere } from './store';

type Filter = Record<string, unknown>;

async function insertIfAbsent(model: typeof UnreadFlag, _id: string, doc: Filter): Promise<void> {
  try {
    await model.updateOne({ _id }, { $setOnInsert: doc }, { upsert: true });
  } catch (err) {
    if ((err as { code?: number }).code !== 11000) throw err;
  }
}

/**
 * A flag was raised (or its raising retried): its unread marker, unless a clinician has read the
 * flag already (a retry after the read must not make it unread again).
 */
export async function markUnread(flagId: string, fresh: boolean, marker: { treatmentId: string; careUnitId: string; type: string; ref: string | null }): Promise<void> {
  if (!fresh) {
    const flag = await FlagModel.findById(flagId, { readAt: 1 }).lean();
    if (!flag || flag.readAt) return;
  }
  await insertIfAbsent(UnreadFlag, flagId, marker);
}

/** Flags read: each flag's readAt (first read wins), then its marker goes. Idempotent. */
export async function markFlagsRead(flagIds: string[], at = new Date()): Promise<void> {
  await Promise.all(flagIds.map(async (id) => {
    await updateByIdWhere(FlagModel, id, { readAt: null }, { $set: { readAt: at } });
    await deleteByIdWhere(UnreadFlag, id, {});
  }));
}

/** The unread flags of one treatment of a type, optionally only those about `refs` (their markers). */
export async function unreadFlagIds(treatmentId: string, type: string, refs?: string[]): Promise<string[]> {
  const filter: Filter = { treatmentId, type };
  if (refs) filter.ref = { $in: refs };
  return (await UnreadFlag.find(filter, { _id: 1 }).lean()).map((m) => m._id);
}

const BACKFILL = 'overview-rows-1';

/**
 * Rows and markers for what was written before them (a store from before this release). Runs once
 * per store (a `migrations` document says it ran); a row the projection wrote meanwhile is newer
 * and stays (version guard). Returns how many rows and markers it wrote.
 */
export async function backfillOverview(): Promise<{ rows: number; markers: number } | null> {
  if (await Migration.findById(BACKFILL).lean()) return null;
  let rows = 0;
  let markers = 0;
  const fields = Object.fromEntries(['careUnitId', 'clinicianId', 'status', 'patientKey', 'startedAt', 'lastActiveAt', 'currentModuleId', 'version'].map((k) => [k, 1]));
  for await (const t of Treatment.find({}, fields).lean().cursor()) {
    const version = t.version ?? 0;
    const guard = { $or: [{ version: { $lte: version } }, { version: { $exists: false } }] };
    if (await updateByIdWhere(OverviewRow, t._id, guard, { $set: rowOf(t as unknown as Filter) }, { upsert: true })) rows++;
  }
  for await (const f of FlagModel.find({ readAt: null }, { treatmentId: 1, careUnitId: 1, type: 1, ref: 1 }).lean().cursor()) {
    await insertIfAbsent(UnreadFlag, f._id as string, { treatmentId: f.treatmentId, careUnitId: f.careUnitId, type: f.type, ref: f.ref ?? null });
    markers++;
  }
  await Migration.updateOne({ _id: BACKFILL }, { $setOnInsert: { at: new Date() } }, { upsert: true });
  return { rows, markers };
}
