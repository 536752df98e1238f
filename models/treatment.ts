import { Schema, model, type InferSchemaType } from 'mongoose';

const moduleSchema = new Schema(
  {
    id: { type: String, required: true },
    kind: { type: String, required: true },
    state: { type: String, required: true },
    progress: { type: String, required: true },
    openedAt: { type: Date, default: null },
    deadline: { type: Date, default: null },
    completedAt: { type: Date, default: null },
    // Each section's progress (started, finished); absent: not started.
    sections: { type: Schema.Types.Mixed, default: {} },
    // The forms sent (ids only, no answers): an anonymous fact for statistics (closing questions).
    submittedForms: { type: [String], default: [] },
  },
  { _id: false, minimize: false },
);

// The read model that list and detail views serve. After the API creates it, the workflow is its
// only writer (one serialized, version-guarded activity): FerretDB applies an update by reading
// and rewriting the whole document, so a second writer could silently undo the first.
// Clinician-edited text and flag counts therefore live in their own collections.
const treatmentSchema = new Schema(
  {
    _id: { type: String, required: true },
    patientKey: { type: String, required: true },
    programId: { type: String, required: true },
    careUnitId: { type: String, required: true },
    clinicianId: { type: String, required: true },
    status: { type: String, required: true },
    startedAt: { type: Date, required: true },
    activatedAt: { type: Date, default: null },
    lastActiveAt: { type: Date, default: null },
    endedAt: { type: Date, default: null },
    endReason: { type: String, default: null },
    maintenanceUntil: { type: Date, default: null },
    quitDate: { type: String, default: null },
    currentModuleId: { type: String, default: null },
    modules: { type: [moduleSchema], default: [] },
    // Anonymous facts for statistics: they stay after gallring.
    followUps: {
      type: [new Schema({
        index: Number, moduleId: String, dueAt: Date, openedAt: Date, remindedAt: Date, escalatedAt: Date, answeredAt: Date, tobaccoStatus: String,
      }, { _id: false })],
      default: [],
    },
    activityPlans: { type: [String], default: [] },
    version: { type: Number, default: 0 },
  },
  { versionKey: false },
);
treatmentSchema.index({ careUnitId: 1, startedAt: -1 });
treatmentSchema.index({ careUnitId: 1, status: 1, startedAt: -1 });
treatmentSchema.index({ patientKey: 1, startedAt: -1 });
// Statistik's days since the last snapshot: treatments activated or ended since then (started: above).
treatmentSchema.index({ careUnitId: 1, activatedAt: 1 });
treatmentSchema.index({ careUnitId: 1, endedAt: 1 });

export type TreatmentDoc = InferSchemaType<typeof treatmentSchema>;
/** A treatment's read model as read with lean(). */
export type TreatmentRecord = TreatmentDoc & { _id: string };
export const Treatment = model('Treatment', treatmentSchema, 'treatments');

// The welcome text (välkomsttext) as the clinician edited it for this patient; absent: the program's.
const welcomeTextSchema = new Schema(
  { _id: { type: String, required: true }, text: { type: String, required: true }, updatedAt: { type: Date, required: true } },
  { versionKey: false },
);
export const WelcomeText = model('WelcomeText', welcomeTextSchema, 'welcome_texts');

// "One open treatment per patient and program": _id = `${patientKey}:${programId}`. Claiming it is
// an atomic upsert on _id, which both MongoDB and FerretDB guarantee without transactions.
const openSlotSchema = new Schema(
  {
    _id: { type: String, required: true },
    treatmentId: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
);
export const OpenTreatmentSlot = model('OpenTreatmentSlot', openSlotSchema, 'open_treatment_slots');
