// The API's problems (problem+json) in Swedish, for the clinician's and the patient's app alike: by
// the problem's `type` and status, and each field error by the field it names and its machine-readable
// reason (`code` with the limit or format, api/errors.ts). The API's English (`detail`, `message`)
// is for developers and is never read here, nor shown. Pure (no browser, no client): the server's
// unit tests put the API's own reasons through it (test/problem-words.test.ts).

/**
 * One field's error: `code` (zod's issue codes and the API's own, components.Problem) with the limit
 * or format it names; `message` is the API's English.
 */
export interface FieldProblem {
  field: string; message: string; code?: string; origin?: string; minimum?: number | string; maximum?: number | string; format?: string;
}

export interface Problem {
  /** The problem's type (api/errors.ts PROBLEM_TYPES), or about:blank: the status says it. */
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  errors?: FieldProblem[];
  /** Seconds to wait (Retry-After on 429), when the API said. */
  retryAfter?: number;
}

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

/** The problem types the API names beyond the status (api/errors.ts PROBLEM_TYPES). */
const typeWords: Record<string, string> = {
  'urn:tobakshjalpen:problem:read-only': 'Behandlingen kan bara läsas nu, så det går inte att skicka något.',
  'urn:tobakshjalpen:problem:not-open': 'Det går inte att skicka nu: steget är stängt.',
  'urn:tobakshjalpen:problem:answer-time-passed': 'Tiden för att svara har gått ut.',
  'urn:tobakshjalpen:problem:already-answered': 'Aktiviteten är redan besvarad.',
};

/** "1 minut", "5 minuter": how long to wait after a 429 (Retry-After), at least a minute. */
export const waitText = (seconds: number) => {
  const m = Math.max(1, Math.ceil(seconds / 60));
  return m === 1 ? '1 minut' : `${m} minuter`;
};

/** A limit in words: a number with a decimal comma, a date as it is. */
const limitText = (v: number | string | undefined) => (typeof v === 'number' ? String(v).replace('.', ',') : v ?? '');
const atMostOne = (v: number | string | undefined) => v === undefined || (typeof v === 'number' && v <= 1);

const PERSONNUMMER = 'Ogiltigt personnummer. Ange 12 siffror (ÅÅÅÅMMDD-NNNN) med rätt kontrollsiffra och ett födelsedatum som har passerat.';
const EMAIL = 'Ange en giltig e-postadress.';
const PHONE = 'Ange ett mobilnummer, till exempel 070-123 45 67.';
const DATE = 'Ange ett datum (ÅÅÅÅ-MM-DD).';

/** Words that belong to one field (the last part of its path), for the reasons that field has. */
const fieldWords: Record<string, (e: FieldProblem) => string | undefined> = {
  personnummer: () => PERSONNUMMER,
  email: (e) => (e.code === 'invalid_format' ? EMAIL : undefined),
  phone: (e) => (e.code === 'invalid_format' ? PHONE : undefined),
  code: (e) => ({
    wrong_code: 'Koden stämmer inte. Kontrollera den och försök igen.',
    code_expired: 'Koden har gått ut. Be om en ny kod.',
    no_code: 'Ingen kod väntar på att bekräftas. Be om en ny kod.',
    rate_limited: 'För många felaktiga försök. Be om en ny kod.',
  } as Record<string, string>)[e.code ?? ''] ?? 'Ange koden du fick, sex siffror.',
  channel: (e) => (e.code === 'rate_limited' ? 'Vänta en stund innan du ber om en ny kod.' : undefined),
  programId: () => 'Välj ett program.',
  careUnitId: () => 'Välj en av dina vårdenheter.',
  clinicianId: (e) => (e.code === 'unknown' ? 'Välj en behandlare som har loggat in på vårdenheten.' : undefined),
  formId: (e) => (e.code === 'unknown' ? 'Välj ett formulär ur programmet.' : undefined),
  reason: () => 'Välj en anledning.',
  returnTo: () => 'Sidan att gå tillbaka till finns inte här.',
  body: (e) => (e.code === 'invalid_format' ? 'Uppgifterna kunde inte läsas. Försök igen.' : undefined),
};

