import { expect } from 'chai';
import { afterDuration, dayEnd, dayStart, daysLeft, daysText } from './dates';

describe('web dates (Europe/Stockholm, whatever the zone the browser is in)', () => {
  it('a chosen day starts and ends at Swedish midnight, summer and winter', () => {
    expect(dayStart('2026-01-15')).to.equal('2026-01-14T23:00:00.000Z');
    expect(dayEnd('2026-01-15')).to.equal('2026-01-15T22:59:59.999Z');
    expect(dayStart('2026-07-01')).to.equal('2026-06-30T22:00:00.000Z');
    // The day clocks go forward has 23 hours.
    expect(dayStart('2026-03-29')).to.equal('2026-03-28T23:00:00.000Z');
    expect(dayEnd('2026-03-29')).to.equal('2026-03-29T21:59:59.999Z');
    expect(dayStart('')).to.equal(undefined);
    expect(dayStart('15/1/2026')).to.equal(undefined);
  });

  it('days left count Swedish calendar days: 0 on the last day, never negative', () => {
    const deadline = '2026-05-10T21:59:59.999Z'; // the end of 10 May in Sweden
    expect(daysLeft(deadline, new Date('2026-05-08T22:30:00Z'))).to.equal(1); // 00:30 on 9 May in Sweden, 22:30 on 8 May in UTC
    expect(daysLeft(deadline, new Date('2026-05-10T06:00:00Z'))).to.equal(0);
    expect(daysLeft(deadline, new Date('2026-05-12T06:00:00Z'))).to.equal(0);
    expect(daysLeft(null, new Date())).to.equal(null);
  });

  it('"1 dag", never "1 dagar"', () => {
    expect(daysText(1)).to.equal('1 dag');
    expect(daysText(0)).to.equal('0 dagar');
    expect(daysText(5)).to.equal('5 dagar');
  });
  it('a duration after an instant: calendar months in Sweden, seconds too', () => {
    expect(afterDuration(new Date('2026-01-31T12:00:00Z'), 'P3M')?.toISOString()).to.equal('2026-04-30T11:00:00.000Z');
    expect(afterDuration(new Date('2026-01-01T12:00:00Z'), 'PT3S')?.toISOString()).to.equal('2026-01-01T12:00:03.000Z');
    expect(afterDuration(new Date('2026-01-01T12:00:00Z'), 'P2W')?.toISOString()).to.equal('2026-01-15T12:00:00.000Z');
    expect(afterDuration(new Date(), 'three months')).to.equal(null);
  });
});
