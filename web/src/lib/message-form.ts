// A message's fields, for the clinician's and the patient's forms: the API's limits
// (api/clinical-work/schemas.ts: subject 1–200, text 1–10 000 characters), in Swedish.
import { z } from 'zod';

export const messageWords = {
  subject: 'Skriv ett ämne (högst 200 tecken).',
  text: 'Skriv ett meddelande (högst 10 000 tecken).',
};

export const subjectField = z.string().trim().min(1, messageWords.subject).max(200, messageWords.subject);
export const textField = z.string().trim().min(1, messageWords.text).max(10_000, messageWords.text);

/** The request body's paths → the form's fields (the same names). */
export const messageApiFields = { subject: 'subject', text: 'text' } satisfies Record<string, 'subject' | 'text'>;
