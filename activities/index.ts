// Activities: every side effect of a treatment. Each is idempotent: its keys come from the
// treatment and the event, so a retry or a replay never writes a second row or sends a second copy.
import { Context } from '@temporalio/activity';
import type { Config } from '../config';
import { render, type Template, type Transports } from '../lib/notify';
import { logger } from '../lib/logger';
import { Patient } from '../models/patient';
import { OpenTreatmentSlot, Treatment } from '../models/treatment';
import { ClinicianModel, FlagModel, NotificationModel, TimelineModel } from '../models/clinical';
import type { DomainEvent, TreatmentProjection } from '../workflows/types';

const CLOSED_STATUSES = new Set(['ended', 'maintenance', 'purged']);
/** How long one delivery attempt may own a notification before another attempt may take over. */
const DELIVERY_LEASE_MS = 30_000;

function isDuplicateKey(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: number }).code === 11000;
}

/** Insert-if-absent that is safe when two attempts race on the same _id. */
async function insertOnce(model: { updateOne: typeof Treatment.updateOne }, _id: string, doc: Record<string, unknown>) {
  try {
    await model.updateOne({ _id }, { $setOnInsert: doc }, { upsert: true });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
}

export function createActivities(deps: { config: Config; transports: Transports }) {
  const { config, transports } = deps;

  async function queueNotification(id: string, fields: {
    treatmentId: string; channel: 'sms' | 'email'; recipient: 'patient' | 'clinician'; to: string; template: Template;
  }) {
    await insertOnce(NotificationModel, id, {
      ...fields, template: JSON.stringify(fields.template), status: 'pending', attempts: 0, createdAt: new Date(),
    });
    return id;
  }

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

    /**
     * Records one event: a timeline entry, the clinician's flag (and its e-mail when the clinician
     * asked for that type), the patient's notifications. Returns the notifications still to send.
     */
    async recordEvent(treatmentId: string, careUnitId: string, event: DomainEvent): Promise<string[]> {
      const id = `${treatmentId}:${event.key}`;
      const at = new Date(event.at);
      await insertOnce(TimelineModel, id, {
        treatmentId, type: event.type, at, actor: event.clinicianId, moduleId: event.moduleId ?? null, ref: event.ref ?? null, data: event.data ?? null,
      });
      const notifications: string[] = [];
      if (event.flag) {
        await insertOnce(FlagModel, id, {
          treatmentId, careUnitId, clinicianId: event.clinicianId, type: event.flag, moduleId: event.moduleId ?? null,
          ref: event.ref ?? null, createdAt: at, readAt: null,
        });
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
      if (event.notifyPatient) {
        const treatment = await Treatment.findById(treatmentId, { patientKey: 1 }).lean();
        const patient = treatment ? await Patient.findById(treatment.patientKey).lean() : null;
        const template: Template = { kind: 'patient', notice: event.notifyPatient };
        if (patient?.phone && patient.notifyBySms) {
          notifications.push(await queueNotification(`${id}:sms`, { treatmentId, channel: 'sms', recipient: 'patient', to: patient.phone, template }));
        }
        if (patient?.email && patient.notifyByEmail) {
          notifications.push(await queueNotification(`${id}:email`, { treatmentId, channel: 'email', recipient: 'patient', to: patient.email, template }));
        }
      }
      const open = await NotificationModel.find({ _id: { $in: notifications }, status: { $in: ['pending', 'sending'] } }, { _id: 1 }).lean();
      return open.map((n) => n._id);
    },

    /**
     * Sends one notification at most once per successful attempt: an attempt first takes a lease,
     * and only the lease holder sends. A resend after a lost answer carries the same key
     * (Idempotency-Key for SMS, Message-ID for e-mail). After the last attempt it ends `failed`.
     */
    async deliverNotification(id: string): Promise<'sent' | 'failed' | 'gone'> {
      const attempt = Context.current().info.attempt;
      const now = new Date();
      const claimed = await NotificationModel.findOneAndUpdate(
        { _id: id, $or: [{ status: 'pending' }, { status: 'sending', leaseUntil: { $lt: now } }] },
        { $set: { status: 'sending', leaseUntil: new Date(now.getTime() + DELIVERY_LEASE_MS) }, $inc: { attempts: 1 } },
        { new: true },
      ).lean();
      if (!claimed) {
        const current = await NotificationModel.findById(id, { status: 1 }).lean();
        if (!current) return 'gone';
        if (current.status === 'sent' || current.status === 'failed') return current.status;
        throw new Error('another attempt is delivering this notification'); // retried after its lease
      }
      const { subject, text } = render(JSON.parse(claimed.template) as Template, config.notifications.publicUrl);
      try {
        await transports[claimed.channel as 'sms' | 'email']({ key: id, to: claimed.to, subject, text });
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        const final = attempt >= config.notifications.maxAttempts;
        await NotificationModel.updateOne(
          { _id: id, status: 'sending' },
          { $set: { status: final ? 'failed' : 'pending', leaseUntil: null, lastError: message } },
        );
        logger.warn({ notification: id, channel: claimed.channel, attempt, final, error: message }, 'notification not delivered');
        if (final) return 'failed';
        throw err;
      }
      await NotificationModel.updateOne({ _id: id }, { $set: { status: 'sent', sentAt: new Date(), leaseUntil: null, lastError: null } });
      return 'sent';
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
