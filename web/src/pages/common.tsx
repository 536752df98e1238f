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

export function ErrorText({ error, id }: { error: unknown; id?: string }) {
  return <p className="error" role="alert" id={id}>{errorText(error)}</p>;
}
