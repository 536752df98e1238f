// The API's 400s and the web app's words meet here (issue 25): every answer the program's forms can
// refuse, as the API words its reason (api/errors.ts fromZod, domain/forms.ts), reads as a Swedish
// sentence in the app (web/src/lib/errors.ts), without the app reading the API's English.
import { expect } from 'chai';
import { z } from 'zod';
import { fromZod } from '../api/errors';
import { answersSchema, quitDateRefusal, QUIT_DATE_MAX_WEEKS } from '../domain/forms';
import type { ProgramForm } from '../domain/program';
import { fieldText, problemText, QUIT_DATE_MAX_WEEKS as WEB_QUIT_DATE_MAX_WEEKS } from '../web/src/lib/problem-words';

const form = {
  id: 'f', title: 'F', questions: [
    { id: 'n', text: 'Hur många?', type: 'number', required: true, min: 0, max: 200 },
    { id: 't', text: 'Varför?', type: 'text', required: true, maxLength: 10 },
    { id: 'b', text: 'Ja eller nej?', type: 'boolean', required: true },
    { id: 'd', text: 'Vilket datum?', type: 'date', required: true },
    { id: 's', text: 'Hur går det?', type: 'single-choice', required: true, options: ['tobacco-free', 'reduced'] },
    { id: 'm', text: 'Vilka?', type: 'multi-choice', required: true, options: ['a', 'b'] },
  ],
} as unknown as ProgramForm;

/** What the app says at each field for these answers, as the API refuses them. */
function wordsFor(answers: unknown): Record<string, string> {
  const result = answersSchema(form).safeParse(answers);
  expect(result.success).to.equal(false);
  const problem = fromZod(result.error!, 'body', ['answers']);
  expect(problem.type).to.equal('urn:tobakshjalpen:problem:validation');
  return Object.fromEntries(problem.errors.map((e) => [e.field, fieldText(e)]));
}

describe('the API\'s reasons in the app\'s Swedish (no server)', () => {
  it('each refused answer of a form, by its reason and limit', () => {
    expect(wordsFor({ n: 201, t: 'x'.repeat(11), b: 'ja', d: '2026-02-30', s: 'gone', m: [], extra: 1 })).to.deep.equal({
      'answers.n': 'Ange högst 200.',
      'answers.t': 'Högst 10 tecken.',
      'answers.b': 'Välj Ja eller Nej.',
      'answers.d': 'Ange ett datum (ÅÅÅÅ-MM-DD).',
      'answers.s': 'Välj ett av alternativen.',
      'answers.m': 'Välj minst ett alternativ.',
      'answers.extra': 'Uppgiften hör inte till formuläret.',
    });
    expect(wordsFor({ n: -1, t: ' ', b: true, d: '2026-02-28', s: 'reduced', m: ['a'] })).to.deep.equal({
      'answers.n': 'Ange minst 0.', 'answers.t': 'Frågan måste besvaras.',
    });
    expect(wordsFor({})).to.deep.include({ 'answers.n': 'Ange ett tal.', 'answers.t': 'Frågan måste besvaras.', 'answers.m': 'Välj minst ett alternativ.' });
  });

  it('the quit date\'s sense: not before the start, at most twelve weeks ahead, with the date', () => {
    const early = quitDateRefusal('2026-01-01', '2026-02-01', '2026-02-10')!;
    expect(fieldText({ field: 'answers.quitDate', ...early })).to.equal('Stoppdatumet kan inte vara före behandlingens start (2026-02-01).');
    const late = quitDateRefusal('2027-01-01', '2026-02-01', '2026-02-10')!;
    expect(fieldText({ field: 'answers.quitDate', ...late })).to.equal('Välj ett stoppdatum inom 12 veckor, senast 2026-05-05.');
    expect(WEB_QUIT_DATE_MAX_WEEKS).to.equal(QUIT_DATE_MAX_WEEKS);
    // Another date question with a limit: the date itself.
    expect(fieldText({ field: 'answers.other', ...late })).to.equal('Välj ett datum senast 2026-05-05.');
  });

  it('a body field of the API\'s own schemas: an e-mail address it refuses', () => {
    const bad = fromZod(z.object({ email: z.email() }).safeParse({ email: 'nej' }).error!);
    expect(problemText({ status: 400, errors: bad.errors })).to.equal('Ange en giltig e-postadress.');
  });
});
