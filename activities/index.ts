// Activities: every side effect of a treatment. Each is idempotent: its keys come from the
// treatment and the event, so a retry or a replay never writes a second row or sends a second copy.
import { Context } from '@temporalio/activity';
import type { Config } from '../infra/config';
import { render, type Template, type Transports } from '../infra/notify';
import { logger, scrub } from '../infra/logger';
import { Patient } from '../models/patient';
import { OpenTreatmentSlot, Treatment, WelcomeText } from '../models/treatment';
import {
  ActivityPlanModel, ClinicianModel, ConversationModel, FlagModel, FormSubmissionModel, MessageModel, NotificationModel,
  OccasionModel, TimelineModel, type NotificationDoc,
} from '../models/clinical';
import { archiveConnection } from '../infra/archive';
import type { DomainEvent, PatientNotice, TreatmentProjection } from '../domain/types';
import type { Client } from '@temporalio/client';
import type { Program } from '../infra/programs';
import { computeStatistics } from '../infra/statistics';
import { addIsoDuration } from '../domain/durations';
import { purgeUpdate, resyncSignal, stateQuery, workflowIdFor } from '../workflows/definitions';
import type { NightlyJob } from '../domain/nightly-jobs';
import { StatisticsSnapshot } from '../models/statistics';
import { claimByIdWhere, deleteByIdWhere, updateByIdWhere } from '../infra/store';
import { flagsRaised, notificationsFailed, notificationsSent, treatmentsEnded, treatmentsStarted } from '../infra/metrics';

const CLOSED_STATUSES = new Set(['ended', 'maintenance', 'purged']);
/** How long one delivery attempt may own a notification before another attempt may take over. */
const DELIVERY_LEASE_MS = 30_000;

function isDuplicateKey(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: number }).code === 11000;
}

/** Insert-if-absent that is safe when two attempts race on the same _id; true when this call inserted. */
async function insertOnce(model: { updateOne: typeof Treatment.updateOne }, _id: string, doc: Record<string, unknown>): Promise<boolean> {
  try {
    const result = await model.updateOne({ _id }, { $setOnInsert: doc }, { upsert: true });
    return result.upsertedCount > 0;
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    return false;
  }
}

