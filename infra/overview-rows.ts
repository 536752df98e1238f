// The overview's small documents (models/overview.ts): the unread-flag markers' writes, and the
// one-time backfill of rows and markers for treatments and flags written before they existed.
import { FlagModel } from '../models/clinical';
import { Treatment } from '../models/treatment';
import { Patient } from '../models/patient';
import { Migration, OverviewRow, ROW_FIELDS, ROW_PATIENT_FIELDS, UnreadFlag, rowOf } from '../models/overview';
import { deleteByIdWhere, findByIdWhere, store, updateByIdWhere, upsertRacing } from './store';
import { insertOnce } from '../activities/shared';

type Filter = Record<string, unknown>;

/** The patient's fields a row shows, as `patients` holds them now. */
async function patientFields(patientKey: string | null | undefined): Promise<{ personnummer: string | null; name: string | null }> {
  const p = patientKey ? await Patient.findById(patientKey, { personnummer: 1, name: 1 }).lean() : null;
  return { personnummer: p?.personnummer ?? null, name: p?.name ?? null };
}

/**
 * The projection's write of a treatment's row (beside the treatment's, under the same guard): the
 * treatment's fields, and the patient's as `patients` holds them now, so a name given since shows
 * with the treatment's next change. Not created here: the API creates the row with the treatment.
 */
export async function writeRow(treatmentId: string, guard: Filter, fields: Record<string, unknown>): Promise<void> {
  const row = await findByIdWhere<{ patientKey?: string | null }>(OverviewRow, treatmentId, guard);
  if (!row) return;
  const $set = { ...rowOf(fields), ...(await patientFields(row.patientKey)) };
  // Without atomic conditional writes (FerretDB) the guard was checked on the read above (a
  // condition would not be atomic there anyway); with them it is tested again as the row is written.
  await OverviewRow.updateOne(store.capabilities.atomicConditionalWrites ? { _id: treatmentId, ...guard } : { _id: treatmentId }, { $set });
}

/** Gallring: the row keeps its status, unit and version; nothing of the patient. */
export async function tombstoneRow(treatmentId: string, guard: Filter, keep: { status: string; version: number; careUnitId: string }): Promise<void> {
  const $unset = Object.fromEntries([...ROW_FIELDS, ...ROW_PATIENT_FIELDS].filter((k) => !(k in keep)).map((k) => [k, 1]));
  await updateByIdWhere(OverviewRow, treatmentId, guard, { $set: keep, $unset });
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
  await insertOnce(UnreadFlag, flagId, marker);
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
  const fields = Object.fromEntries(ROW_FIELDS.map((k) => [k, 1]));
  for await (const t of Treatment.find({}, fields).lean().cursor()) {
    const version = t.version ?? 0;
    const guard = { $or: [{ version: { $lte: version } }, { version: { $exists: false } }] };
    const $set = { ...rowOf(t as unknown as Filter), ...(t.status === 'purged' ? {} : await patientFields(t.patientKey)) };
    if (await updateByIdWhere(OverviewRow, t._id, guard, { $set }, { upsert: true })) rows++;
  }
  for await (const f of FlagModel.find({ readAt: null }, { treatmentId: 1, careUnitId: 1, type: 1, ref: 1 }).lean().cursor()) {
    await insertOnce(UnreadFlag, f._id as string, { treatmentId: f.treatmentId, careUnitId: f.careUnitId, type: f.type, ref: f.ref ?? null });
    markers++;
  }
  // The API and the worker (or replicas) booting at once may both have run it (it is idempotent):
  // the second to record it finds the first's record.
  await upsertRacing(() => Migration.updateOne({ _id: BACKFILL }, { $setOnInsert: { at: new Date() } }, { upsert: true }));
  return { rows, markers };
}
