// Activities: every side effect of a treatment. Each is idempotent, so a retry or a replay
// never writes twice.
import type { TreatmentProjection } from '../workflows/types';
import { OpenTreatmentSlot, Treatment } from '../models/treatment';

const CLOSED_STATUSES = new Set(['ended', 'maintenance', 'purged']);

function isDuplicateKey(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: number }).code === 11000;
}

export function createActivities() {
  return {
    /** Writes the workflow's view into the read model unless a newer version is already there. */
    async projectTreatment(projection: TreatmentProjection, openSlotKey: string): Promise<void> {
      const { _id, ...fields } = projection;
      try {
        await Treatment.updateOne(
          { _id, $or: [{ version: { $lt: projection.version } }, { version: { $exists: false } }] },
          { $set: fields },
          { upsert: true },
        );
      } catch (err) {
        // The upsert hit the existing document: it already holds this version or a newer one.
        if (!isDuplicateKey(err)) throw err;
      }
      if (CLOSED_STATUSES.has(projection.status)) {
        // Ended: the patient may start this program again.
        await OpenTreatmentSlot.deleteOne({ _id: openSlotKey, treatmentId: _id });
      }
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
