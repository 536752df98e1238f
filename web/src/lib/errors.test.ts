import { expect } from 'chai';
import { ApiError, type FieldProblem } from '../api/client';
import { errorText, fieldErrorsOf, fieldText, problemText } from './errors';

const validation = (errors: FieldProblem[]) => new ApiError({ status: 400, type: 'urn:tobakshjalpen:problem:validation', title: 'Invalid request', detail: 'English for developers', errors });
const e = (field: string, code: string, more: Partial<FieldProblem> = {}): FieldProblem => ({ field, code, message: 'Too small: expected string to have >=1 characters', ...more });

describe('errors in Swedish by problem type, status, field and reason; never the API\'s English', () => {
  it('429 names the minutes of Retry-After; other statuses their Swedish words', () => {
    expect(errorText(new ApiError({ status: 429, retryAfter: 300, detail: 'at most 30 messages an hour' }))).to.equal('För många försök just nu. Vänta 5 minuter och försök igen.');
    expect(errorText(new ApiError({ status: 429, retryAfter: 20 }))).to.equal('För många försök just nu. Vänta 1 minut och försök igen.');
    expect(errorText(new ApiError({ status: 409, detail: 'module step-2 is closed' }))).to.equal('Det går inte i behandlingens nuvarande läge.');
    expect(errorText(new ApiError({ status: 418 }))).to.match(/^Något gick fel \(felkod 418\)/);
  });

  it('a 409 by its type: read-only, a closed step, the time to answer passed, already answered', () => {
    const conflict = (type: string) => errorText(new ApiError({ status: 409, type: `urn:tobakshjalpen:problem:${type}`, detail: 'the time to answer has passed' }));
    expect(conflict('read-only')).to.equal('Behandlingen kan bara läsas nu, så det går inte att skicka något.');
    expect(conflict('not-open')).to.equal('Det går inte att skicka nu: steget är stängt.');
    expect(conflict('answer-time-passed')).to.equal('Tiden för att svara har gått ut.');
    expect(conflict('already-answered')).to.equal('Aktiviteten är redan besvarad.');
    expect(conflict('something-new')).to.equal('Det går inte i behandlingens nuvarande läge.');
  });

  it('a question\'s answer by its reason and limit (zod\'s issue codes)', () => {
    expect(fieldText(e('answers.cigarettesPerDay', 'too_big', { origin: 'number', maximum: 200 }))).to.equal('Ange högst 200.');
    expect(fieldText(e('answers.cigarettesPerDay', 'too_small', { origin: 'number', minimum: 0.5 }))).to.equal('Ange minst 0,5.');
    expect(fieldText(e('answers.why', 'too_small', { origin: 'string', minimum: 1 }))).to.equal('Frågan måste besvaras.');
    expect(fieldText(e('answers.why', 'too_big', { origin: 'string', maximum: 4000 }))).to.equal('Högst 4000 tecken.');
    expect(fieldText(e('answers.why', 'invalid_type', { origin: 'string' }))).to.equal('Frågan måste besvaras.');
    expect(fieldText(e('answers.check-in.tobaccoFree', 'invalid_type', { origin: 'boolean' }))).to.equal('Välj Ja eller Nej.');
    expect(fieldText(e('answers.n', 'invalid_type', { origin: 'number' }))).to.equal('Ange ett tal.');
    expect(fieldText(e('answers.status', 'invalid_value'))).to.equal('Välj ett av alternativen.');
    expect(fieldText(e('answers.kinds', 'too_small', { origin: 'array', minimum: 1 }))).to.equal('Välj minst ett alternativ.');
    expect(fieldText(e('answers.quitDate', 'invalid_format', { format: 'date' }))).to.equal('Ange ett datum (ÅÅÅÅ-MM-DD).');
    // The quit date's sense: not before the start, not more than twelve weeks ahead.
    expect(fieldText(e('answers.quitDate', 'too_small', { origin: 'date', minimum: '2026-03-01' }))).to.equal('Stoppdatumet kan inte vara före behandlingens start (2026-03-01).');
    expect(fieldText(e('answers.quitDate', 'too_big', { origin: 'date', maximum: '2026-06-01' }))).to.equal('Välj ett stoppdatum inom 12 veckor, senast 2026-06-01.');
    expect(fieldText(e('answers.when', 'too_big', { origin: 'date', maximum: '2026-06-01' }))).to.equal('Välj ett datum senast 2026-06-01.');
    expect(fieldText(e('answers.extra', 'unrecognized_keys'))).to.equal('Uppgiften hör inte till formuläret.');
    expect(fieldText(e('answers.x', 'custom'))).to.equal('Svaret kunde inte tas emot. Kontrollera det och försök igen.');
    // A reason the app does not know yet, or none at all: still Swedish.
    expect(fieldText({ field: 'answers.x', message: 'Something else entirely' })).to.equal('Svaret kunde inte tas emot. Kontrollera det och försök igen.');
  });

  it('a field of its own words: personnummer, e-post, mobilnummer, the code, the program', () => {
    expect(fieldText(e('personnummer', 'invalid_format', { format: 'personnummer' }))).to.match(/^Ogiltigt personnummer\./);
    expect(fieldText(e('patient.email', 'invalid_format', { format: 'email' }))).to.equal('Ange en giltig e-postadress.');
    expect(fieldText(e('phone', 'invalid_format', { format: 'regex' }))).to.equal('Ange ett mobilnummer, till exempel 070-123 45 67.');
    expect(fieldText(e('phone', 'too_big', { origin: 'string', maximum: 40 }))).to.equal('Högst 40 tecken.');
    expect(fieldText(e('code', 'wrong_code'))).to.equal('Koden stämmer inte. Kontrollera den och försök igen.');
    expect(fieldText(e('code', 'code_expired'))).to.equal('Koden har gått ut. Be om en ny kod.');
    expect(fieldText(e('code', 'no_code'))).to.equal('Ingen kod väntar på att bekräftas. Be om en ny kod.');
    expect(fieldText(e('channel', 'rate_limited'))).to.equal('Vänta en stund innan du ber om en ny kod.');
    expect(fieldText(e('programId', 'unknown'))).to.equal('Välj ett program.');
    expect(fieldText(e('elements.0.formId', 'unknown'))).to.equal('Välj ett formulär ur programmet.');
    expect(fieldText(e('startDate', 'too_small', { origin: 'date', minimum: '2026-05-04' }))).to.equal('Datumet kan inte vara före 2026-05-04.');
    expect(fieldText(e('subject', 'too_small', { origin: 'string', minimum: 1 }))).to.equal('Fyll i fältet.');
    expect(fieldText(e('body', 'invalid_format', { format: 'json' }))).to.equal('Uppgifterna kunde inte läsas. Försök igen.');
  });

  it('a 400 with one field error says that field\'s reason; with more, the status\'s words', () => {
    expect(problemText(validation([e('code', 'wrong_code')]).problem)).to.equal('Koden stämmer inte. Kontrollera den och försök igen.');
    expect(problemText(validation([e('a', 'invalid_value'), e('b', 'invalid_value')]).problem)).to.equal('Uppgifterna är inte giltiga.');
  });

  it('fieldErrorsOf places each error at its form field: the form\'s own words first, else by reason', () => {
    const err = validation([e('answers.q.n', 'too_big', { origin: 'number', maximum: 5 }), e('subject', 'too_big', { origin: 'string', maximum: 200 }), e('other', 'invalid_value')]);
    const placed = fieldErrorsOf(err, { 'answers.q.n': 'q0', subject: 'subject' }, { subject: 'Skriv ett ämne (högst 200 tecken).' });
    expect(placed.errors).to.deep.equal([['q0', 'Ange högst 5.'], ['subject', 'Skriv ett ämne (högst 200 tecken).']]);
    expect(placed.unplaced).to.equal(true);
    expect(fieldErrorsOf(new Error('x'), { a: 'a' }).errors).to.deep.equal([]);
  });

  it('an error that is not the API\'s: Swedish, whatever its message', () => {
    expect(errorText(new TypeError('Failed to fetch'))).to.equal('Kunde inte nå servern. Kontrollera anslutningen och försök igen.');
    expect(errorText(new Error('Required'))).to.equal('Något gick fel. Försök igen om en stund.');
  });
});
