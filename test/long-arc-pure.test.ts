// The long arc's calendar, as pure functions: follow-up dates, month ends, DST, reminders.
import { expect } from 'chai';
import os from 'node:os';
import { TZDate } from '@date-fns/tz';
import { ensureDevSecrets, loadConfig } from '../infra/config';
import { lastNightOf } from '../infra/nightly';
import { planOf } from '../domain/program';
import { loadPrograms } from '../infra/programs';
import { dueAt, quitDateBase } from '../domain/follow-ups';
import { occasions, occasionsBefore12, WEEKDAYS } from '../domain/schedule';
import { activate, completeModule, endTreatment, eventsRecorded, initialState, openModule, requestPurge, submitForm, TransitionError } from '../domain/transitions';
import { nextWakeAt, tick } from '../domain/clock';
import type { TreatmentState } from '../domain/types';

const plan = planOf(loadPrograms().get('tobakshjalpen')!);
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const stockholm = (ms: number) => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm', dateStyle: 'short', timeStyle: 'short' }).format(ms);
const T0 = Date.parse('2027-01-10T10:00:00+01:00');
const DAY = 86_400_000;

function active(): TreatmentState {
  const s = activate(initialState({ treatmentId: 't', careUnitId: 'u', clinicianId: 'c', openSlotKey: 'k', startedAt: T0, plan }), plan, T0);
  return eventsRecorded(s, s.pendingEvents.map((e) => e.key));
}
const withQuitDate = (quitDate: string): TreatmentState => ({ ...active(), quitDate });

describe('follow-up calendar (uppföljning)', () => {
  it('counts 3, 6 and 12 calendar months from the quit date at 09:00 Swedish time', () => {
    const s = withQuitDate('2027-02-15');
    expect([0, 1, 2].map((i) => stockholm(dueAt(s, plan, i)!))).to.deep.equal(['2027-05-15 09:00', '2027-08-15 09:00', '2028-02-15 09:00']);
  });

  it('month ends: 31 January + P3M is 30 April, + P6M 31 July, + P12M 31 January', () => {
    const s = withQuitDate('2027-01-31');
    expect([0, 1, 2].map((i) => stockholm(dueAt(s, plan, i)!))).to.deep.equal(['2027-04-30 09:00', '2027-07-31 09:00', '2028-01-31 09:00']);
    // 09:00 in winter is 08:00 UTC, in summer 07:00 UTC.
    expect(iso(quitDateBase('2027-01-31'))).to.equal('2027-01-31T08:00:00.000Z');
    expect(iso(dueAt(s, plan, 0))).to.equal('2027-04-30T07:00:00.000Z');
    expect(stockholm(dueAt(withQuitDate('2027-11-30'), plan, 0)!)).to.equal('2028-02-29 09:00'); // leap year
  });

  it('without a quit date, counts from the completion of step 4; without either, nothing is scheduled', () => {
    let s = active();
    expect(dueAt(s, plan, 0)).to.equal(null);
    s = completeModule(openModule(s, plan, 'step-4', T0), 'step-4', T0 + DAY);
    expect(stockholm(dueAt(s, plan, 0)!)).to.equal('2027-04-11 10:00');
  });

  it('falls due: opens the step with a reminder, reminds after P7D, escalates after P14D; an answer stops both', () => {
    let s = withQuitDate('2027-01-31');
    const due = dueAt(s, plan, 0)!;
    expect(nextWakeAt(s, plan)).to.be.at.most(due);
    s = tick(s, plan, due);
    expect(s.modules.find((m) => m.id === 'step-5')!.state).to.equal('open');
    expect(s.currentModuleId).to.equal('step-5');
    expect(s.pendingEvents.map((e) => [e.type, e.notifyPatient])).to.deep.include(['followup_due', 'followup_due']);
    s = eventsRecorded(s, s.pendingEvents.map((e) => e.key));
    const reminded = tick(s, plan, due + 7 * DAY);
    expect(reminded.pendingEvents.map((e) => e.type)).to.deep.equal(['followup_reminder']);
    const escalated = tick(eventsRecorded(reminded, ['followup:0:reminder']), plan, due + 14 * DAY);
    expect(escalated.pendingEvents.map((e) => [e.type, e.flag])).to.deep.equal([['followup_unanswered', 'followup_unanswered']]);
    expect(tick(eventsRecorded(escalated, ['followup:0:unanswered']), plan, due + 30 * DAY).pendingEvents).to.have.length(0);

    const answered = submitForm(s, plan, { submissionId: 'f1', moduleId: 'step-5', formId: 'follow-up-3m', tobaccoStatus: 'tobacco-free' }, due + DAY);
    expect(answered.followUps![0]).to.include({ answeredAt: due + DAY, tobaccoStatus: 'tobacco-free' });
    const later = tick(eventsRecorded(answered, answered.pendingEvents.map((e) => e.key)), plan, due + 14 * DAY);
    expect(later.pendingEvents.filter((e) => e.type.startsWith('followup'))).to.have.length(0);
  });

  it('nothing falls due after the end', () => {
    const s = endTreatment(withQuitDate('2027-01-31'), plan, 'other', false, T0);
    const due = dueAt(s, plan, 0)!;
    const after = tick(eventsRecorded(s, ['ended']), plan, due + 400 * DAY);
    expect(after.pendingEvents.filter((e) => e.type.startsWith('followup'))).to.have.length(0);
  });

  it('gallring only for an ended treatment; retention asks for it by itself', () => {
    expect(() => requestPurge(active(), T0)).to.throw(TransitionError, /end it before purging/);
    const ended = endTreatment(active(), plan, 'other', false, T0);
    expect(stockholm(nextWakeAt(ended, plan)!)).to.equal('2029-01-10 10:00'); // P2Y
    expect(tick(ended, plan, T0 + 800 * DAY).purgeRequested).to.equal(true);
  });
});

