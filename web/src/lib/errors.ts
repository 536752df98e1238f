// Errors in words, in Swedish: the API's problem (lib/problem-words.ts, by type, status, field and
// reason), an unreachable server, anything else; and the API's field errors placed on the form
// fields they name (react-hook-form's setError).
import { ApiError } from '../api/client';
import { fieldText, problemText } from './problem-words';

export { fieldText, problemText, waitText } from './problem-words';

/** Any error in words, Swedish only: the API's problem (problemText), an unreachable server, or else a plain sentence. */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) return problemText(error.problem);
  if (error instanceof TypeError) return 'Kunde inte nå servern. Kontrollera anslutningen och försök igen.';
  return 'Något gick fel. Försök igen om en stund.';
}

export const isStatus = (error: unknown, status: number) => error instanceof ApiError && error.problem.status === status;

/**
 * The API's field errors for a form: each error whose field (by its path in the request body) is one
 * of `fields` (request path → form field), in Swedish from the form's own `words` for the field, else
 * by fieldText. Answers the form-field errors and whether some error named no field of the form.
 */
export function fieldErrorsOf<F extends string>(
  error: unknown, fields: Record<string, F>, words: Partial<Record<F, string>> = {},
): { errors: Array<[F, string]>; unplaced: boolean } {
  const errors: Array<[F, string]> = [];
  let unplaced = false;
  if (!(error instanceof ApiError)) return { errors, unplaced };
  for (const e of error.problem.errors ?? []) {
    const field = fields[e.field];
    if (field === undefined) { unplaced = true; continue; }
    if (!errors.some(([f]) => f === field)) errors.push([field, words[field] ?? fieldText(e)]);
  }
  return { errors, unplaced };
}