export function createActivities(deps: {
  config: Config; transports: Transports; client?: Client; programs?: Map<string, Program>;
  /** The worker's payload codec: gallring shreds the treatment's data key through it. */
  codec?: { shred(treatmentId: string): Promise<void> };
}) {
  const { config, transports } = deps;

  async function queueNotification(id: string, fields: {
    treatmentId: string; channel: 'sms' | 'email'; recipient: 'patient' | 'clinician'; to: string; template: Template;
  }) {
    await insertOnce(NotificationModel, id, {
      ...fields, template: JSON.stringify(fields.template), status: 'pending', attempts: 0, createdAt: new Date(),
    });
    return id;
  }

  /** The patient's notices go where the patient chose: SMS, e-mail, both or neither. */
  async function queuePatientNotice(treatmentId: string, key: string, notice: PatientNotice): Promise<string[]> {
    const treatment = await Treatment.findById(treatmentId, { patientKey: 1 }).lean();
    const patient = treatment?.patientKey ? await Patient.findById(treatment.patientKey).lean() : null;
    const template: Template = { kind: 'patient', notice };
    const ids: string[] = [];
    if (patient?.phone && patient.notifyBySms) {
      ids.push(await queueNotification(`${key}:sms`, { treatmentId, channel: 'sms', recipient: 'patient', to: patient.phone, template }));
    }
    if (patient?.email && patient.notifyByEmail) {
      ids.push(await queueNotification(`${key}:email`, { treatmentId, channel: 'email', recipient: 'patient', to: patient.email, template }));
    }
    return ids;
  }

  const activities = {
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

    /** Puts one activity-plan occasion before the patient and queues the notice. */
    async openOccasion(o: { planId: string; treatmentId: string; index: number; dueAt: number; answerBy: number }): Promise<string[]> {
      const id = `${o.planId}:${o.index}`;
      await insertOnce(OccasionModel, id, {
        planId: o.planId, treatmentId: o.treatmentId, index: o.index, dueAt: new Date(o.dueAt), answerBy: new Date(o.answerBy), state: 'due',
      });
      await insertOnce(TimelineModel, `${o.treatmentId}:occasion:${id}`, {
        treatmentId: o.treatmentId, type: 'activity_due', at: new Date(o.dueAt), actor: null, moduleId: null, ref: id, data: { planId: o.planId, index: o.index },
      });
      const ids = await queuePatientNotice(o.treatmentId, `${o.treatmentId}:occasion:${id}`, 'activity_due');
      const open = await NotificationModel.find({ _id: { $in: ids }, status: { $in: ['pending', 'sending'] } }, { _id: 1 }).lean();
      return open.map((n) => n._id);
    },

    async finishActivityPlan(planId: string, status: 'stopped' | 'completed'): Promise<void> {
      await updateByIdWhere(ActivityPlanModel, planId, { status: 'active' }, { $set: { status } });
    },

    /**
     * Gallring, step 1: the whole record goes to the archive store. Written once ($setOnInsert):
     * a rerun after a crash in step 2 must not replace the archive with what is left.
     */
    async archiveTreatment(treatmentId: string): Promise<void> {
      const archive = await archiveConnection(config);
      const existing = await archive.collection('treatments').findOne({ _id: treatmentId as never }, { projection: { _id: 1 } });
      if (existing) return;
      const treatment = await Treatment.findById(treatmentId).lean();
      if (!treatment) throw new Error(`treatment ${treatmentId} is not in the read model`);
      const [patient, welcomeText, forms, conversations, messages, timeline, flags, notifications, plans, occasions] = await Promise.all([
        treatment.patientKey ? Patient.findById(treatment.patientKey).lean() : null,
        WelcomeText.findById(treatmentId).lean(),
        FormSubmissionModel.find({ treatmentId }).lean(),
        ConversationModel.find({ treatmentId }).lean(),
        MessageModel.find({ treatmentId }).lean(),
        TimelineModel.find({ treatmentId }).lean(),
        FlagModel.find({ treatmentId }).lean(),
        NotificationModel.find({ treatmentId }).lean(),
        ActivityPlanModel.find({ treatmentId }).lean(),
        OccasionModel.find({ treatmentId }).lean(),
      ]);
      try {
        await archive.collection('treatments').insertOne({
          _id: treatmentId as never, archivedAt: new Date(),
          record: { treatment, patient, welcomeText, forms, conversations, messages, timeline, flags, notifications, activityPlans: plans, occasions },
        });
      } catch (err) {
        if (!isDuplicateKey(err)) throw err; // a concurrent attempt archived it
      }
    },

    /** The nightly jobs; each run is its own workflow (see workflows/nightly.ts). */
    async runNightlyJob(job: NightlyJob, date: string): Promise<Record<string, number>> {
      const { client, programs } = deps;
      if (!client || !programs) throw new Error('nightly jobs need the Temporal client and the programs');
      if (job === 'statistics-snapshot') {
        const units = await Treatment.distinct('careUnitId');
        const byCareUnit: Record<string, unknown> = {};
        for (const unit of units) byCareUnit[unit] = await computeStatistics({ careUnits: [unit], from: null, to: null }, programs);
        const total = await computeStatistics({ careUnits: null, from: null, to: null }, programs);
        await StatisticsSnapshot.updateOne({ _id: date }, { $set: { date, byCareUnit, total, createdAt: new Date() } }, { upsert: true });
        return { careUnits: units.length, treatments: total.started };
      }
      const open = await Treatment.find({ status: { $ne: 'purged' } }, { _id: 1, version: 1, status: 1, endedAt: 1, programId: 1 }).lean();
      let acted = 0;
      let checked = 0;
      for (const t of open) {
        checked += 1;
        if (checked % 100 === 0) Context.current().heartbeat(checked);
        const handle = client.workflow.getHandle(workflowIdFor(t._id));
        try {
          if (job === 'read-model-sweep') {
            const state = await handle.query(stateQuery);
            if (state.version > (t.version ?? 0)) { await handle.signal(resyncSignal); acted += 1; }
          } else if (job === 'retention-sweep' && t.endedAt && (t.status === 'ended' || t.status === 'maintenance')) {
            const retention = programs.get(t.programId)?.durations.retention;
            if (retention && addIsoDuration(t.endedAt.getTime(), retention) <= Date.now()) { await handle.executeUpdate(purgeUpdate); acted += 1; }
          }
        } catch (err) {
          logger.warn({ job, treatmentId: t._id, error: (err as Error).message }, 'nightly job skipped a treatment');
        }
      }
      return { checked, acted };
    },

    /** Gallring, step 2: personal data leaves every operational collection. Idempotent. */
    async purgeTreatment(treatmentId: string): Promise<void> {
      const archive = await archiveConnection(config);
      if (!(await archive.collection('treatments').findOne({ _id: treatmentId as never }, { projection: { _id: 1 } }))) {
        throw new Error('refusing to purge a treatment that is not archived');
      }
      const byTreatment = { treatmentId };
      await Promise.all([
        FormSubmissionModel.deleteMany(byTreatment), ConversationModel.deleteMany(byTreatment), MessageModel.deleteMany(byTreatment),
        TimelineModel.deleteMany(byTreatment), FlagModel.deleteMany(byTreatment), NotificationModel.deleteMany(byTreatment),
        ActivityPlanModel.deleteMany(byTreatment), OccasionModel.deleteMany(byTreatment), WelcomeText.deleteOne({ _id: treatmentId }),
      ]);
      const treatment = await Treatment.findById(treatmentId, { patientKey: 1 }).lean();
      if (treatment?.patientKey) {
        // The patient record goes with the last treatment that still needs it.
        const others = await Treatment.countDocuments({ patientKey: treatment.patientKey, _id: { $ne: treatmentId }, status: { $ne: 'purged' } });
        if (others === 0) await Patient.deleteOne({ _id: treatment.patientKey });
      }
      // Last: the treatment's data key. Every Temporal history of the treatment becomes unreadable.
      await deps.codec?.shred(treatmentId);
    },

    /**
     * Records one event: a timeline entry, the clinician's flag (and its e-mail when the clinician
     * asked for that type), the patient's notifications. Returns the notifications still to send.
     */
    async recordEvent(treatmentId: string, careUnitId: string, event: DomainEvent): Promise<string[]> {
      const id = `${treatmentId}:${event.key}`;
      const at = new Date(event.at);
      const firstTime = await insertOnce(TimelineModel, id, {
        treatmentId, type: event.type, at, actor: event.clinicianId, moduleId: event.moduleId ?? null, ref: event.ref ?? null, data: event.data ?? null,
      });
      if (firstTime && event.type === 'treatment_started') treatmentsStarted.inc({ program: 'tobakshjalpen' });
      if (firstTime && event.type === 'treatment_ended') treatmentsEnded.inc({ reason: String(event.data?.reason ?? 'unknown') });
      const notifications: string[] = [];
      if (event.flag) {
        if (await insertOnce(FlagModel, id, {
          treatmentId, careUnitId, clinicianId: event.clinicianId, type: event.flag, moduleId: event.moduleId ?? null,
          ref: event.ref ?? null, createdAt: at, readAt: null,
        })) flagsRaised.inc({ type: event.flag });
        await insertOnce(TimelineModel, `${id}:flag`, {
          treatmentId, type: 'flag_raised', at, actor: event.clinicianId, moduleId: event.moduleId ?? null, ref: id, data: { flag: event.flag },
        });
        const clinician = await ClinicianModel.findById(event.clinicianId).lean();
        if (clinician?.email && clinician.emailFlagTypes.includes(event.flag)) {
          notifications.push(await queueNotification(`${id}:email:${event.clinicianId}`, {
            treatmentId, channel: 'email', recipient: 'clinician', to: clinician.email,
            template: { kind: 'flag', flag: event.flag, treatmentId },
          }));
        }
      }
      if (event.notifyPatient) notifications.push(...(await queuePatientNotice(treatmentId, id, event.notifyPatient)));
      const open = await NotificationModel.find({ _id: { $in: notifications }, status: { $in: ['pending', 'sending'] } }, { _id: 1 }).lean();
      return open.map((n) => n._id);
    },

    /**
     * Sends one notification at most once per successful attempt: an attempt first takes a lease,
     * and only the lease holder sends. A resend after a lost answer carries the same key
     * (Idempotency-Key for SMS, Message-ID for e-mail). After the last attempt it ends `failed`.
     */
    async deliverNotification(id: string): Promise<'sent' | 'failed' | 'cancelled' | 'gone'> {
      const attempt = Context.current().info.attempt;
      const now = new Date();
      const claimed = await claimByIdWhere<NotificationDoc>(
        NotificationModel, id,
        { $or: [{ status: 'pending' }, { status: 'sending', leaseUntil: { $lt: now } }] },
        { $set: { status: 'sending', leaseUntil: new Date(now.getTime() + DELIVERY_LEASE_MS) }, $inc: { attempts: 1 } },
      );
      if (claimed) {
        // Nothing is sent for a treatment that has ended: what was still queued is cancelled.
        const treatment = await Treatment.findById(claimed.treatmentId, { status: 1 }).lean();
        if (treatment && !['invited', 'active'].includes(treatment.status)) {
          await NotificationModel.updateOne({ _id: id }, { $set: { status: 'cancelled', leaseUntil: null, lastError: `treatment ${treatment.status}` } });
          return 'cancelled';
        }
      }
      if (!claimed) {
        const current = await NotificationModel.findById(id, { status: 1 }).lean();
        if (!current) return 'gone';
        if (current.status === 'sent' || current.status === 'failed' || current.status === 'cancelled') return current.status;
        throw new Error('another attempt is delivering this notification'); // retried after its lease
      }
      const { subject, text } = render(JSON.parse(claimed.template) as Template, config.notifications.publicUrl);
      try {
        await transports[claimed.channel as 'sms' | 'email']({ key: id, to: claimed.to, subject, text });
      } catch (err) {
        // Transport errors may quote the address; neither logs nor Temporal get it.
        const message = scrub(err instanceof Error ? err.message : String(err));
        const final = attempt >= config.notifications.maxAttempts;
        await updateByIdWhere(NotificationModel, id, { status: 'sending' }, { $set: { status: final ? 'failed' : 'pending', leaseUntil: null, lastError: message } });
        logger.warn({ notification: id, channel: claimed.channel, attempt, final, error: message }, 'notification not delivered');
        if (final) { notificationsFailed.inc({ channel: claimed.channel }); return 'failed'; }
        throw new Error(`${claimed.channel} not delivered: ${message}`);
      }
      await NotificationModel.updateOne({ _id: id }, { $set: { status: 'sent', sentAt: new Date(), leaseUntil: null, lastError: null } });
      notificationsSent.inc({ channel: claimed.channel });
      return 'sent';
    },
  };
  return activities;
}

export type Activities = ReturnType<typeof createActivities>;
