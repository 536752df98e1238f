import { expect } from 'chai';
import { planBody, planSchema, scheduleText } from './plan';

const values = { title: ' Morgonkoll ', formId: 'check-in', weekdays: ['wed', 'mon'], times: '08:00, 20:30:15', weeks: '2', answerWindowDays: '0' };

describe('web activity plan form', () => {
  it('the body: weekdays in week order, times split, numbers', () => {
    expect(planSchema.safeParse(values).success).to.equal(true);
    expect(planBody(values)).to.deep.equal({ title: 'Morgonkoll', elements: [{ formId: 'check-in' }], schedule: { weekdays: ['mon', 'wed'], times: ['08:00', '20:30:15'], weeks: 2 }, answerWindowDays: 0 });
  });
  it('each wrong field named in Swedish', () => {
    const r = planSchema.safeParse({ ...values, title: '', weekdays: [], times: '8', weeks: '0', answerWindowDays: '31' });
    expect(r.error?.issues.map((i) => i.path[0])).to.deep.equal(['title', 'weekdays', 'times', 'weeks', 'answerWindowDays']);
  });
  it('the schedule in words, "1 dag", "1 vecka"', () => {
    expect(scheduleText({ schedule: { weekdays: ['mon', 'fri'], times: ['08:00'], weeks: 1 }, answerWindowDays: 1 })).to.equal('måndag, fredag kl. 08:00 i 1 vecka; svar inom 1 dag.');
  });
});
