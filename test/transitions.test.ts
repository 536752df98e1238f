import { expect } from 'chai';
import {
  activate, completeModule, endTreatment, initialState, moduleProgress, nextWakeAt, openModule,
  recordSectionProgress, setCurrentModule, tick, TransitionError,
} from '../workflows/transitions';
import { planOf } from '../api/service';
import { loadPrograms } from '../lib/programs';
import type { TreatmentState } from '../workflows/types';

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
    expect(nextWakeAt(ended)).to.equal(null);
  });

  it('with maintenance (Vidmakthåll) the patient reads until a calendar deadline, then the treatment is ended', () => {
    const s = endTreatment(activate(fresh(), plan, T0), plan, 'completed-tobacco-free', true, T0);
    expect(s.status).to.equal('maintenance');
    // P3M from 10 January 09:00 Swedish time is 10 April 09:00 Swedish time (summer time by then).
    expect(new Date(s.maintenanceUntil!).toISOString()).to.equal('2027-04-10T07:00:00.000Z');
    rejects(() => recordSectionProgress(s, plan, 'intro', 'welcome', 'started', T0), 'IllegalTransition', /read-only/);
    expect(nextWakeAt(s)).to.equal(s.maintenanceUntil);
    expect(tick(s, s.maintenanceUntil! - 1)).to.equal(s);
    expect(tick(s, s.maintenanceUntil!).status).to.equal('ended');
  });

  it('every change raises the version, so the read model can refuse stale writes', () => {
    const a = fresh();
    const b = activate(a, plan, T0);
    const c = completeModule(b, 'step-1', T0);
    expect([a.version, b.version, c.version]).to.deep.equal([1, 2, 3]);
  });
});
