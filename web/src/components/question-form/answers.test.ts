import { expect } from 'chai';
import { answersOf, checkAnswer, fieldsOf, rawValuesOf, schemaOf } from './answers';
import type { Question } from '../../lib/me';

const q = (id: string, type: Question['type'], more: Partial<Question> = {}): Question => ({ id, text: id, type, required: false, ...more });

describe('web program forms: checks and answers', () => {
  it('checks an answer as the API does, in Swedish', () => {
    expect(checkAnswer(q('n', 'number', { max: 200, min: 0 }), '500')).to.equal('Ange högst 200.');
    expect(checkAnswer(q('n', 'number', { min: 1 }), '0')).to.equal('Ange minst 1.');
    expect(checkAnswer(q('n', 'number'), 'tolv')).to.equal('Ange ett tal.');
    expect(checkAnswer(q('n', 'number', { max: 200 }), '12,5')).to.equal(undefined);
    expect(checkAnswer(q('t', 'text', { required: true }), '  ')).to.equal('Frågan måste besvaras.');
    expect(checkAnswer(q('t', 'text', { maxLength: 3 }), 'abcd')).to.equal('Högst 3 tecken.');
    expect(checkAnswer(q('d', 'date'), '2026-02-30')).to.equal('Ange ett datum (ÅÅÅÅ-MM-DD).');
    expect(checkAnswer(q('d', 'date'), '2026-02-28')).to.equal(undefined);
    expect(checkAnswer(q('m', 'multi-choice', { required: true, options: ['a'] }), [])).to.equal('Välj minst ett alternativ.');
    expect(checkAnswer(q('s', 'single-choice', { required: true, options: ['a'] }), null)).to.equal('Frågan måste besvaras.');
  });

  it('the schema puts each message at its field', () => {
    const fields = fieldsOf([{ key: null, questions: [q('a', 'number', { max: 2 }), q('b', 'text', { required: true })] }]);
    const result = schemaOf(fields).safeParse({ q0: '3', q1: '' });
    expect(result.success).to.equal(false);
    expect(result.error?.issues.map((i) => [i.path.join('.'), i.message])).to.deep.equal([['q0', 'Ange högst 2.'], ['q1', 'Frågan måste besvaras.']]);
  });

  it('answers: typed values, empty optional answers left out, grouped by form', () => {
    const fields = fieldsOf([
      { key: 'f1', questions: [q('n', 'number'), q('b', 'boolean'), q('t', 'text')] },
      { key: 'f2', questions: [q('m', 'multi-choice', { options: ['x', 'y'] }), q('d', 'date')] },
    ]);
    expect(fields.map((f) => f.path)).to.deep.equal(['f1.n', 'f1.b', 'f1.t', 'f2.m', 'f2.d']);
    expect(answersOf(fields, { q0: '12,5', q1: 'false', q2: ' ', q3: ['y'], q4: '' })).to.deep.equal({ f1: { n: 12.5, b: false }, f2: { m: ['y'] } });
  });

  it('answering again starts from the answers sent (Dina svar)', () => {
    const fields = fieldsOf([{ key: null, questions: [q('n', 'number'), q('b', 'boolean'), q('m', 'multi-choice', { options: ['x', 'y'] }), q('t', 'text')] }]);
    expect(rawValuesOf(fields, { n: 12.5, b: false, m: ['y'] })).to.deep.equal({ q0: '12.5', q1: 'false', q2: ['y'] });
  });
});
