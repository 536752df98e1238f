// Gallring: the whole record to the archive store, then personal data out of every operational
// collection, then the treatment's data key (crypto-shredding its Temporal histories).
import { Patient } from '../models/patient';
import { Treatment, WelcomeText } from '../models/treatment';
import { UnreadFlag } from '../models/overview';
import {
  ActivityPlanModel, ConversationModel, FlagModel, FormSubmissionModel, MessageModel, NotificationModel, OccasionModel, TimelineModel,
} from '../models/clinical';
import { archiveConnection, sealRecord, type ArchivedRecord } from '../infra/archive';
import type { ActivityDeps } from './shared';
import { isDuplicateKey } from '../infra/duplicate-key';
import { ACTIVITY_FAILURE_TYPES, refuseForNow } from './failures';

export function gallringActivities({ config, codec }: ActivityDeps) {
  return {
    /**
     * Gallring, step 1: the whole record goes to the archive store. Written once ($setOnInsert):
     * a rerun after a crash in step 2 must not replace the archive with what is left.
     */
    async archiveTreatment(treatmentId: string): Promise<void> {
      const archive = await archiveConnection(config);
      const existing = await archive.collection('treatments').findOne({ _id: treatmentId as never }, { projection: { _id: 1 } });
      if (existing) return;
      const treatment = await Treatment.findById(treatmentId).lean();
      if (!treatment) throw refuseForNow(ACTIVITY_FAILURE_TYPES.treatmentNotFound, `treatment ${treatmentId} is not in the read model`);
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
        // Sealed with the archive's own key: the record is readable only with ARCHIVE_KEY (security #4).
        const record = { treatment, patient, welcomeText, forms, conversations, messages, timeline, flags, notifications, activityPlans: plans, occasions };
        await archive.collection<ArchivedRecord>('treatments').insertOne(sealRecord(config, treatmentId, record));
      } catch (err) {
        if (!isDuplicateKey(err)) throw err; // a concurrent attempt archived it
      }
    },

    /** Gallring, step 2: personal data leaves every operational collection. Idempotent. */
    async purgeTreatment(treatmentId: string): Promise<void> {
      const archive = await archiveConnection(config);
      if (!(await archive.collection('treatments').findOne({ _id: treatmentId as never }, { projection: { _id: 1 } }))) {
        throw refuseForNow(ACTIVITY_FAILURE_TYPES.notArchived, 'refusing to purge a treatment that is not archived');
      }
      const byTreatment = { treatmentId };
      await Promise.all([
        FormSubmissionModel.deleteMany(byTreatment), ConversationModel.deleteMany(byTreatment), MessageModel.deleteMany(byTreatment),
        TimelineModel.deleteMany(byTreatment), FlagModel.deleteMany(byTreatment), NotificationModel.deleteMany(byTreatment),
        ActivityPlanModel.deleteMany(byTreatment), OccasionModel.deleteMany(byTreatment), WelcomeText.deleteOne({ _id: treatmentId }),
        UnreadFlag.deleteMany(byTreatment),
      ]);
      const treatment = await Treatment.findById(treatmentId, { patientKey: 1 }).lean();
      if (treatment?.patientKey) {
        // The patient record goes with the last treatment that still needs it.
        const others = await Treatment.countDocuments({ patientKey: treatment.patientKey, _id: { $ne: treatmentId }, status: { $ne: 'purged' } });
        if (others === 0) await Patient.deleteOne({ _id: treatment.patientKey });
      }
      // Last: the treatment's data key. Every Temporal history of the treatment becomes unreadable.
      await codec?.shred(treatmentId);
    },
  };
}
