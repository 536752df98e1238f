// Clinical records of a treatment. Personal content (answers, message text) lives here only.
import { Schema, model, type InferSchemaType } from 'mongoose';
import { verificationFields } from './verification';

const formSubmissionSchema = new Schema(
  {
    _id: { type: String, required: true },
    treatmentId: { type: String, required: true },
    moduleId: { type: String, required: true },
    formId: { type: String, required: true },
    answers: { type: Schema.Types.Mixed, required: true },
    submittedAt: { type: Date, required: true },
    openedAt: { type: Date, default: null },
    openedBy: { type: String, default: null },
  },
  { versionKey: false, minimize: false },
);
formSubmissionSchema.index({ treatmentId: 1, submittedAt: -1 });
export type FormSubmissionDoc = InferSchemaType<typeof formSubmissionSchema>;
export const FormSubmissionModel = model('FormSubmission', formSubmissionSchema, 'form_submissions');

// Messages are documents of their own, only ever inserted: two messages at once can never
// overwrite each other, whatever the store's update semantics. The one field set later is
// readByPatientAt, on the clinician's messages, when the patient reads the conversations.
const messageSchema = new Schema(
  {
    _id: { type: String, required: true },
    conversationId: { type: String, required: true },
    treatmentId: { type: String, required: true },
    author: { type: String, enum: ['clinician', 'patient'], required: true },
    authorId: { type: String, default: null }, // the clinician's HSA-id; null for the patient
    text: { type: String, required: true },
    sentAt: { type: Date, required: true },
    /** A clinician's message: when the patient first read it (GET /api/me/treatment/conversations); null: unread. */
    readByPatientAt: { type: Date, default: null },
  },
  { versionKey: false },
);
messageSchema.index({ treatmentId: 1, sentAt: 1 });
messageSchema.index({ sentAt: 1 }); // the live-update poller's read of new messages (api/live/feed.ts)
export type MessageDoc = InferSchemaType<typeof messageSchema>;
export const MessageModel = model('Message', messageSchema, 'messages');

