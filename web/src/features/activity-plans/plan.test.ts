import { expect } from 'chai';
import { planBody, planFieldOf, planSchema, scheduleText, stepOf, swedishToday } from './plan';

const values = {
  elements: [{ formId: 'check-in' }, { formId: 'tobacco-habits' }], weekdays: ['wed', 'mon'], times: '08:00, 20:30:15', weeks: '2',
  startDate: swedishToday(), title: ' Morgonkoll ', answerWindowDays: '1',
};

describe('web activity plan form', () => {
  it('the body: every element, weekdays in week order, times split, numbers, the start date (not in an edit)', () => {
    expect(planSchema.safeParse(values).success).to.equal(true);
    expect(planBody(values)).to.deep.equal({
      title: 'Morgonkoll', elements: [{ formId: 'check-in' }, { formId: 'tobacco-habits' }],
      schedule: { weekdays: ['mon', 'wed'], times: ['08:00', '20:30:15'], weeks: 2 }, answerWindowDays: 1, startDate: swedishToday(),
    });
    expect(planBody(values, true)).to.not.have.property('startDate');
  });
  it('each wrong field named in Swedish; Svarstid at least 1 day; a start date not in the past', () => {
    const r = planSchema.safeParse({ ...values, elements: [], weekdays: [], times: '8', weeks: '0', startDate: '2020-01-01', title: '', answerWindowDays: '0' });
    expect(r.error?.issues.map((i) => i.path[0])).to.deep.equal(['elements', 'weekdays', 'times', 'weeks', 'startDate', 'title', 'answerWindowDays']);
    expect(r.error?.issues.find((i) => i.path[0] === 'answerWindowDays')?.message).to.equal('Svarstiden måste vara minst 1 dag och högst 30 dagar.');
    expect(planSchema.safeParse({ ...values, elements: [{ formId: 'a' }, { formId: 'a' }] }).success).to.equal(false);
  });
  it('the API\'s field paths → the form\'s fields and steps', () => {
    expect(planFieldOf('elements.1.formId')).to.equal('elements');
    expect(planFieldOf('schedule.times.0')).to.equal('times');
    expect(planFieldOf('answerWindowDays')).to.equal('answerWindowDays');
    expect(planFieldOf('body')).to.equal(undefined);
    expect([stepOf('elements'), stepOf('startDate'), stepOf('answerWindowDays')]).to.deep.equal([0, 1, 2]);
  });
  it('the schedule in words, "1 dag", "1 vecka", from its start', () => {
    expect(scheduleText({ schedule: { weekdays: ['mon', 'fri'], times: ['08:00'], weeks: 1 }, answerWindowDays: 1 })).to.equal('måndag, fredag kl. 08:00 i 1 vecka; svar inom 1 dag.');
    expect(scheduleText({ schedule: { weekdays: ['mon'], times: ['08:00'], weeks: 2 }, answerWindowDays: 3, startDate: '2026-05-04' })).to.equal('Från och med 2026-05-04: måndag kl. 08:00 i 2 veckor; svar inom 3 dagar.');
  });
});
