import { expect } from 'chai';
import { activate, completeModule, endTreatment, initialState, openModule, recordSectionProgress, setCurrentModule, TransitionError } from '../domain/transitions';
import { nextWakeAt, tick } from '../domain/clock';
import { moduleProgress } from '../domain/projection';
import { planOf } from '../domain/program';
import { loadPrograms } from '../infra/programs';
import type { TreatmentState } from '../domain/types';
import { changeClinician, eventsRecorded, patientActive, postMessage, setWorkDays, submitForm } from '../domain/transitions';

const plan = planOf(loadPrograms().get('tobakshjalpen')!);
const T0 = Date.parse('2027-01-10T09:00:00+01:00');
const DAY = 86_400_000;

const fresh = () => initialState({
  treatmentId: 't-1', careUnitId: 'unit-1', clinicianId: 'hsa-1', openSlotKey: 'slot', startedAt: T0, plan,
});
const mod = (s: TreatmentState, id: string) => s.modules.find((m) => m.id === id)!;
const rejects = (fn: () => unknown, type: string, pattern: RegExp) => {
  try {
    fn();
  } catch (err) {
    expect(err).to.be.instanceOf(TransitionError);
    expect((err as TransitionError).type).to.equal(type);
    expect((err as Error).message).to.match(pattern);
    return;
  }
  expect.fail('expected the transition to be rejected');
};

