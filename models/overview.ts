import { Schema, model, type InferSchemaType } from 'mongoose';

// The clinician's overview (Mina patienter) reads these small documents, never the treatments:
// a treatment's read model carries every module, section and follow-up (≈10 KB), and FerretDB 1.x
// decodes every document of a collection for any filter but `_id` (infra/store.ts). A row is the
// fields the overview shows, filters and sorts by (the patient's personnummer and name included),
// written beside the treatment by the same version-guarded projection (activities/read-model.ts),
// and by the API when it creates one.
const overviewRowSchema = new Schema(
  {
    _id: { type: String, required: true },
    careUnitId: { type: String, required: true },
    clinicianId: { type: String, default: null },
    status: { type: String, required: true },
    patientKey: { type: String, default: null },
    startedAt: { type: Date, default: null },
    lastActiveAt: { type: Date, default: null },
    currentModuleId: { type: String, default: null },
    // What the list shows of the patient, copied from `patients` by the projection at each write
    // (the page needs no read of the patients); gone with gallring like the rest of the row.
    personnummer: { type: String, default: null },
    name: { type: String, default: null },
    version: { type: Number, default: 0 },
  },
  { versionKey: false },
);
// On MongoDB each of the overview's queries is served by one of these (docs/performance.md, "The overview"):
// the default order and every page of it,
overviewRowSchema.index({ careUnitId: 1, startedAt: -1, _id: 1 });
// the status filter (Aktiva, Avslutade, …) in that order,
overviewRowSchema.index({ careUnitId: 1, status: 1, startedAt: -1, _id: 1 });
// "Mina patienter" (mine=true),
overviewRowSchema.index({ careUnitId: 1, clinicianId: 1, startedAt: -1, _id: 1 });
// the order by last activity,
overviewRowSchema.index({ careUnitId: 1, lastActiveAt: -1, _id: 1 });
// and a search by personnummer (its keyed hash).
overviewRowSchema.index({ patientKey: 1 });

export type OverviewRowDoc = InferSchemaType<typeof overviewRowSchema>;
export type OverviewRowRecord = OverviewRowDoc & { _id: string };
export const OverviewRow = model('OverviewRow', overviewRowSchema, 'overview_rows');

/** The treatment fields a row copies (the rest of the read model stays out of it). */
export const ROW_FIELDS = ['careUnitId', 'clinicianId', 'status', 'patientKey', 'startedAt', 'lastActiveAt', 'currentModuleId', 'version'] as const;

/** The patient fields a row copies. */
export const ROW_PATIENT_FIELDS = ['personnummer', 'name'] as const;

export function rowOf(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(ROW_FIELDS.filter((k) => k in fields).map((k) => [k, fields[k]]));
}

// One document per unread flag, _id the flag's: it exists from the flag's raising until a clinician
// reads it. The overview's unread counts, its "flagged" filter and its order by unread flags count
// these, a small collection, instead of every flag ever raised. A counter in the row would have two
// writers (the workflow raising, a clinician reading) and FerretDB has no atomic read-modify-write:
// an insert and a delete by _id are the writes that are atomic on every store we run on.
const unreadFlagSchema = new Schema(
  {
    _id: { type: String, required: true },
    treatmentId: { type: String, required: true },
    careUnitId: { type: String, required: true },
    type: { type: String, required: true },
    ref: { type: String, default: null },
  },
  { versionKey: false },
);
unreadFlagSchema.index({ careUnitId: 1, treatmentId: 1 });
unreadFlagSchema.index({ treatmentId: 1, type: 1 });
export const UnreadFlag = model('UnreadFlag', unreadFlagSchema, 'unread_flags');

// One-time data migrations that have run (e.g. `overview-rows-1`): a boot skips what is here.
const migrationSchema = new Schema({ _id: { type: String, required: true }, at: { type: Date, required: true } }, { versionKey: false });
export const Migration = model('Migration', migrationSchema, 'migrations');
