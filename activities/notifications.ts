// Notifications: queued once per event and recipient (honouring the patient's own settings), then
// delivered at most once per successful attempt under a lease, retried, and ended `failed` visibly.
import { Context } from '@temporalio/activity';
import { isNeutral, patientNoticeForm, render, type Template } from '../infra/notify';
import { logger, scrub } from '../infra/logger';
import { Patient } from '../models/patient';
import { Treatment } from '../models/treatment';
import { NotificationModel, type NotificationDoc } from '../models/clinical';
import type { PatientNotice } from '../domain/types';
import { claimByIdWhere, updateByIdWhere } from '../infra/store';
import { notificationsFailed, notificationsSent } from '../infra/metrics';
import { insertOnce, type ActivityDeps } from './shared';

/** How long one delivery attempt may own a notification before another attempt may take over. */
const DELIVERY_LEASE_MS = 30_000;

/** Notices that say "something waits" are coalesced: one per recipient, treatment and kind in the window. */
const COALESCED: ReadonlyArray<string> = ['new_message', 'message_received'];

export function notificationQueue({ config, programs }: Pick<ActivityDeps, 'config' | 'programs'>) {
  const { maxPerRecipientPerHour, coalesceMinutes } = config.notifications;

  /**
   * Queues one notification under its idempotency key. Two limits keep notices from being used
   * against someone: a notice that repeats one still pending or sent to the same recipient for the
   * same treatment within `coalesceMinutes` is recorded `coalesced`, and past
   * `maxPerRecipientPerHour` notices to one address or number in the last hour, `suppressed`.
   * Either is visible in the outbox and never sent. A health-related notice to an address its
   * owner has not verified, where its kind needs that (`verified: false`), is recorded `skipped_unverified`, never sent.
   */
  async function queueNotification(id: string, fields: {
    treatmentId: string | null; channel: 'sms' | 'email'; recipient: 'patient' | 'clinician'; to: string; template: Template;
  }, verified = true) {
    if (await NotificationModel.exists({ _id: id })) return id; // a retry: decided the first time
    const template = JSON.stringify(fields.template);
    const now = Date.now();
    const kind = fields.template.kind === 'flag' ? fields.template.flag : fields.template.kind === 'patient' ? fields.template.notice : 'verification';
    let status = 'pending';
    let lastError: string | null = null;
    if (!verified) {
      status = 'skipped_unverified';
      lastError = 'the address is not verified by its owner';
    } else if (COALESCED.includes(kind) && await NotificationModel.exists({
      to: fields.to, treatmentId: fields.treatmentId, template, status: { $in: ['pending', 'sending', 'sent'] }, createdAt: { $gte: new Date(now - coalesceMinutes * 60_000) },
    })) {
      status = 'coalesced';
      lastError = `coalesced with a notice of the last ${coalesceMinutes} minutes`;
    } else if (await NotificationModel.countDocuments({ to: fields.to, status: { $in: ['pending', 'sending', 'sent', 'failed'] }, createdAt: { $gte: new Date(now - 3_600_000) } }) >= maxPerRecipientPerHour) {
      status = 'suppressed';
      lastError = `quota: ${maxPerRecipientPerHour} notices per recipient and hour`;
      logger.warn({ notification: id, channel: fields.channel }, 'notification suppressed by the per-recipient quota');
    }
    await insertOnce(NotificationModel, id, { ...fields, template, status, lastError, attempts: 0, createdAt: new Date(now) });
    return id;
  }

  /**
   * The patient's notices go where the patient chose: SMS, e-mail, both or neither. Each address
   * gets the form `patientNoticeForm` decides (full to a confirmed address, neutral to the one a
   * clinician entered, nothing to the patient's own unconfirmed change: `skipped_unverified`).
   * `moduleId` names the step for the full form.
   */
  async function queuePatientNotice(treatmentId: string, key: string, notice: PatientNotice, opts: { readableUntil?: string | null; moduleId?: string | null } = {}): Promise<string[]> {
    const treatment = await Treatment.findById(treatmentId, { patientKey: 1, programId: 1 }).lean();
    const patient = treatment?.patientKey ? await Patient.findById(treatment.patientKey).lean() : null;
    const step = opts.moduleId ? programs?.get(treatment?.programId ?? '')?.modules.find((m) => m.id === opts.moduleId)?.title ?? null : null;
    const ids: string[] = [];
    const channels = [
      ['sms', patient?.notifyBySms, patient?.phone, patient?.verifiedPhone, patient?.clinicianPhone],
      ['email', patient?.notifyByEmail, patient?.email, patient?.verifiedEmail, patient?.clinicianEmail],
    ] as const;
    for (const [channel, wanted, to, confirmed, entered] of channels) {
      if (!to || !wanted) continue;
      const form = patientNoticeForm(to, confirmed, entered);
      const template: Template = { kind: 'patient', notice, form: form ?? 'neutral', ...(opts.readableUntil ? { readableUntil: opts.readableUntil } : {}), ...(step && form === 'full' ? { step } : {}) };
      ids.push(await queueNotification(`${key}:${channel}`, { treatmentId, channel, recipient: 'patient', to, template }, form !== null));
    }
    return ids;
  }

  /** Of these notifications, those still to send. */
  async function stillToSend(ids: string[]): Promise<string[]> {
    const open = await NotificationModel.find({ _id: { $in: ids }, status: { $in: ['pending', 'sending'] } }, { _id: 1 }).lean();
    return open.map((n) => n._id);
  }

  return { queueNotification, queuePatientNotice, stillToSend };
}

