// Contact verification, shared by the patient's and the clinician's documents: an address is
// verified when `verifiedEmail` / `verifiedPhone` equals it, so changing the address makes it
// unverified at once. A pending code is kept only as a keyed hash, with its expiry and attempts.
import { Schema } from 'mongoose';

const pendingCode = new Schema(
  {
    /** The address the code was sent to: a code proves only that address. */
    address: { type: String, required: true },
    /** HMAC-SHA256 of the code (never the code); null once used or burnt by too many attempts. */
    hash: { type: String, default: null },
    expiresAt: { type: Date, default: null },
    attempts: { type: Number, default: 0 },
    /** When codes were sent on this channel (the last hour's, for the per-owner limit). */
    sent: { type: [Date], default: [] },
  },
  { _id: false },
);

export const verificationFields = {
  verifiedEmail: { type: String, default: null },
  verifiedPhone: { type: String, default: null },
  verification: {
    email: { type: pendingCode, default: null },
    sms: { type: pendingCode, default: null },
  },
};

export interface PendingCode { address: string; hash: string | null; expiresAt: Date | null; attempts: number; sent: Date[] }
