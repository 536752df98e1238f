import { expect } from 'chai';
import { followUpState, type FollowUp } from './follow-up';

const base: FollowUp = { index: 0, dueAt: '2027-03-01T09:00:00.000Z', openedAt: null, remindedAt: null, escalatedAt: null, answeredAt: null };

describe('a follow-up\'s state in words', () => {
  it('kommande, skickad, påmind, obesvarad, besvarad', () => {
    expect(followUpState(undefined)).to.equal('Kommande');
    expect(followUpState(base)).to.equal('Kommande');
    const sent = { ...base, openedAt: '2027-03-01T09:00:00.000Z' };
    expect(followUpState(sent)).to.equal('Skickad 2027-03-01');
    const reminded = { ...sent, remindedAt: '2027-03-08T09:00:00.000Z' };
    expect(followUpState(reminded)).to.equal('Påmind 2027-03-08');
    expect(followUpState({ ...reminded, escalatedAt: '2027-03-15T09:00:00.000Z' })).to.equal('Obesvarad');
    expect(followUpState({ ...reminded, escalatedAt: '2027-03-15T09:00:00.000Z', answeredAt: '2027-03-16T09:00:00.000Z' })).to.equal('Besvarad 2027-03-16');
  });
});