describe('treatment transitions (pure)', () => {
  it('starts invited with every module locked and nothing current', () => {
    const s = fresh();
    expect(s.status).to.equal('invited');
    expect(s.modules.every((m) => m.state === 'locked')).to.equal(true);
    expect(s.currentModuleId).to.equal(null);
  });

  it('activation opens intro, good-to-know and step-1 with a deadline, and makes step-1 current', () => {
    const s = activate(fresh(), plan, T0);
    expect(s.status).to.equal('active');
    expect(s.activatedAt).to.equal(T0);
    expect(s.modules.filter((m) => m.state === 'open').map((m) => m.id)).to.deep.equal(['intro', 'good-to-know', 'step-1']);
    expect(s.currentModuleId).to.equal('step-1');
    expect(mod(s, 'step-1').deadline).to.equal(T0 + 14 * DAY);
    expect(mod(s, 'step-2').state).to.equal('locked');
  });

  it('refuses to activate twice', () => {
    rejects(() => activate(activate(fresh(), plan, T0), plan, T0), 'IllegalTransition', /already active/);
  });

  it('completing a locked module is illegal; completing an open one records the time; twice changes nothing', () => {
    const s = activate(fresh(), plan, T0);
    rejects(() => completeModule(s, 'step-2', T0), 'IllegalTransition', /locked/);
    const done = completeModule(s, 'step-1', T0 + DAY);
    expect(mod(done, 'step-1')).to.include({ state: 'completed', completedAt: T0 + DAY });
    expect(completeModule(done, 'step-1', T0 + 2 * DAY)).to.equal(done);
  });

  it('an unknown module is named in the rejection', () => {
    rejects(() => openModule(fresh(), plan, 'no-such', T0), 'UnknownModule', /no-such/);
  });

  it('"Sätt till aktuell" opens a locked step and makes it current; an open individual module stays open', () => {
    let s = activate(fresh(), plan, T0);
    s = setCurrentModule(s, plan, 'step-2', T0 + DAY);
    expect(s.currentModuleId).to.equal('step-2');
    expect(mod(s, 'step-2')).to.include({ state: 'open', openedAt: T0 + DAY, deadline: T0 + 15 * DAY });
    s = openModule(s, plan, 'pregnancy', T0);
    expect(mod(s, 'pregnancy').state).to.equal('open');
    expect(openModule(s, plan, 'pregnancy', T0 + DAY)).to.equal(s);
    rejects(() => setCurrentModule(completeModule(s, 'step-2', T0), plan, 'step-2', T0), 'IllegalTransition', /completed/);
  });

  it('section progress: locked modules and unknown sections are refused, finished never goes back', () => {
    const s = activate(fresh(), plan, T0);
    rejects(() => recordSectionProgress(s, plan, 'step-2', 'quit-date', 'started', T0), 'IllegalTransition', /locked/);
    rejects(() => recordSectionProgress(s, plan, 'step-1', 'nope', 'started', T0), 'UnknownSection', /nope/);
    const a = recordSectionProgress(s, plan, 'intro', 'welcome', 'finished', T0 + 5);
    const b = recordSectionProgress(a, plan, 'intro', 'welcome', 'started', T0 + 9);
    expect(mod(b, 'intro').sections.welcome).to.equal('finished');
    expect(b.lastActiveAt).to.equal(T0 + 9);
  });

  it('progress is none, then started (yellow), then finished (green) when every section is finished and every form sent', () => {
    let s = activate(fresh(), plan, T0);
    expect(moduleProgress(mod(s, 'intro'), plan)).to.equal('none');
    s = recordSectionProgress(s, plan, 'intro', 'welcome', 'finished', T0);
    expect(moduleProgress(mod(s, 'intro'), plan)).to.equal('started');
    s = recordSectionProgress(s, plan, 'intro', 'how-it-works', 'finished', T0);
    expect(moduleProgress(mod(s, 'intro'), plan)).to.equal('finished');
    // step-1 has a form: finished sections alone are not green.
    for (const id of ['motivation', 'habits', 'preparations']) s = recordSectionProgress(s, plan, 'step-1', id, 'finished', T0);
    expect(moduleProgress(mod(s, 'step-1'), plan)).to.equal('started');
    const withForm = { ...mod(s, 'step-1'), submittedForms: ['tobacco-habits'] };
    expect(moduleProgress(withForm, plan)).to.equal('finished');
  });

  it('ending needs a known reason; after the end nothing can be changed', () => {
    const s = activate(fresh(), plan, T0);
    rejects(() => endTreatment(s, plan, 'bored', false, T0), 'IllegalTransition', /bored/);
    const ended = endTreatment(s, plan, 'patient-withdrew', false, T0 + DAY);
    expect(ended).to.include({ status: 'ended', endReason: 'patient-withdrew', endedAt: T0 + DAY, maintenanceUntil: null });
    rejects(() => completeModule(ended, 'step-1', T0), 'IllegalTransition', /ended/);
    rejects(() => endTreatment(ended, plan, 'other', false, T0), 'IllegalTransition', /ended/);
    // The only thing left to happen by itself is gallring, after the retention period (P2Y).
    expect(new Date(nextWakeAt(ended, plan)!).toISOString()).to.equal(new Date(T0 + DAY).toISOString().replace('2027', '2029'));
  });

  it('with maintenance (Vidmakthåll) the patient reads until a calendar deadline, then the treatment is ended', () => {
    const s = endTreatment(activate(fresh(), plan, T0), plan, 'completed-tobacco-free', true, T0);
    expect(s.status).to.equal('maintenance');
    // P3M from 10 January 09:00 Swedish time is 10 April 09:00 Swedish time (summer time by then).
    expect(new Date(s.maintenanceUntil!).toISOString()).to.equal('2027-04-10T07:00:00.000Z');
    rejects(() => recordSectionProgress(s, plan, 'intro', 'welcome', 'started', T0), 'IllegalTransition', /read-only/);
    expect(nextWakeAt(s, plan)).to.equal(s.maintenanceUntil);
    expect(tick(s, plan, s.maintenanceUntil! - 1)).to.equal(s);
    expect(tick(s, plan, s.maintenanceUntil!).status).to.equal('ended');
  });

  it('every change raises the version, so the read model can refuse stale writes', () => {
    const a = fresh();
    const b = activate(a, plan, T0);
    const c = completeModule(b, 'step-1', T0);
    expect([a.version, b.version, c.version]).to.deep.equal([1, 2, 3]);
  });

  describe('clinical work', () => {
    const active = () => eventsRecorded(activate(fresh(), plan, T0), ['started', 'activated']);
    const keys = (s: TreatmentState) => s.pendingEvents.map((e) => e.key);

    it('start and activation emit the invitation notice and the first_login flag', () => {
      expect(fresh().pendingEvents).to.deep.equal([{ key: 'started', type: 'treatment_started', at: T0, notifyPatient: 'treatment_started', clinicianId: 'hsa-1' }]);
      const s = activate(fresh(), plan, T0);
      expect(s.pendingEvents.map((e) => [e.type, e.flag])).to.deep.equal([['treatment_started', undefined], ['activated', 'first_login']]);
    });

    it('a passed deadline closes the module once and flags deadline_passed; the next wake-up is the earliest deadline', () => {
      const s = active();
      const deadline = mod(s, 'step-1').deadline!;
      expect(nextWakeAt(s, plan)).to.equal(deadline);
      const closed = tick(s, plan, deadline);
      expect(mod(closed, 'step-1').state).to.equal('closed');
      expect(closed.pendingEvents.map((e) => [e.type, e.flag, e.moduleId])).to.deep.include(['module_closed', 'deadline_passed', 'step-1']);
      expect(tick(closed, plan, deadline + 1).pendingEvents).to.have.length(closed.pendingEvents.length); // no second flag
      rejects(() => submitForm(closed, plan, { submissionId: 's1', moduleId: 'step-1', formId: 'tobacco-habits' }, deadline), 'IllegalTransition', /closed/);
    });

    it('more days move the deadline from now and reopen a closed module; the old deadline no longer wakes anything', () => {
      const s = active();
      const old = mod(s, 'step-1').deadline!;
      const closed = eventsRecorded(tick(s, plan, old), [`closed:step-1:${old}`, `inactive:${T0}`]);
      const reopened = setWorkDays(closed, plan, 'step-1', 3, old + DAY);
      expect(mod(reopened, 'step-1')).to.include({ state: 'open', deadline: old + 4 * DAY });
      expect(nextWakeAt(reopened, plan)).to.not.equal(old);
      const moved = setWorkDays(s, plan, 'step-1', 30, T0 + DAY);
      expect(tick(moved, plan, old).modules.find((m) => m.id === 'step-1')!.state).to.equal('open');
      rejects(() => setWorkDays(s, plan, 'step-2', 3, T0), 'IllegalTransition', /locked/);
    });

    it('a form submission records the quit date, raises form_submitted and, with every section read, module_finished', () => {
      let s = setCurrentModule(active(), plan, 'step-2', T0);
      for (const id of ['quit-date', 'first-days', 'cravings']) s = recordSectionProgress(s, plan, 'step-2', id, 'finished', T0);
      s = eventsRecorded(s, keys(s));
      s = submitForm(s, plan, { submissionId: 'sub-1', moduleId: 'step-2', formId: 'quit-date', quitDate: '2027-02-01' }, T0 + 5);
      expect(s.quitDate).to.equal('2027-02-01');
      expect(s.pendingEvents.map((e) => [e.type, e.flag, e.ref])).to.deep.equal([
        ['form_submitted', 'form_submitted', 'sub-1'], ['module_finished', 'module_finished', undefined],
      ]);
      rejects(() => submitForm(s, plan, { submissionId: 'x', moduleId: 'step-2', formId: 'nope' }, T0), 'UnknownForm', /nope/);
    });

    it('a clinician message with notify asks for a patient notice; a patient message flags the clinician', () => {
      const s = active();
      const c = postMessage(s, { conversationId: 'c1', messageId: 'm1', author: 'clinician', notify: true }, T0);
      expect(c.pendingEvents[0]).to.include({ type: 'message_sent', notifyPatient: 'new_message' });
      const quiet = postMessage(s, { conversationId: 'c1', messageId: 'm2', author: 'clinician', notify: false }, T0);
      expect(quiet.pendingEvents[0]!.notifyPatient).to.equal(undefined);
      const p = postMessage(s, { conversationId: 'c1', messageId: 'm3', author: 'patient', notify: false }, T0 + 9);
      expect(p.pendingEvents[0]).to.include({ type: 'message_received', flag: 'message_received' });
      expect(p.lastActiveAt).to.equal(T0 + 9);
    });

    it('a quiet patient is flagged once per quiet period; activity starts a new period', () => {
      let s = setWorkDays(active(), plan, 'step-1', 365, T0);
      for (const m of ['intro', 'good-to-know']) s = completeModule(s, m, T0);
      s = eventsRecorded(s, keys(s));
      const due = T0 + 14 * DAY;
      expect(nextWakeAt(s, plan)).to.equal(due);
      s = tick(s, plan, due);
      expect(s.pendingEvents.filter((e) => e.flag === 'patient_inactive')).to.have.length(1);
      s = eventsRecorded(s, keys(s));
      expect(tick(s, plan, due + 10 * DAY).pendingEvents).to.have.length(0);
      s = patientActive(s, due + DAY);
      expect(nextWakeAt(s, plan)).to.equal(due + 15 * DAY);
    });

    it('after a change of clinician, new events belong to the new clinician', () => {
      const s = changeClinician(active(), 'hsa-2', T0);
      expect(s.clinicianId).to.equal('hsa-2');
      expect(s.pendingEvents[0]).to.deep.include({ type: 'clinician_changed', data: { from: 'hsa-1', to: 'hsa-2' } });
      const p = postMessage(s, { conversationId: 'c', messageId: 'm', author: 'patient', notify: false }, T0);
      expect(p.pendingEvents.at(-1)!.clinicianId).to.equal('hsa-2');
    });
  });
});
