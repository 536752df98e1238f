// Activity-plan occasions: put before the patient once, on the timeline, and announced.
import { ActivityPlanModel, OccasionModel, TimelineModel } from '../models/clinical';
import { updateByIdWhere } from '../infra/store';
import { insertOnce } from './shared';
import type { NotificationQueue } from './notifications';

export function activityPlanActivities(queue: NotificationQueue) {
  return {
    /** Puts one activity-plan occasion before the patient and queues the notice. */
    async openOccasion(o: { planId: string; treatmentId: string; index: number; dueAt: number; answerBy: number }): Promise<string[]> {
      const id = `${o.planId}:${o.index}`;
      await insertOnce(OccasionModel, id, {
        planId: o.planId, treatmentId: o.treatmentId, index: o.index, dueAt: new Date(o.dueAt), answerBy: new Date(o.answerBy), state: 'due',
      });
      await insertOnce(TimelineModel, `${o.treatmentId}:occasion:${id}`, {
        treatmentId: o.treatmentId, type: 'activity_due', at: new Date(o.dueAt), actor: null, moduleId: null, ref: id, data: { planId: o.planId, index: o.index },
      });
      const ids = await queue.queuePatientNotice(o.treatmentId, `${o.treatmentId}:occasion:${id}`, 'activity_due');
      return queue.stillToSend(ids);
    },

    async finishActivityPlan(planId: string, status: 'stopped' | 'completed'): Promise<void> {
      await updateByIdWhere(ActivityPlanModel, planId, { status: 'active' }, { $set: { status } });
    },
  };
}
