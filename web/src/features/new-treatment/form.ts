// Starta ny behandling's fields: checked at the field before sending (zod, the API's limits), and
// the API's field errors (by their path in the request body) in Swedish at the field they name.
import { z } from 'zod';

export const fieldWords = {
  personnummer: 'Ogiltigt personnummer. Ange 12 siffror (ÅÅÅÅMMDD-NNNN) med rätt kontrollsiffra och ett födelsedatum som har passerat.',
  programId: 'Välj ett program.',
  careUnitId: 'Välj en av dina vårdenheter.',
  name: 'Ange ett namn (högst 200 tecken).',
  phone: 'Ange ett mobilnummer, till exempel 070-123 45 67.',
  email: 'Ange en giltig e-postadress.',
  welcome: 'Välkomsttexten får vara högst 10 000 tecken.',
};

export const startSchema = z.object({
  personnummer: z.string().trim().regex(/^(\d{8}-?\d{4})$/, fieldWords.personnummer),
  programId: z.string().min(1, fieldWords.programId),
  careUnitId: z.string().min(1, fieldWords.careUnitId),
  name: z.string().trim().max(200, fieldWords.name),
  phone: z.string().trim().max(40, fieldWords.phone),
  email: z.union([z.literal(''), z.email(fieldWords.email)]),
  welcome: z.string().trim().max(10_000, fieldWords.welcome),
});

export type StartValues = z.input<typeof startSchema>;
export type StartField = keyof StartValues;

/** The request body's paths → the form's fields. */
export const apiFields: Record<string, StartField> = {
  personnummer: 'personnummer', programId: 'programId', careUnitId: 'careUnitId',
  'patient.name': 'name', 'patient.phone': 'phone', 'patient.email': 'email', text: 'welcome',
};

/** The start request's body: only what was given. */
export function startBody(v: z.output<typeof startSchema>) {
  const patient = {
    ...(v.name ? { name: v.name } : {}),
    ...(v.phone ? { phone: v.phone } : {}),
    ...(v.email ? { email: v.email.trim() } : {}),
  };
  return { personnummer: v.personnummer, programId: v.programId, careUnitId: v.careUnitId, ...(Object.keys(patient).length ? { patient } : {}) };
}
