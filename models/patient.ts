import { Schema, model, type InferSchemaType } from 'mongoose';
import { verificationFields } from './verification';

// Personal data lives here and nowhere in Temporal. _id is a keyed hash of the personnummer.
const patientSchema = new Schema(
  {
    _id: { type: String, required: true },
    personnummer: { type: String, required: true },
    name: { type: String, default: null },
    phone: { type: String, default: null },
    email: { type: String, default: null },
    /**
     * The phone and e-mail a clinician entered (at the start or later). Neutral notices go there
     * whether or not the patient has confirmed it; an address the patient typed goes unused until
     * confirmed (infra/notify.ts patientNoticeForm).
     */
    clinicianPhone: { type: String, default: null },
    clinicianEmail: { type: String, default: null },
    notifyBySms: { type: Boolean, default: true },
    notifyByEmail: { type: Boolean, default: true },
    ...verificationFields,
  },
  { timestamps: true, versionKey: false },
);

export type PatientDoc = InferSchemaType<typeof patientSchema>;
export const Patient = model('Patient', patientSchema, 'patients');
