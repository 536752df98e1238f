import { Schema, model } from 'mongoose';

// The nightly statistics snapshot: per night one document per care unit with its counts by
// Swedish day (domain/statistics-days.ts), and an index naming the units, written last. Anonymous
// counts only.
const snapshotSchema = new Schema(
  {
    _id: { type: String, required: true }, // `<date>|unit|<careUnitId>` or `<date>|index`
    date: String,
    careUnitId: String,
    days: Schema.Types.Mixed,
    units: [String],
    complete: Boolean,
    computedAt: Date,
  },
  { versionKey: false, minimize: false },
);
export const StatisticsSnapshot = model('StatisticsSnapshot', snapshotSchema, 'statistics_snapshots');

// What gallring keeps of a treatment for the statistics, under an id that does not lead back to it
// (an HMAC of the treatment id): care unit, program, Swedish dates (days, not times), end reason,
// module states and follow-up answers. No treatment id, patient, clinician, quit date or last
// activity, so neither the access log (patient ↔ treatment) nor the archive id links to it.
const factsSchema = new Schema(
  {
    _id: { type: String, required: true },
    careUnitId: String,
    programId: String,
    status: String,
    startedAt: Date,
    activatedAt: Date,
    endedAt: Date,
    endReason: String,
    modules: Schema.Types.Mixed,
    followUps: Schema.Types.Mixed,
  },
  { versionKey: false },
);
export const StatisticsFacts = model('StatisticsFacts', factsSchema, 'statistics_facts');
