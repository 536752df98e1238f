import { expect } from 'chai';
import { addIsoDuration, isValidDuration } from '../domain/durations';

const iso = (ms: number) => new Date(ms).toISOString();

describe('durations in Europe/Stockholm', () => {
  it('adds calendar months: 31 January + P3M is 30 April', () => {
    expect(iso(addIsoDuration(Date.parse('2027-01-31T09:00:00+01:00'), 'P3M'))).to.equal('2027-04-30T07:00:00.000Z');
  });
  it('keeps the wall-clock time across the spring DST change', () => {
    // 08:00 on 27 March (CET) + P1D = 08:00 on 28 March (CEST), which is only 23 hours later.
    expect(iso(addIsoDuration(Date.parse('2027-03-27T08:00:00+01:00'), 'P1D'))).to.equal('2027-03-28T06:00:00.000Z');
  });
  it('treats hours and seconds as elapsed time', () => {
    expect(addIsoDuration(0, 'PT10S')).to.equal(10_000);
    expect(addIsoDuration(0, 'PT1H30M')).to.equal(5_400_000);
  });
  it('recognises valid and invalid ISO durations', () => {
    expect(['P14D', 'P3M', 'PT10S', 'P1Y2M'].every(isValidDuration)).to.equal(true);
    expect(['14 days', 'P', '', '-P1D'].some(isValidDuration)).to.equal(false);
  });
});