/** How far ahead a quit date may be (domain/forms.ts QUIT_DATE_MAX_WEEKS; test/problem-words.test.ts holds them together). */
export const QUIT_DATE_MAX_WEEKS = 12;

/** Words that belong to one question of the program (by its id), for the reasons it has. */
const questionWords: Record<string, (e: FieldProblem) => string | undefined> = {
  // The quit date's sense (domain/forms.ts quitDateRefusal): the limit is the date.
  quitDate: (e) => (e.code === 'too_small' && e.origin === 'date' ? `Stoppdatumet kan inte vara före behandlingens start (${limitText(e.minimum)}).`
    : e.code === 'too_big' && e.origin === 'date' ? `Välj ett stoppdatum inom ${QUIT_DATE_MAX_WEEKS} veckor, senast ${limitText(e.maximum)}.` : undefined),
};

/** A field's reason in words when the field itself has none: by code, origin and limit. */
function reasonText(e: FieldProblem, question: boolean): string {
  const empty = question ? 'Frågan måste besvaras.' : 'Fyll i fältet.';
  switch (e.code) {
    case 'too_small':
      if (e.origin === 'number') return `Ange minst ${limitText(e.minimum)}.`;
      if (e.origin === 'array' || e.origin === 'set') return atMostOne(e.minimum) ? 'Välj minst ett alternativ.' : `Välj minst ${limitText(e.minimum)}.`;
      if (e.origin === 'date') return `Datumet kan inte vara före ${limitText(e.minimum)}.`;
      return atMostOne(e.minimum) ? empty : `Skriv minst ${limitText(e.minimum)} tecken.`;
    case 'too_big':
      if (e.origin === 'number') return `Ange högst ${limitText(e.maximum)}.`;
      if (e.origin === 'array' || e.origin === 'set') return `Välj högst ${limitText(e.maximum)}.`;
      if (e.origin === 'date') return `Välj ett datum senast ${limitText(e.maximum)}.`;
      return `Högst ${limitText(e.maximum)} tecken.`;
    case 'invalid_type':
      if (e.origin === 'number') return 'Ange ett tal.';
      if (e.origin === 'boolean') return 'Välj Ja eller Nej.';
      if (e.origin === 'array') return 'Välj minst ett alternativ.';
      return empty;
    case 'invalid_format':
      if (e.format === 'date') return DATE;
      if (e.format === 'email') return EMAIL;
      if (e.format === 'personnummer') return PERSONNUMMER;
      if (e.format === 'time') return 'Ange en tid som TT:MM.';
      return 'Uppgiften har fel form. Kontrollera den och försök igen.';
    case 'invalid_value': return 'Välj ett av alternativen.';
    case 'unknown': return 'Finns inte. Välj ett av alternativen.';
    case 'unrecognized_keys': return 'Uppgiften hör inte till formuläret.';
    case 'rate_limited': return 'För många försök just nu. Vänta en stund och försök igen.';
    default: return question ? 'Svaret kunde inte tas emot. Kontrollera det och försök igen.' : 'Uppgiften kunde inte tas emot. Kontrollera den och försök igen.';
  }
}

/**
 * One field error in Swedish: by the field it names (its path in the request body; a form's answers
 * are questions) and its reason (code, with the limit or format). Never the API's message.
 */
export function fieldText(e: FieldProblem): string {
  const path = e.field.split('.');
  const question = path[0] === 'answers';
  const last = path.filter((p) => !/^\d+$/.test(p)).at(-1) ?? '';
  const own = (question ? questionWords : fieldWords)[last]?.(e);
  return own ?? reasonText(e, question);
}

/** A problem in words: by its type, then its status (and Retry-After); a single field error by its reason. */
export function problemText(problem: Problem): string {
  const { type, status, retryAfter, errors } = problem;
  if (type && typeWords[type]) return typeWords[type];
  if (status === 429 && retryAfter) return `För många försök just nu. Vänta ${waitText(retryAfter)} och försök igen.`;
  if (status === 400 && errors?.length === 1) return fieldText(errors[0]!);
  return statusWords[status] ?? `Något gick fel (felkod ${status}). Försök igen om en stund.`;
}

