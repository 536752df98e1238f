import { Schema, model } from 'mongoose';

// A patient's writes per treatment and hour (api/write-quota.ts): one counter per treatment and
// hour, addressed by _id; the nightly retention sweep deletes past hours (FerretDB has no TTL indexes).
const quotaSchema = new Schema(
  { _id: { type: String, required: true }, count: { type: Number, default: 0 }, expiresAt: Date },
  { versionKey: false },
);
export const WriteQuota = model('WriteQuota', quotaSchema, 'write_quotas');
