// Clinical work: the request schemas (they validate requests and describe them in OpenAPI).
import { z } from 'zod';
import { FLAG_TYPES, TIMELINE_TYPES } from '../../domain/types';
import { email, id, paging, phone, treatmentParams } from '../schemas';

/** A comma list of known types, as the pattern in /openapi.json says (a schema-valid list is never refused). */
function typeList(known: readonly string[]) {
  // Empty items are let through, as before ("a,,b", ""): they are dropped.
  const one = `(?:${known.map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})?`;
  const pattern = new RegExp(`^\\s*${one}\\s*(?:,\\s*${one}\\s*)*$`);
  return z.string().max(1000).superRefine((v, ctx) => {
    if (pattern.test(v)) return;
    const unknown = v.split(',').map((t) => t.trim()).filter((t) => t && !known.includes(t));
    ctx.addIssue({ code: 'custom', message: `unknown types: ${unknown.join(', ') || '(empty)'}; known: ${known.join(', ')}` });
  }).meta({ pattern: pattern.source }).transform((v) => v.split(',').map((t) => t.trim()).filter(Boolean));
}

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
  types: typeList(TIMELINE_TYPES).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  /** `newest` first (the clinician's Tidslinje) or `oldest` first (the default). */
  order: z.enum(['oldest', 'newest']).default('oldest'),
});

export const flagsQuery = z.strictObject({
  careUnitId: id.optional(),
  unread: z.enum(['true', 'false']).optional(),
  treatmentId: z.uuid().optional(),
  /** Only these flag types (comma-separated). */
  types: typeList(FLAG_TYPES).optional(),
  /** "Bara mina": only flags of treatments whose clinician is the caller now. */
  mine: z.enum(['true', 'false']).optional(),
  ...paging(50, 200),
});

export const conversationsQuery = z.strictObject({ ...paging(20, 100) });

export const flagParams = z.object({ id: z.string().min(1).max(300) });

export const careUnitParams = z.object({ careUnitId: id });

export const clinicianSettingsBody = z.strictObject({
  email: email.nullable(),
  phone: phone.nullable(),
  emailFlagTypes: z.array(z.enum(FLAG_TYPES)).max(FLAG_TYPES.length),
  /** Flag types that also (or only) send an SMS to the profile phone; absent: unchanged. */
  smsFlagTypes: z.array(z.enum(FLAG_TYPES)).max(FLAG_TYPES.length).optional(),
});

export const NOTE_KINDS = ['phone', 'visit', 'other'] as const;

/** Kontaktanteckning: a phone call, visit or other contact, recorded by the clinician. */
export const contactNoteBody = z.strictObject({ kind: z.enum(NOTE_KINDS), text: z.string().trim().min(1).max(5000) });
