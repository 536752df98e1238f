// A patient's writes are bounded per treatment (security #7): messages, conversations, forms and
// activity answers, each a workflow update that grows the treatment's history. The counter is in
// the store, so every API replica shares it.
import { WriteQuota } from '../models/write-quota';
import { HttpError } from './errors';
import { upsertRacing } from '../infra/store';

const HOUR = 3_600_000;

/** Counts one write of the treatment in this hour; 429 with Retry-After past `maxPerHour`. */
export async function chargePatientWrite(treatmentId: string, maxPerHour: number, now = Date.now()): Promise<void> {
  const hour = Math.floor(now / HOUR);
  const update = { $inc: { count: 1 }, $setOnInsert: { expiresAt: new Date((hour + 2) * HOUR) } };
  // Two first writes of an hour race their upserts: one inserts, the other counts on it.
  const doc = await upsertRacing(() => WriteQuota.findOneAndUpdate({ _id: `${treatmentId}:${hour}` }, update, { upsert: true, new: true }).lean<{ count: number }>());
  if ((doc?.count ?? 0) > maxPerHour) {
    const retryAfter = Math.ceil(((hour + 1) * HOUR - now) / 1000);
    throw new HttpError(429, 'Too many requests', `at most ${maxPerHour} messages, forms and answers an hour; try again in ${Math.ceil(retryAfter / 60)} minutes`, undefined, { 'retry-after': String(retryAfter) });
  }
}
