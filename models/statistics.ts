import { Schema, model } from 'mongoose';

// The nightly statistics snapshot, one document per Swedish date: anonymous counts only.
const snapshotSchema = new Schema(
  { _id: { type: String, required: true }, date: String, byCareUnit: Schema.Types.Mixed, total: Schema.Types.Mixed, createdAt: Date },
  { versionKey: false },
);
export const StatisticsSnapshot = model('StatisticsSnapshot', snapshotSchema, 'statistics_snapshots');
