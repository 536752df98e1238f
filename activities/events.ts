// Events: each becomes a timeline entry, the clinician's flag (and its e-mail when the clinician
// asked for that type) and the patient's notices, all keyed by the event so nothing is written twice.
import { ClinicianModel, FlagModel, TimelineModel } from '../models/clinical';
import type { DomainEvent } from '../domain/types';
import { flagsRaised, treatmentsEnded, treatmentsStarted } from '../infra/metrics';
import { insertOnce } from './shared';
import { markUnread } from '../infra/overview-rows';
import { swedishDate } from '../domain/durations';
import type { NotificationQueue } from './notifications';

export function eventActivities(queue: NotificationQueue) {
  const { queueNotification, queuePatientNotice, stillToSend } = queue;
  const activities = {
    /**
     * Release 1.3: the events pending at one moment, recorded in their order by one activity (one
     * activity and one workflow task in the history instead of one of each per event). Each is
     * keyed as by recordEvent, so a retry of the whole batch writes nothing twice.
     */
    async recordEvents(treatmentId: string, careUnitId: string, events: DomainEvent[]): Promise<string[]> {
      const toSend: string[] = [];
      for (const event of events) toSend.push(...(await activities.recordEvent(treatmentId, careUnitId, event)));
      return toSend;
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
        const fresh = await insertOnce(FlagModel, id, {
          treatmentId, careUnitId, clinicianId: event.clinicianId, type: event.flag, moduleId: event.moduleId ?? null,
          ref: event.ref ?? null, createdAt: at, readAt: null,
        });
        if (fresh) flagsRaised.inc({ type: event.flag });
        // The overview counts unread flags by their markers (models/overview.ts).
        await markUnread(id, fresh, { treatmentId, careUnitId, type: event.flag, ref: event.ref ?? null });
        await insertOnce(TimelineModel, `${id}:flag`, {
          treatmentId, type: 'flag_raised', at, actor: event.clinicianId, moduleId: event.moduleId ?? null, ref: id, data: { flag: event.flag },
        });
        const clinician = await ClinicianModel.findById(event.clinicianId).lean();
        // Per flag type the clinician chose e-mail, SMS, both or neither (min profil).
        // A flag notice tells of a patient: only to an address the clinician has verified, else `skipped_unverified`.
        const channels = [
          ['email', clinician?.email, clinician?.emailFlagTypes, clinician?.verifiedEmail],
          ['sms', clinician?.phone, clinician?.smsFlagTypes, clinician?.verifiedPhone],
        ] as const;
        for (const [channel, to, types, verified] of channels) {
          if (!to || !(types ?? []).includes(event.flag)) continue;
          notifications.push(await queueNotification(`${id}:${channel}:${event.clinicianId}`, {
            treatmentId, channel, recipient: 'clinician', to, template: { kind: 'flag', flag: event.flag, treatmentId },
          }, verified === to));
        }
      }
      if (event.notifyPatient) {
        const until = typeof event.data?.maintenanceUntil === 'number' ? swedishDate(event.data.maintenanceUntil) : null;
        notifications.push(...(await queuePatientNotice(treatmentId, id, event.notifyPatient, { readableUntil: until, moduleId: event.moduleId ?? null })));
      }
      return stillToSend(notifications);
    },
  };
  return activities;
}
