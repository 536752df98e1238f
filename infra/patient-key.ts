import { createHmac } from 'node:crypto';

/** A keyed hash of a normalised personnummer: lets us find a patient without storing the number in an index or id. */
export function patientKey(secret: string, personnummer: string): string {
  return createHmac('sha256', secret).update(`personnummer:${personnummer}`).digest('hex');
}
