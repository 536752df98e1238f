// One zod schema per request shape: it validates requests and (later) describes them in OpenAPI.
import { z } from 'zod';
import { FLAG_TYPES, TIMELINE_TYPES } from '../domain/types';
import { WEEKDAYS } from '../domain/schedule';

const id = z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9._:-]+$/, 'may contain letters, digits and . _ : - only');

export const createTreatmentBody = z.strictObject({
  personnummer: z.string().max(20),
  programId: id,
  careUnitId: id,
  patient: z.strictObject({
    name: z.string().trim().min(1).max(200).optional(),
    phone: z.string().trim().regex(/^\+?[0-9 ()-]{6,20}$/, 'must be a phone number').optional(),
    email: z.email().max(254).optional(),
  }).optional(),
});

/** Every list pages: `page` (from 1) and `pageSize`; the answer says `total`. */
const paging = (defaultSize: number, maxSize: number) => ({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(maxSize).default(defaultSize),
});

export const listTreatmentsQuery = z.strictObject({
  careUnitId: id.optional(),
  status: z.enum(['invited', 'active', 'ended', 'maintenance', 'purged']).optional(),
  flagged: z.enum(['true', 'false']).optional(),
  /** "Mina patienter": only treatments this clinician is responsible for. */
  mine: z.enum(['true', 'false']).optional(),
  /** A personnummer (12 digits) or part of a name. */
  q: z.string().trim().min(1).max(100).optional(),
  sort: z.enum(['startedAt', '-startedAt', 'lastActiveAt', '-lastActiveAt', 'name', '-name', 'unreadFlags', '-unreadFlags']).default('-startedAt'),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

export const treatmentParams = z.object({ id: z.uuid('must be a treatment id') });
export const moduleParams = treatmentParams.extend({ moduleId: id });
export const sectionParams = z.object({ moduleId: id, sectionId: id });

export const welcomeTextBody = z.strictObject({ text: z.string().trim().min(1).max(10_000) });
export const endBody = z.strictObject({ reason: id, maintenance: z.boolean().default(false) });
export const sectionProgressBody = z.strictObject({ progress: z.enum(['started', 'finished']) });

export const workDaysBody = z.strictObject({ workDays: z.number().int().min(1).max(365) });
export const formParams = z.object({ moduleId: id, formId: id });
export const submitFormBody = z.strictObject({ answers: z.record(z.string(), z.unknown()) });
export const submissionParams = treatmentParams.extend({ submissionId: z.uuid('must be a submission id') });
export const conversationParams = z.object({ cid: z.uuid('must be a conversation id') });
export const treatmentConversationParams = treatmentParams.extend({ cid: z.uuid('must be a conversation id') });
const messageText = z.string().trim().min(1).max(10_000);
export const newConversationBody = z.strictObject({ subject: z.string().trim().min(1).max(200), text: messageText, notify: z.boolean().default(false) });
export const newMessageBody = z.strictObject({ text: messageText, notify: z.boolean().default(false) });
export const timelineQuery = z.strictObject({
  ...paging(100, 500),
  types: z.string().max(1000).optional().transform((v, ctx) => {
    if (v === undefined) return undefined;
    const types = v.split(',').map((t) => t.trim()).filter(Boolean);
    const unknown = types.filter((t) => !(TIMELINE_TYPES as readonly string[]).includes(t));
    if (unknown.length) ctx.addIssue({ code: 'custom', message: `unknown types: ${unknown.join(', ')}; known: ${TIMELINE_TYPES.join(', ')}` });
    return types;
  }),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});
export const flagsQuery = z.strictObject({
  careUnitId: id.optional(),
  unread: z.enum(['true', 'false']).optional(),
  treatmentId: z.uuid().optional(),
  ...paging(50, 200),
});
export const conversationsQuery = z.strictObject({ ...paging(20, 100) });
export const flagParams = z.object({ id: z.string().min(1).max(300) });
const phone = z.string().trim().regex(/^\+?[0-9 ()-]{6,20}$/, 'must be a phone number');
export const clinicianSettingsBody = z.strictObject({
  email: z.email().max(254).nullable(),
  phone: phone.nullable(),
  emailFlagTypes: z.array(z.enum(FLAG_TYPES)).max(FLAG_TYPES.length),
  /** Flag types that also (or only) send an SMS to the profile phone; absent: unchanged. */
  smsFlagTypes: z.array(z.enum(FLAG_TYPES)).max(FLAG_TYPES.length).optional(),
});
export const patientSettingsBody = z.strictObject({
  phone: phone.nullable(),
  email: z.email().max(254).nullable(),
  notifyBySms: z.boolean(),
  notifyByEmail: z.boolean(),
});
export const NOTE_KINDS = ['phone', 'visit', 'other'] as const;
/** Kontaktanteckning: a phone call, visit or other contact, recorded by the clinician. */
export const contactNoteBody = z.strictObject({ kind: z.enum(NOTE_KINDS), text: z.string().trim().min(1).max(5000) });
export const changeClinicianBody = z.strictObject({ clinicianId: id });

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/, 'must be a local time HH:MM');
export const activityPlanBody = z.strictObject({
  title: z.string().trim().min(1).max(200),
  elements: z.array(z.strictObject({ formId: id })).min(1).max(20),
  schedule: z.strictObject({
    weekdays: z.array(z.enum(WEEKDAYS)).min(1).max(7),
    times: z.array(clockTime).min(1).max(12),
    weeks: z.number().int().min(1).max(104),
  }),
  answerWindowDays: z.number().int().min(0).max(30),
});
export const planParams = treatmentParams.extend({ planId: z.uuid('must be an activity plan id') });
export const occasionParams = z.object({ occasionId: z.string().regex(/^[0-9a-f-]{36}:\d{1,4}$/, 'must be an occasion id') });
export const occasionAnswerBody = z.strictObject({ answers: z.record(z.string(), z.unknown()) });
/** Whole days only (YYYY-MM-DD): a range of seconds could single a patient out. */
export const statisticsQuery = z.strictObject({
  careUnitId: id.optional(),
  region: id.optional(),
  programId: id.optional(),
  from: z.iso.date('must be a date YYYY-MM-DD').optional(),
  to: z.iso.date('must be a date YYYY-MM-DD').optional(),
}).refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'must not be before from', path: ['to'] });
