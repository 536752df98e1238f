// Errors in words: the API's problem (problem+json) by its status, in Swedish; and the API's field
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

/** "1 minut", "5 minuter": how long to wait after a 429 (Retry-After), at least a minute. */
export const waitText = (seconds: number) => {
  const m = Math.max(1, Math.ceil(seconds / 60));
  return m === 1 ? '1 minut' : `${m} minuter`;
};

/**
 * An error in words, by its status (and Retry-After): Swedish only. The API's detail is English for
 * developers and is never shown; field errors are placed at their fields by fieldErrorsOf.
 */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) {
    const { status, retryAfter } = error.problem;
    if (status === 429 && retryAfter) return `För många försök just nu. Vänta ${waitText(retryAfter)} och försök igen.`;
    return statusWords[status] ?? `Något gick fel (felkod ${status}). Försök igen om en stund.`;
  }
  if (error instanceof TypeError) return 'Kunde inte nå servern. Kontrollera anslutningen och försök igen.';
  return error instanceof Error && /[åäöÅÄÖ]/.test(error.message) ? error.message : 'Något gick fel. Försök igen om en stund.';
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
