import { expect } from 'chai';
import { closesText, deadlineText } from './deadline';
import { sentAnswerText } from '../../components/question-form/SentAnswers';

describe('patient home: deadlines true to the instant a step closes, answers in words', () => {
  // 2026-12-10 23:59:59.999 in Stockholm (UTC+1) is 22:59:59.999Z.
  const endOfDay = '2026-12-10T22:59:59.999Z';
  it('"till och med" only at the end of the Swedish day, else the time', () => {
    expect(closesText(endOfDay)).to.equal('till och med 2026-12-10');
    expect(closesText('2026-12-10T13:00:00.000Z')).to.equal('till 2026-12-10 kl. 14:00');
  });
  it('days left, "1 dag", the last day and a passed deadline', () => {
    expect(deadlineText(endOfDay, new Date('2026-12-07T10:00:00Z'))).to.equal('3 dagar kvar, till och med 2026-12-10');
    expect(deadlineText(endOfDay, new Date('2026-12-09T10:00:00Z'))).to.equal('1 dag kvar, till och med 2026-12-10');
    expect(deadlineText(endOfDay, new Date('2026-12-10T21:00:00Z'))).to.equal('sista dagen, till och med 2026-12-10');
    expect(deadlineText(endOfDay, new Date('2026-12-11T08:00:00Z'))).to.equal('tiden gick ut 2026-12-10');
  });
  it('Dina svar: answers as the question asked them', () => {
    expect(sentAnswerText({ id: 'b', text: 'b', type: 'boolean', required: true }, false)).to.equal('Nej');
    expect(sentAnswerText({ id: 's', text: 's', type: 'single-choice', required: true, options: ['tobacco-free'] }, 'tobacco-free')).to.equal('Tobaksfri');
    expect(sentAnswerText({ id: 'm', text: 'm', type: 'multi-choice', required: true, options: ['snus', 'cigaretter'] }, ['snus', 'cigaretter'])).to.equal('Snus, Cigaretter');
    expect(sentAnswerText({ id: 'd', text: 'd', type: 'date', required: true }, '2027-01-15')).to.equal('15 januari 2027');
    expect(sentAnswerText({ id: 'n', text: 'n', type: 'number', required: true }, 12.5)).to.equal('12,5');
    expect(sentAnswerText({ id: 't', text: 't', type: 'text', required: false }, undefined)).to.equal('Inget svar');
  });
});
