// The read model: the workflow's projection of a treatment, written version-guarded.
import { OpenTreatmentSlot, Treatment } from '../models/treatment';
import type { TreatmentProjection } from '../domain/types';
import { deleteByIdWhere, updateByIdWhere } from '../infra/store';

const CLOSED_STATUSES = new Set(['ended', 'maintenance', 'purged']);

export function readModelActivities() {
  return {
    /** Writes the workflow's view into the read model unless a newer version is already there. */
    async projectTreatment(projection: TreatmentProjection, openSlotKey: string): Promise<void> {
      const { _id, ...fields } = projection;
      // Not written over a newer version. The same version is written again: a local activity
      // re-run after a failed workflow task carries the state the history holds now, which may
      // differ from what the failed attempt wrote under that version (another clock, another order).
      await updateByIdWhere(Treatment, _id, { $or: [{ version: { $lte: projection.version } }, { version: { $exists: false } }] }, { $set: fields }, { upsert: true });
      if (projection.status === 'purged') {
        // Gallring: the last link from the anonymous facts to the person goes.
        await Treatment.updateOne({ _id }, { $unset: { patientKey: 1 } });
      }
      if (CLOSED_STATUSES.has(projection.status)) {
        // Ended: the patient may start this program again.
        await deleteByIdWhere(OpenTreatmentSlot, openSlotKey, { treatmentId: _id });
      }
    },
  };
}
