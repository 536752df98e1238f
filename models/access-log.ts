import { Schema, model } from 'mongoose';

// PDL åtkomstlogg: who read or changed which patient's data, when. Entries are only ever inserted;
// no endpoint changes them, gallring leaves them (the patient is a keyed hash), and the nightly
// retention sweep deletes them after ACCESS_LOG_RETENTION.
const accessLogSchema = new Schema(
  {
    _id: { type: String, required: true },
    at: { type: Date, required: true },
    actorId: { type: String, required: true }, // the clinician's HSA-id, or the operator's id
    actorRole: { type: String, enum: ['clinician', 'ops'], default: 'clinician' },
    careUnitId: { type: String, default: null }, // the unit of the treatment read; null for an ops search
    actingCareUnitId: { type: String, default: null }, // the unit the clinician acted for (x-care-unit, else the treatment's)
    patientKey: { type: String, default: null }, // null for an ops search by clinician
    treatmentId: { type: String, default: null },
    action: { type: String, required: true },
    /** Why an operator broke the glass (decoding a treatment's payloads). */
    reason: { type: String, default: null },
    requestId: { type: String, required: true },
  },
  { versionKey: false },
);
accessLogSchema.index({ patientKey: 1, at: -1 });
accessLogSchema.index({ actorId: 1, at: -1 });
export const AccessLog = model('AccessLog', accessLogSchema, 'access_log');
