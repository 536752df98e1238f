// Activity-plan occasions: put before the patient once, on the timeline, and announced; an
// occasion whose answer window closes unanswered flags the clinician (release 1.2).
import { ActivityPlanModel, OccasionModel, TimelineModel } from '../models/clinical';
import { Treatment } from '../models/treatment';
import { updateByIdWhere } from '../infra/store';
import type { DomainEvent } from '../domain/types';
import { insertOnce } from './shared';
import type { NotificationQueue } from './notifications';

type RecordEvent = (treatmentId: string, careUnitId: string, event: DomainEvent) => Promise<string[]>;

export function activityPlanActivities(queue: NotificationQueue, recordEvent: RecordEvent) {
  return {
    /** Puts one activity-plan occasion before the patient and queues the notice. */
    async openOccasion(o: { planId: string; treatmentId: string; index: number; dueAt: number; answerBy: number }): Promise<string[]> {
      const id = `${o.planId}:${o.index}`;
      // The occasion keeps the plan's elements as they are now: a later edit changes later occasions only.
      const plan = await ActivityPlanModel.findById(o.planId, { elements: 1 }).lean();
      await insertOnce(OccasionModel, id, {
        planId: o.planId, treatmentId: o.treatmentId, index: o.index, dueAt: new Date(o.dueAt), answerBy: new Date(o.answerBy), state: 'due',
        ...(plan ? { elements: plan.elements.map((e) => ({ formId: e.formId })) } : {}),
      });
      await insertOnce(TimelineModel, `${o.treatmentId}:occasion:${id}`, {
        treatmentId: o.treatmentId, type: 'activity_due', at: new Date(o.dueAt), actor: null, moduleId: null, ref: id, data: { planId: o.planId, index: o.index },
      });
      // Opened after its answer window (no time to answer, or the worker was down): missed at once,
      // so no notice is queued; one queued here would wait in the outbox for ever, never sent.
      if (Date.now() >= o.answerBy) return [];
      const ids = await queue.queuePatientNotice(o.treatmentId, `${o.treatmentId}:occasion:${id}`, 'activity_due');
      return queue.stillToSend(ids);
    },

    /**
     * The answer window of an occasion has closed: unanswered, it is missed ("missed" is not stored:
     * an occasion still `due` after answerBy), and the responsible clinician gets an `activity_missed`
     * flag (with its e-mail or SMS when chosen), keyed by the occasion so it is raised once.
     * Nothing for a treatment that has ended. Returns the notifications still to send.
     */
    async recordMissedOccasion(o: { planId: string; treatmentId: string; index: number; answerBy: number }): Promise<string[]> {
      const id = `${o.planId}:${o.index}`;
      const occasion = await OccasionModel.findById(id, { state: 1 }).lean();
      if (!occasion || occasion.state !== 'due') return [];
      const t = await Treatment.findById(o.treatmentId, { careUnitId: 1, clinicianId: 1, status: 1 }).lean();
      if (!t || (t.status !== 'active' && t.status !== 'invited')) return [];
      return recordEvent(o.treatmentId, t.careUnitId, {
        key: `occasion-missed:${id}`, type: 'activity_missed', at: o.answerBy, clinicianId: t.clinicianId, ref: id, flag: 'activity_missed',
        data: { planId: o.planId, index: o.index },
      });
    },

    async finishActivityPlan(planId: string, status: 'stopped' | 'completed'): Promise<void> {
      await updateByIdWhere(ActivityPlanModel, planId, { status: 'active' }, { $set: { status } });
    },
  };
}
