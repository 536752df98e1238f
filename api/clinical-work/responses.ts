// The answers of clinical work: conversations, forms, the timeline, contact notes, flags and the clinician's profile.
import { z } from 'zod';
import { FLAG_TYPES } from '../../domain/types';
import { flagSeverity, instant, listOf, paged } from '../responses';

export const message = z.object({ id: z.string(), author: z.enum(['clinician', 'patient']), text: z.string(), sentAt: instant }).meta({ id: 'Message' });

export const conversation = z.object({
  id: z.string(), subject: z.string(), startedBy: z.enum(['clinician', 'patient']), createdAt: instant, messages: z.array(message),
}).meta({ id: 'Conversation' });

export const conversations = paged(conversation);

/** A message as the patient sees it: a clinician's message is `unread` until the patient's first read of it (that read marks it). */
export const patientMessage = message.extend({ unread: z.boolean() }).meta({ id: 'PatientMessage' });
export const patientConversation = conversation.extend({ messages: z.array(patientMessage) }).meta({ id: 'PatientConversation' });
export const patientConversations = paged(patientConversation);

export const formSubmitted = z.object({ id: z.string(), moduleId: z.string(), formId: z.string(), submittedAt: instant });

export const formSummary = z.object({ id: z.string(), moduleId: z.string(), formId: z.string(), submittedAt: instant, openedAt: instant.nullable() });
export const formList = listOf(formSummary);
/** One submission with its answers, keyed by question id. */
export const formSubmission = formSummary.extend({ answers: z.record(z.string(), z.unknown()) }).meta({ id: 'FormSubmission' });

export const timelineEntry = z.object({
  id: z.string(), type: z.string(), at: instant, actor: z.string().nullable(), moduleId: z.string().nullable(), ref: z.string().nullable(),
  data: z.record(z.string(), z.unknown()).nullable(),
}).meta({ id: 'TimelineEntry' });
export const timeline = paged(timelineEntry);

export const contactNote = z.object({
  id: z.string(), type: z.literal('note'), at: instant, actor: z.string(), kind: z.enum(['phone', 'visit', 'other']), text: z.string(),
});

export const flag = z.object({
  id: z.string(), treatmentId: z.string(), type: z.enum(FLAG_TYPES), severity: flagSeverity,
  moduleId: z.string().nullable(), ref: z.string().nullable(), clinicianId: z.string().nullable(),
  createdAt: instant, readAt: instant.nullable(),
}).meta({ id: 'Flag' });
/** A flag in the work queue (GET /api/flags): with the patient's name and personnummer, as the overview shows them (null once purged). */
export const flagListItem = flag.extend({ patientName: z.string().nullable(), personnummer: z.string().nullable() }).meta({ id: 'FlagListItem' });
export const flags = paged(flagListItem);
export const flagsRead = z.object({ read: z.number().int().min(0) }).meta({ id: 'FlagsRead' });

/** A clinician of a care unit, known to the system by having signed in there. */
export const unitClinicians = z.object({
  items: z.array(z.object({ hsaId: z.string(), name: z.string().nullable() })),
}).meta({ id: 'UnitClinicians' });

export const clinicianSettings = z.object({
  email: z.string().nullable(), phone: z.string().nullable(),
  /** Flag types that also send an e-mail, and those that also send an SMS. */
  emailFlagTypes: z.array(z.enum(FLAG_TYPES)), smsFlagTypes: z.array(z.enum(FLAG_TYPES)),
  /** The address is verified: its owner entered the code sent there. Flag notices go only to verified addresses. */
  emailVerified: z.boolean(), phoneVerified: z.boolean(),
}).meta({ id: 'ClinicianSettings' });