describe('activity plan schedule (aktivitetsplan)', () => {
  it('"08:00 on Mondays" stays 08:00 local across the last Sunday of March', () => {
    const list = occasions({ weekdays: ['mon'], times: ['08:00'], weeks: 4 }, Date.parse('2027-03-15T09:00:00+01:00'));
    expect(list.map(stockholm)).to.deep.equal(['2027-03-22 08:00', '2027-03-29 08:00', '2027-04-05 08:00']);
    expect(list.map(iso)).to.deep.equal(['2027-03-22T07:00:00.000Z', '2027-03-29T06:00:00.000Z', '2027-04-05T06:00:00.000Z']);
  });

  it('…and across the last Sunday of October', () => {
    const list = occasions({ weekdays: ['mon'], times: ['08:00'], weeks: 2 }, Date.parse('2027-10-25T00:00:00+02:00'));
    expect(list.map(iso)).to.deep.equal(['2027-10-25T06:00:00.000Z', '2027-11-01T07:00:00.000Z']);
    expect(list.map(stockholm)).to.deep.equal(['2027-10-25 08:00', '2027-11-01 08:00']);
  });

  it('several weekdays and times, in order, only after the start', () => {
    const list = occasions({ weekdays: ['wed', 'mon'], times: ['20:30', '08:00'], weeks: 1 }, Date.parse('2027-06-07T12:00:00+02:00'));
    expect(list.map(stockholm)).to.deep.equal(['2027-06-07 20:30', '2027-06-09 08:00', '2027-06-09 20:30']);
  });

  it('the 1.2 calendar (UTC offsets only, safe in the workflow sandbox) equals the earlier one outside it, DST and midnight included', () => {
    const schedule = { weekdays: [...WEEKDAYS], times: ['00:30', '02:30', '08:00', '23:59:30'], weeks: 2 };
    for (const start of ['2027-03-27T23:30:00Z', '2027-03-28T00:10:00Z', '2027-10-30T22:45:00Z', '2027-10-31T01:30:00Z', '2026-11-29T23:00:00Z', '2026-06-01T12:00:00Z']) {
      expect(occasions(schedule, Date.parse(start)).map(iso), start).to.deep.equal(occasionsBefore12(schedule, Date.parse(start)).map(iso));
    }
    // A plan starting at 00:00 on its start date in Sweden (23:00 UTC the day before): seven days, seven occasions.
    const fromMidnight = occasions({ weekdays: [...WEEKDAYS], times: ['08:00'], weeks: 1 }, Date.parse('2026-11-29T23:00:00Z'));
    expect(fromMidnight.map(stockholm)).to.deep.equal(['2026-11-30 08:00', '2026-12-01 08:00', '2026-12-02 08:00', '2026-12-03 08:00', '2026-12-04 08:00', '2026-12-05 08:00', '2026-12-06 08:00']);
  });

  it('the default nightly time exists once every night in Sweden, and the last night is found for catching up', () => {
    ensureDevSecrets({ DATA_DIR: os.tmpdir() });
    const config = loadConfig({ DATA_DIR: os.tmpdir() }, { auth: false });
    expect(config.nightly.cron).to.equal('15 3 * * *');
    const at = (local: string) => new TZDate(local, 'Europe/Stockholm').getTime();
    // Spring DST Sunday (02:00 -> 03:00): 03:15 exists; 02:15 does not, so that night would be skipped.
    expect(lastNightOf('15 3 * * *', at('2027-03-28T04:00:00'))).to.equal('2027-03-28');
    expect(lastNightOf('15 2 * * *', at('2027-03-28T04:00:00'))).to.not.equal('2027-03-28');
    // Autumn DST Sunday (03:00 -> 02:00): 03:15 once.
    expect(lastNightOf('15 3 * * *', at('2027-10-31T04:00:00'))).to.equal('2027-10-31');
    // Before tonight's time, the night to catch up is yesterday's.
    expect(lastNightOf('15 3 * * *', at('2027-06-10T01:00:00'))).to.equal('2027-06-09');
  });
});
