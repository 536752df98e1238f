// Errors in words: what the API said (problem+json), introduced in Swedish; and the API's field
// errors placed on the form fields they name (react-hook-form's setError).
import { ApiError } from '../api/client';

const statusWords: Record<number, string> = {
  400: 'Uppgifterna är inte giltiga.',
  401: 'Du är inte inloggad längre. Logga in igen.',
  403: 'Du har inte behörighet till detta.',
  404: 'Hittades inte, eller så har du inte tillgång till den.',
  409: 'Det går inte i behandlingens nuvarande läge.',
  413: 'För mycket text.',
  429: 'För många förfrågningar. Vänta en minut och försök igen.',
  503: 'Tjänsten är tillfälligt otillgänglig. Försök igen om en stund.',
};

/** An error in words: what the API said (problem+json), introduced in Swedish. */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) {
    const base = statusWords[error.problem.status] ?? `Något gick fel (${error.problem.status}).`;
    const detail = error.problem.detail;
    return detail && !error.problem.errors?.length ? `${base} (${detail})` : base;
  }
  if (error instanceof TypeError) return 'Kunde inte nå servern. Kontrollera anslutningen och försök igen.';
  return error instanceof Error ? error.message : 'Något gick fel.';
}

export const isStatus = (error: unknown, status: number) => error instanceof ApiError && error.problem.status === status;

/**
 * The API's field errors for a form: each error whose field (by its path in the request body) is one
 * of `fields` (request path → form field), in Swedish from `words` (else `fallback(message)`).
 * Answers the form-field errors and whether some error named no field of the form.
 */
export function fieldErrorsOf<F extends string>(
  error: unknown, fields: Record<string, F>, words: Partial<Record<F, string>>, fallback: (message: string) => string = (m) => m,
): { errors: Array<[F, string]>; unplaced: boolean } {
  const errors: Array<[F, string]> = [];
  let unplaced = false;
  if (!(error instanceof ApiError)) return { errors, unplaced };
  for (const e of error.problem.errors ?? []) {
    const field = fields[e.field];
    if (field === undefined) { unplaced = true; continue; }
    if (!errors.some(([f]) => f === field)) errors.push([field, words[field] ?? fallback(e.message)]);
  }
  return { errors, unplaced };
}