export type NotificationQueue = ReturnType<typeof notificationQueue>;

/**
 * Sends one notification at most once per successful attempt: an attempt first takes a lease,
 * and only the lease holder sends. A resend after a lost answer carries the same key
 * (Idempotency-Key for SMS, Message-ID for e-mail). After the last attempt it ends `failed`.
 * A verification notice is delivered by the API itself, which alone holds its code (`code`), in
 * fewer attempts (`lastAttempt`) while the caller waits.
 */
export function notificationDelivery({ config, transports }: Pick<ActivityDeps, 'config' | 'transports'>) {
  return async function deliver(id: string, attempt: number, code?: string, lastAttempt = config.notifications.maxAttempts): Promise<'sent' | 'failed' | 'cancelled' | 'gone'> {
    const now = new Date();
    const claimed = await claimByIdWhere<NotificationDoc>(
      NotificationModel, id,
      { $or: [{ status: 'pending' }, { status: 'sending', leaseUntil: { $lt: now } }] },
      { $set: { status: 'sending', leaseUntil: new Date(now.getTime() + DELIVERY_LEASE_MS) }, $inc: { attempts: 1 } },
    );
    const template = claimed ? JSON.parse(claimed.template) as Template : null;
    if (claimed && template) {
      // Nothing is sent for a treatment that has ended: what was still queued is cancelled (but the
      // end notice, and a verification code the patient asked for just now).
      const treatment = claimed.treatmentId ? await Treatment.findById(claimed.treatmentId, { status: 1 }).lean() : null;
      const sentAnyway = (template.kind === 'patient' && template.notice === 'treatment_ended' && treatment?.status !== 'purged') || template.kind === 'verification';
      if (treatment && !['invited', 'active'].includes(treatment.status) && !sentAnyway) {
        await NotificationModel.updateOne({ _id: id }, { $set: { status: 'cancelled', leaseUntil: null, lastError: `treatment ${treatment.status}` } });
        return 'cancelled';
      }
    }
    if (!claimed || !template) {
      const current = await NotificationModel.findById(id, { status: 1 }).lean();
      if (!current) return 'gone';
      if (current.status === 'sent' || current.status === 'failed' || current.status === 'cancelled') return current.status;
      throw new Error('another attempt is delivering this notification'); // retried after its lease
    }
    const { subject, text } = render(template, config.notifications.publicUrl, code);
    try {
      await transports[claimed.channel as 'sms' | 'email']({ key: id, to: claimed.to, subject, text, neutral: isNeutral(template) });
    } catch (err) {
      // Transport errors may quote the address; neither logs nor Temporal get it.
      const message = scrub(err instanceof Error ? err.message : String(err));
      const final = attempt >= lastAttempt;
      await updateByIdWhere(NotificationModel, id, { status: 'sending' }, { $set: { status: final ? 'failed' : 'pending', leaseUntil: null, lastError: message } });
      logger.warn({ notification: id, channel: claimed.channel, attempt, final, error: message }, 'notification not delivered');
      if (final) { notificationsFailed.inc({ channel: claimed.channel }); return 'failed'; }
      throw new Error(`${claimed.channel} not delivered: ${message}`);
    }
    await NotificationModel.updateOne({ _id: id }, { $set: { status: 'sent', sentAt: new Date(), leaseUntil: null, lastError: null } });
    notificationsSent.inc({ channel: claimed.channel });
    return 'sent';
  };
}

export function notificationActivities(deps: ActivityDeps) {
  const deliver = notificationDelivery(deps);
  return {
    /** Delivers one queued notification (see notificationDelivery); Temporal retries it. */
    async deliverNotification(id: string): Promise<'sent' | 'failed' | 'cancelled' | 'gone'> {
      return deliver(id, Context.current().info.attempt);
    },
  };
}
