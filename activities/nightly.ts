// The nightly jobs, one activity each; each night's run of a job is its own workflow
// (workflows/nightly.ts), started by every replica's cron and run once (infra/nightly.ts).
import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { logger } from '../infra/logger';
import { Treatment } from '../models/treatment';
import { AccessLog } from '../models/access-log';
import { archiveConnection } from '../infra/archive';
import { WriteQuota } from '../models/write-quota';
import type { Program } from '../infra/programs';
import { writeStatisticsSnapshot } from '../infra/statistics';
import { addIsoDuration } from '../domain/durations';
import { purgeUpdate, resyncSignal, stateQuery, workflowIdFor } from '../workflows/definitions';
import type { ActivityDeps } from './shared';
import { ACTIVITY_FAILURE_TYPES, refuse } from './failures';

type Sweep = (t: { _id: string; version?: number | null; status: string; endedAt?: Date | null; programId: string }, client: Client, programs: Map<string, Program>) => Promise<boolean>;

/** Visits every treatment that is not purged; `act` says whether it did something. One treatment's failure skips only it. */
async function sweep(job: string, deps: ActivityDeps, act: Sweep): Promise<Record<string, number>> {
  const { client, programs } = deps;
  if (!client || !programs) throw refuse(ACTIVITY_FAILURE_TYPES.misconfigured, 'nightly jobs need the Temporal client and the programs');
  const open = await Treatment.find({ status: { $ne: 'purged' } }, { _id: 1, version: 1, status: 1, endedAt: 1, programId: 1 }).lean();
  let acted = 0;
  let checked = 0;
  for (const t of open) {
    checked += 1;
    if (checked % 100 === 0) Context.current().heartbeat(checked);
    try {
      if (await act(t, client, programs)) acted += 1;
    } catch (err) {
      logger.warn({ job, treatmentId: t._id, error: (err as Error).message }, 'nightly job skipped a treatment');
    }
  }
  return { checked, acted };
}

export function nightlyActivities(deps: ActivityDeps) {
  return {
    /** Statistik: tonight's counts per care unit and in total, kept by date. */
    async statisticsSnapshot(date: string): Promise<Record<string, number>> {
      const { programs } = deps;
      if (!programs) throw refuse(ACTIVITY_FAILURE_TYPES.misconfigured, 'the statistics snapshot needs the programs');
      return writeStatisticsSnapshot(date, programs);
    },

    /** A treatment whose read model lags its workflow is asked to write it again. */
    async readModelSweep(): Promise<Record<string, number>> {
      return sweep('read-model-sweep', deps, async (t, client) => {
        const handle = client.workflow.getHandle(workflowIdFor(t._id));
        const state = await handle.query(stateQuery);
        if (state.version <= (t.version ?? 0)) return false;
        await handle.signal(resyncSignal);
        return true;
      });
    },

    /** An ended treatment past its retention is purged (a guard beside the workflow's own timer). */
    async retentionSweep(): Promise<Record<string, number>> {
      const purged = await sweep('retention-sweep', deps, async (t, client, programs) => {
        if (!t.endedAt || (t.status !== 'ended' && t.status !== 'maintenance')) return false;
        const retention = programs.get(t.programId)?.durations.retention;
        if (!retention || addIsoDuration(t.endedAt.getTime(), retention) > Date.now()) return false;
        await client.workflow.getHandle(workflowIdFor(t._id)).executeUpdate(purgeUpdate);
        return true;
      });
      // Nothing is kept forever (security #4): archived records past their date, and access-log
      // entries older than ACCESS_LOG_RETENTION, are deleted.
      const now = new Date();
      const archive = await archiveConnection(deps.config);
      const archiveDeleted = (await archive.collection('treatments').deleteMany({ deleteAfter: { $lt: now } })).deletedCount;
      const logBefore = new Date(now.getTime() - (addIsoDuration(now.getTime(), deps.config.accessLogRetention) - now.getTime()));
      const logDeleted = (await AccessLog.deleteMany({ at: { $lt: logBefore } })).deletedCount;
      const quotasDeleted = (await WriteQuota.deleteMany({ expiresAt: { $lt: now } })).deletedCount;
      return { ...purged, archiveDeleted, accessLogDeleted: logDeleted, quotasDeleted };
    },
  };
}