const conversationSchema = new Schema(
  {
    _id: { type: String, required: true },
    treatmentId: { type: String, required: true },
    subject: { type: String, required: true },
    startedBy: { type: String, enum: ['clinician', 'patient'], required: true },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
);
conversationSchema.index({ treatmentId: 1, createdAt: -1 });
export type ConversationDoc = InferSchemaType<typeof conversationSchema>;
export const ConversationModel = model('Conversation', conversationSchema, 'conversations');

// _id = `${treatmentId}:${event key}`: recording the same event twice finds the same document.
const flagSchema = new Schema(
  {
    _id: { type: String, required: true },
    treatmentId: { type: String, required: true },
    careUnitId: { type: String, required: true },
    clinicianId: { type: String, required: true },
    type: { type: String, required: true },
    moduleId: { type: String, default: null },
    ref: { type: String, default: null },
    createdAt: { type: Date, required: true },
    readAt: { type: Date, default: null },
  },
  { versionKey: false },
);
flagSchema.index({ careUnitId: 1, createdAt: -1 });
flagSchema.index({ treatmentId: 1, readAt: 1 });
export type FlagDoc = InferSchemaType<typeof flagSchema>;
export const FlagModel = model('Flag', flagSchema, 'flags');

const timelineSchema = new Schema(
  {
    _id: { type: String, required: true },
    treatmentId: { type: String, required: true },
    type: { type: String, required: true },
    at: { type: Date, required: true },
    actor: { type: String, default: null },
    moduleId: { type: String, default: null },
    ref: { type: String, default: null },
    data: { type: Schema.Types.Mixed, default: null },
  },
  { versionKey: false },
);
timelineSchema.index({ treatmentId: 1, at: 1 });
export type TimelineDoc = InferSchemaType<typeof timelineSchema>;
export const TimelineModel = model('TimelineEntry', timelineSchema, 'timeline');

const clinicianSchema = new Schema(
  {
    _id: { type: String, required: true }, // HSA-id
    /** The clinician's name from the sign-in token (`name` claim), for Byt behandlare; null when the provider sends none. */
    name: { type: String, default: null },
    email: { type: String, default: null },
    phone: { type: String, default: null },
    emailFlagTypes: { type: [String], default: [] },
    smsFlagTypes: { type: [String], default: [] },
    // The care units this clinician has signed in for: a treatment can be handed only to a clinician known in its unit.
    careUnits: { type: [String], default: [] },
    ...verificationFields,
  },
  { versionKey: false, timestamps: true },
);
export type ClinicianDoc = InferSchemaType<typeof clinicianSchema>;
export const ClinicianModel = model('Clinician', clinicianSchema, 'clinicians');

// The outbox: one document per notification, _id = its idempotency key.
const notificationSchema = new Schema(
  {
    _id: { type: String, required: true },
    // null for a clinician's own notices (a verification code for their profile).
    treatmentId: { type: String, default: null },
    channel: { type: String, enum: ['sms', 'email'], required: true },
    recipient: { type: String, enum: ['patient', 'clinician'], required: true },
    to: { type: String, required: true },
    template: { type: String, required: true },
    // coalesced / suppressed / skipped_unverified: never sent (a repeat within the coalescing window;
    // over the per-recipient quota; a health-related notice to an address its owner has not verified).
    status: { type: String, enum: ['pending', 'sending', 'sent', 'failed', 'cancelled', 'coalesced', 'suppressed', 'skipped_unverified'], required: true },
    attempts: { type: Number, default: 0 },
    leaseUntil: { type: Date, default: null },
    lastError: { type: String, default: null },
    createdAt: { type: Date, required: true },
    sentAt: { type: Date, default: null },
  },
  { versionKey: false },
);
notificationSchema.index({ status: 1, createdAt: 1 });
notificationSchema.index({ treatmentId: 1 });
notificationSchema.index({ to: 1, createdAt: -1 });
export type NotificationDoc = InferSchemaType<typeof notificationSchema>;
export const NotificationModel = model('Notification', notificationSchema, 'notifications');

const activityPlanSchema = new Schema(
  {
    _id: { type: String, required: true },
    treatmentId: { type: String, required: true },
    title: { type: String, required: true },
    elements: { type: [new Schema({ formId: { type: String, required: true } }, { _id: false })], required: true },
    schedule: {
      weekdays: { type: [String], required: true },
      times: { type: [String], required: true },
      weeks: { type: Number, required: true },
    },
    answerWindowDays: { type: Number, required: true },
    // The plan's first day (YYYY-MM-DD, Sweden); null for plans added before release 1.2 (their creation day).
    startDate: { type: String, default: null },
    updatedAt: { type: Date, default: null },
    createdAt: { type: Date, required: true },
    createdBy: { type: String, required: true },
    status: { type: String, enum: ['active', 'stopped', 'completed'], required: true },
  },
  { versionKey: false },
);
activityPlanSchema.index({ treatmentId: 1 });
export const ActivityPlanModel = model('ActivityPlan', activityPlanSchema, 'activity_plans');

// One document per occasion, _id = `${planId}:${index}`: opened by the plan's workflow, answered by
// the patient. "missed" is not stored: it is "due" after answerBy.
const occasionSchema = new Schema(
  {
    _id: { type: String, required: true },
    planId: { type: String, required: true },
    treatmentId: { type: String, required: true },
    index: { type: Number, required: true },
    dueAt: { type: Date, required: true },
    answerBy: { type: Date, required: true },
    state: { type: String, enum: ['due', 'answered'], required: true },
    // The plan's elements when the occasion opened (release 1.2): an edit of the plan changes later occasions only.
    elements: { type: [new Schema({ formId: { type: String, required: true } }, { _id: false })], default: undefined },
    answers: { type: Schema.Types.Mixed, default: null },
    answeredAt: { type: Date, default: null },
  },
  { versionKey: false, minimize: false },
);
occasionSchema.index({ treatmentId: 1, dueAt: 1 });
export const OccasionModel = model('Occasion', occasionSchema, 'activity_occasions');
