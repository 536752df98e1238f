import { expect } from 'chai';
import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import { addIsoDuration, addIsoDurationByOffsets, isValidDuration, swedishDate, swedishWallTime } from '../domain/durations';

/** Instants over two years, every 97 minutes, with both DST changes of each year and midnights in between. */
const INSTANTS = Array.from({ length: Math.floor((2 * 365 * 24 * 60) / 97) }, (_, i) => Date.UTC(2026, 0, 1) + i * 97 * 60_000);
const DURATIONS = ['P1D', 'P7D', 'P14D', 'P2W', 'P1M', 'P3M', 'P6M', 'P12M', 'P1Y', 'P30D', 'PT3S', 'P1DT2H'];

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

  // Release 1.2's calendar: inside Temporal's workflow sandbox a TZDate reads its fields as UTC, so
  // plans from 1.2 add durations from UTC offsets alone. Outside the sandbox both agree everywhere;
  // workflow.test.ts checks the offsets calendar inside the sandbox.
  it('the offsets calendar equals the TZDate calendar for every duration over two years of instants, DST included', () => {
    const differ: string[] = [];
    for (const at of INSTANTS) {
      for (const d of DURATIONS) {
        if (addIsoDurationByOffsets(at, d) !== addIsoDuration(at, d)) differ.push(`${iso(at)} + ${d}`);
      }
    }
    expect(differ.slice(0, 5)).to.deep.equal([]);
  });
  it('the Swedish date and wall-clock times by offsets equal TZDate\'s', () => {
    for (const at of INSTANTS) expect(swedishDate(at), iso(at)).to.equal(format(new TZDate(at, 'Europe/Stockholm'), 'yyyy-MM-dd'));
    for (let day = 0; day < 730; day++) {
      const [y, m, d] = [2026, 0, 1 + day];
      expect(swedishWallTime(y, m, d, 9), `${day}`).to.equal(new TZDate(y, m, d, 9, 0, 0, 'Europe/Stockholm').getTime());
    }
  });
});
