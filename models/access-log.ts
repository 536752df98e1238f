import { Schema, model } from 'mongoose';

// PDL åtkomstlogg: who read or changed which patient's data, when. Entries are only ever inserted;
// no endpoint changes or deletes them, and gallring leaves them (the patient is a keyed hash).
const accessLogSchema = new Schema(
  {
    _id: { type: String, required: true },
    at: { type: Date, required: true },
    actorId: { type: String, required: true }, // the clinician's HSA-id
    careUnitId: { type: String, required: true },
    patientKey: { type: String, required: true },
    treatmentId: { type: String, required: true },
    action: { type: String, required: true },
    requestId: { type: String, required: true },
  },
  { versionKey: false },
);
accessLogSchema.index({ patientKey: 1, at: -1 });
accessLogSchema.index({ actorId: 1, at: -1 });
export const AccessLog = model('AccessLog', accessLogSchema, 'access_log');
