// The read model: the workflow's projection of a treatment, written version-guarded.
import { createHmac } from 'node:crypto';
import { startOfDay } from 'date-fns';
import { TZDate } from '@date-fns/tz';
import { OpenTreatmentSlot, Treatment } from '../models/treatment';
import { StatisticsFacts } from '../models/statistics';
import { tombstoneRow, writeRow } from '../infra/overview-rows';
import type { TreatmentProjection } from '../domain/types';
import { TIME_ZONE } from '../domain/durations';
import { deleteByIdWhere, updateByIdWhere } from '../infra/store';
import { insertOnce, type ActivityDeps } from './shared';

const CLOSED_STATUSES = new Set(['ended', 'maintenance', 'purged']);

/** What a purged treatment's read-model document keeps: that it existed, was purged, and where. */
const TOMBSTONE_KEEPS = new Set(['status', 'version', 'programId', 'careUnitId']);

/** The start of the Swedish day: the statistics count whole days, so nothing finer is kept. */
const dayOf = (at: number | null | undefined) => (at == null ? null : new Date(startOfDay(new TZDate(at, TIME_ZONE)).getTime()));

export function readModelActivities({ config }: Pick<ActivityDeps, 'config'>) {
  /** The facts' id: stable (a retried write writes the same document) but not the treatment's. */
  const factsIdOf = (treatmentId: string) => createHmac('sha256', config.patientKeySecret).update(`statistics-facts:${treatmentId}`).digest('base64url');

  return {
    /** Writes the workflow's view into the read model unless a newer version is already there. */
    async projectTreatment(projection: TreatmentProjection, openSlotKey: string): Promise<void> {
      const { _id, ...fields } = projection;
      // Not written over a newer version. The same version is written again: a local activity
      // re-run after a failed workflow task carries the state the history holds now, which may
      // differ from what the failed attempt wrote under that version (another clock, another order).
      const guard = { $or: [{ version: { $lte: projection.version } }, { version: { $exists: false } }] };
      if (projection.status === 'purged') {
        // Gallring (security #4): the anonymous facts move to a document of their own that does
        // not lead back to the treatment; the treatment's document keeps only that it was purged.
        await insertOnce(StatisticsFacts, factsIdOf(_id), {
          careUnitId: projection.careUnitId, programId: projection.programId, status: 'purged',
          startedAt: dayOf(projection.startedAt), activatedAt: dayOf(projection.activatedAt), endedAt: dayOf(projection.endedAt),
          endReason: projection.endReason ?? null,
          // Module states and the ids of the forms sent (no answers): closing questions count by them.
          modules: projection.modules.map((m) => ({ id: m.id, state: m.state, submittedForms: [...(m.submittedForms ?? [])] })),
          followUps: projection.followUps.map((f) => ({ index: f.index, openedAt: dayOf(f.openedAt), answeredAt: dayOf(f.answeredAt), tobaccoStatus: f.tobaccoStatus ?? null })),
        });
        const unset = Object.fromEntries([...Object.keys(fields), 'patientKey'].filter((k) => !TOMBSTONE_KEEPS.has(k)).map((k) => [k, 1]));
        await Promise.all([
          updateByIdWhere(Treatment, _id, guard, {
            $set: { status: 'purged', version: projection.version, programId: projection.programId, careUnitId: projection.careUnitId },
            $unset: unset,
          }, { upsert: true }),
          tombstoneRow(_id, guard, { status: 'purged', version: projection.version, careUnitId: projection.careUnitId }),
        ]);
      } else {
        // The overview's row beside the treatment, under the same guard (models/overview.ts).
        await Promise.all([
          updateByIdWhere(Treatment, _id, guard, { $set: fields }, { upsert: true }),
          writeRow(_id, guard, fields),
        ]);
      }
      if (CLOSED_STATUSES.has(projection.status)) {
        // Ended: the patient may start this program again.
        await deleteByIdWhere(OpenTreatmentSlot, openSlotKey, { treatmentId: _id });
      }
    },
  };
}
