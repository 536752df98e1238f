// Aktivitetsplaner on real servers. Occasions are local clock times; the tests schedule them a few
// seconds ahead (HH:MM:SS) instead of waiting for a real Monday 08:00 (the calendar itself is
// covered by long-arc-pure.test.ts).
import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { format } from 'date-fns';
import { harness, type Harness } from './support/harness';
import { clearOfMidnight, clock, eventually, local, swedishDaysAhead, testPersonnummer, weekday } from './support/fixtures';
import { settled } from './support/settle';
import { confirmContact } from './support/verify';
import { ACTIVITY_PLAN_WORKFLOW, planProgressQuery, planWorkflowIdFor, type ActivityPlanInput } from '../workflows/activity-plan';
import { WEEKDAYS } from '../domain/schedule';
import { swedishDate } from '../domain/durations';
import { OccasionModel } from '../models/clinical';


describe('activity plans (real Temporal and MongoDB)', function () {
  this.timeout(90_000);
  let h: Harness;
  let clinician: string;
  before(async function () {
    await clearOfMidnight();
    h = await harness();
    clinician = await h.token({ role: 'clinician', sub: 'SE2321000016-1212', careUnits: ['unit-plan'] });
  });

  async function activeTreatment(phone: string) {
    const pnr = testPersonnummer();
    const res = await h.request('POST', '/api/treatments', { token: clinician, body: { personnummer: pnr, programId: 'tobakshjalpen', careUnitId: 'unit-plan', patient: { phone } } });
    const patient = await h.token({ role: 'patient', sub: pnr });
    await h.request('GET', '/api/me/treatment', { token: patient });
    await confirmContact(h, patient, 'patient', 'sms', phone); // occasions are told only to a verified number
    return { id: res.body.id as string, patient };
  }
  const plan = (id: string, offsets: number[], answerWindowDays: number) => {
    const now = Date.now();
    return h.request('POST', `/api/treatments/${id}/activity-plans`, {
      token: clinician,
      body: {
        title: 'Dagbok', elements: [{ formId: 'check-in' }],
        schedule: { weekdays: [weekday(now)], times: offsets.map((s) => clock(now + s * 1000)), weeks: 1 }, answerWindowDays,
      },
    });
  };
  type Item = { id: string; planId: string; state: string; dueAt: string; answerBy: string };
  const activities = async (token: string) => (await h.request('GET', '/api/me/treatment/activities', { token })).body.items as Item[];

  it('an occasion falls due at its time, notifies the patient, is answered once; one past answerBy is missed', async () => {
    const phone = '070-400 00 01';
    const { id, patient } = await activeTreatment(phone);
    const bad = await h.request('POST', `/api/treatments/${id}/activity-plans`, { token: clinician, body: { title: 'x', elements: [{ formId: 'nope' }], schedule: { weekdays: ['mon'], times: ['25:00'], weeks: 1 }, answerWindowDays: 1 } });
    expect(bad.status).to.equal(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).to.include('schedule.times.0');
    const open = await plan(id, [3], 1);
    expect(open.status).to.equal(201);
    expect(open.body).to.include({ title: 'Dagbok', status: 'active', answerWindowDays: 1 });
    const closed = await plan(id, [3], 0);
    expect(closed.status).to.equal(201);
    expect(await activities(patient)).to.have.length(0);
    const items = await eventually(async () => {
      const list = await activities(patient);
      return list.length === 2 ? list : null;
    }, 20_000);
    const due = items.find((i) => i.planId === open.body.id)!;
    const missed = items.find((i) => i.planId === closed.body.id)!;
    expect(due.state).to.equal('due');
    expect(Date.parse(due.answerBy) - Date.parse(due.dueAt)).to.equal(86_400_000);
    expect(missed.state).to.equal('missed');
    const badAnswer = await h.request('POST', `/api/me/treatment/activities/${due.id}`, { token: patient, body: { answers: { 'check-in': { tobaccoFree: 'yes' } } } });
    expect(badAnswer.status).to.equal(400);
    expect(badAnswer.body.errors[0].field).to.equal('answers.check-in.tobaccoFree');
    // The patient's list carries the plan's title and the questions to answer.
    const listed = (await h.request('GET', '/api/me/treatment/activities', { token: patient })).body.items.find((i: { id: string }) => i.id === due.id);
    expect(listed.title).to.equal('Dagbok');
    expect(listed.elements[0].formId).to.equal('check-in');
    expect(listed.elements[0].questions.map((q: { id: string }) => q.id)).to.include('tobaccoFree');
    const answered = await h.request('POST', `/api/me/treatment/activities/${due.id}`, { token: patient, body: { answers: { 'check-in': { tobaccoFree: true } } } });
    expect(answered.status).to.equal(201);
    const onTimeline = await h.request('GET', `/api/treatments/${id}/timeline?types=activity_answered`, { token: clinician });
    expect(onTimeline.body.items).to.have.length(1);
    expect(onTimeline.body.items[0]).to.include({ type: 'activity_answered', ref: due.id });
    expect(answered.body.state).to.equal('answered');
    // "Dina svar": the patient reads the answers back with the occasion; none on the missed one.
    const mine = (await h.request('GET', '/api/me/treatment/activities', { token: patient })).body.items as Array<Item & { answers: unknown; answeredAt: string | null }>;
    expect(mine.find((i) => i.id === due.id)).to.deep.include({ answers: { 'check-in': { tobaccoFree: true } }, answeredAt: answered.body.answeredAt });
    expect(mine.find((i) => i.id === missed.id)!.answers).to.equal(null);
    expect((await h.request('POST', `/api/me/treatment/activities/${due.id}`, { token: patient, body: { answers: { 'check-in': { tobaccoFree: true } } } })).status).to.equal(409);
    const late = await h.request('POST', `/api/me/treatment/activities/${missed.id}`, { token: patient, body: { answers: { 'check-in': { tobaccoFree: true } } } });
    expect(late.status).to.equal(409);
    expect(late.body.detail).to.match(/passed/);
    // The clinician sees each plan's occasions with their state and the answers.
    const detail = await h.request('GET', `/api/treatments/${id}/activity-plans/${open.body.id}`, { token: clinician });
    expect(detail.status).to.equal(200);
    expect(detail.body).to.include({ id: open.body.id, title: 'Dagbok' });
    expect(detail.body.occasions).to.have.length(1);
    expect(detail.body.occasions[0]).to.include({ id: due.id, state: 'answered' });
    expect(detail.body.occasions[0].answers).to.deep.equal({ 'check-in': { tobaccoFree: true } });
    const missedDetail = await h.request('GET', `/api/treatments/${id}/activity-plans/${closed.body.id}`, { token: clinician });
    expect(missedDetail.body.occasions.map((o: { state: string }) => o.state)).to.deep.equal(['missed']);
    expect((await h.request('GET', `/api/treatments/${id}/activity-plans/${randomUUID()}`, { token: clinician })).status).to.equal(404);
    // One notice: for the occasion that could still be answered, none for the one already missed
    // (none queued for it either: settled() finds no notice waiting in the outbox).
    await eventually(async () => h.sms.messages.filter((m) => m.to === phone && /aktivitet/.test(m.message)).length === 1);
    await settled(h, id);
    expect(h.sms.messages.filter((m) => m.to === phone && /aktivitet/.test(m.message))).to.have.length(1);
  });

  type Flag = { id: string; type: string; severity: string };
  const flagsOf = async (id: string) => (await h.request('GET', `/api/flags?treatmentId=${id}`, { token: clinician })).body.items as Flag[];

  it('a missed occasion (its answer window closed unanswered) flags the clinician once: activity_missed, by SMS when chosen', async () => {
    const clinicianPhone = '070-400 00 20';
    const settings = await h.request('PUT', '/api/clinicians/me/settings', { token: clinician, body: { email: null, phone: clinicianPhone, emailFlagTypes: ['activity_missed'], smsFlagTypes: ['activity_missed'] } });
    expect(settings.status).to.equal(200);
    expect(settings.body.smsFlagTypes).to.deep.equal(['activity_missed']);
    await confirmContact(h, clinician, 'clinician', 'sms', clinicianPhone); // flag notices go only to a verified number
    const { id, patient } = await activeTreatment('070-400 00 21');
    const missedPlan = await plan(id, [3], 0);
    const answeredPlan = await plan(id, [3], 1);
    const items = await eventually(async () => {
      const list = await activities(patient);
      return list.length === 2 ? list : null;
    }, 20_000);
    const answered = items.find((i) => i.planId === answeredPlan.body.id)!;
    expect((await h.request('POST', `/api/me/treatment/activities/${answered.id}`, { token: patient, body: { answers: { 'check-in': { tobaccoFree: false } } } })).status).to.equal(201);
    const flags = await eventually(async () => {
      const list = (await flagsOf(id)).filter((f) => f.type === 'activity_missed');
      return list.length ? list : null;
    }, 20_000);
    const missed = items.find((i) => i.planId === missedPlan.body.id)!;
    expect(flags).to.have.length(1);
    expect(flags[0]).to.include({ type: 'activity_missed', severity: 'action' });
    expect(flags[0]!.id).to.equal(`${id}:occasion-missed:${missed.id}`);
    const detail = await h.request('GET', `/api/treatments/${id}/activity-plans/${missedPlan.body.id}`, { token: clinician });
    expect(detail.body.occasions.map((o: { state: string }) => o.state)).to.deep.equal(['missed']);
    const timeline = await h.request('GET', `/api/treatments/${id}/timeline?types=activity_missed`, { token: clinician });
    expect(timeline.body.items.map((e: { ref: string }) => e.ref)).to.deep.equal([missed.id]);
    // Only the missed one: the answered occasion's window is still open, and answered it is never missed.
    const notices = () => h.sms.messages.filter((m) => m.to === clinicianPhone && !/Kod: /.test(m.message));
    await eventually(async () => notices().length === 1);
    expect(notices()[0]!.message).to.match(/aktivitetsplan/);
    // The plan whose only occasion was missed has completed.
    expect(await h.client.workflow.getHandle(planWorkflowIdFor(missedPlan.body.id)).result()).to.equal('completed');
    await settled(h, id);
    expect((await flagsOf(id)).filter((f) => f.type === 'activity_missed')).to.have.length(1);
    await h.request('PUT', '/api/clinicians/me/settings', { token: clinician, body: { email: null, phone: null, emailFlagTypes: [], smsFlagTypes: [] } });
  });

  it('a plan starts on its start date (default today); 400 names startDate', async () => {
    const { id } = await activeTreatment('070-400 00 22');
    const tomorrow = swedishDate(Date.now() + 86_400_000);
    const body = { title: 'Morgon', elements: [{ formId: 'check-in' }], schedule: { weekdays: [...WEEKDAYS], times: ['08:00'], weeks: 1 }, answerWindowDays: 1 };
    const later = await h.request('POST', `/api/treatments/${id}/activity-plans`, { token: clinician, body: { ...body, startDate: tomorrow } });
    expect(later.status).to.equal(201);
    expect(later.body.startDate).to.equal(tomorrow);
    const progress = await h.client.workflow.getHandle(planWorkflowIdFor(later.body.id)).query(planProgressQuery);
    // The first occasion: 08:00 Swedish time on the start date, seven occasions in its week.
    expect(swedishDate(progress.nextDueAt!)).to.equal(tomorrow);
    expect(format(local(progress.nextDueAt!), 'HH:mm')).to.equal('08:00');
    expect(progress.total).to.equal(7);
    const today = await h.request('POST', `/api/treatments/${id}/activity-plans`, { token: clinician, body });
    expect(today.body.startDate).to.equal(swedishDate(Date.now()));
    for (const startDate of ['2020-01-01', '2026-02-30', 'tomorrow', swedishDate(Date.now() + 400 * 86_400_000)]) {
      const bad = await h.request('POST', `/api/treatments/${id}/activity-plans`, { token: clinician, body: { ...body, startDate } });
      expect(bad.status, startDate).to.equal(400);
      expect([...new Set(bad.body.errors.map((e: { field: string }) => e.field))], startDate).to.deep.equal(['startDate']);
    }
  });

  it('PUT edits a plan: the new schedule and answer window apply to the occasions still to come; 400 names the field', async () => {
    const { id, patient } = await activeTreatment('070-400 00 23');
    const created = await plan(id, [3, 120], 1);
    const first = await eventually(async () => (await activities(patient)).find((i) => i.planId === created.body.id), 20_000);
    const url = `/api/treatments/${id}/activity-plans/${created.body.id}`;
    for (const [body, field] of [
      [{}, 'body'], [{ answerWindowDays: 99 }, 'answerWindowDays'], [{ schedule: { weekdays: ['mon'], times: ['25:00'], weeks: 1 } }, 'schedule.times.0'],
      [{ elements: [{ formId: 'nope' }] }, 'elements.0.formId'], [{ startDate: '2030-01-01' }, 'body'],
    ] as const) {
      const bad = await h.request('PUT', url, { token: clinician, body });
      expect(bad.status, JSON.stringify(body)).to.equal(400);
      expect(bad.body.errors.map((e: { field: string }) => e.field), JSON.stringify(body)).to.include(field);
    }
    expect((await h.request('PUT', `/api/treatments/${id}/activity-plans/${randomUUID()}`, { token: clinician, body: { title: 'x' } })).status).to.equal(404);
    // New: one occasion in six seconds with no time to answer (so it is missed), instead of the one in two minutes.
    const now = Date.now();
    const edited = await h.request('PUT', url, {
      token: clinician, body: { title: 'Dagbok 2', schedule: { weekdays: [weekday(now)], times: [clock(now + 6000)], weeks: 1 }, answerWindowDays: 0 },
    });
    expect(edited.status).to.equal(200);
    expect(edited.body).to.include({ title: 'Dagbok 2', answerWindowDays: 0 });
    expect(edited.body.schedule.times).to.deep.equal([clock(now + 6000)]);
    let last: unknown;
    const occasions = await eventually(async () => {
      const d = await h.request('GET', url, { token: clinician });
      last = { body: d.body, progress: await h.client.workflow.getHandle(planWorkflowIdFor(created.body.id)).query(planProgressQuery), edited: edited.body, now };
      return d.body.occasions.length === 2 ? d.body.occasions as Item[] : null;
    }, 20_000).catch((err) => { throw new Error(`${err}: ${JSON.stringify(last)}`); });
    // The occasion already due keeps its time and its day to answer; the new one follows the edit.
    expect(occasions[0]).to.include({ id: first.id, dueAt: first.dueAt, answerBy: first.answerBy, state: 'due' });
    expect(occasions[1]!.state).to.equal('missed');
    expect(occasions[1]!.answerBy).to.equal(occasions[1]!.dueAt);
    expect(Math.abs(Date.parse(occasions[1]!.dueAt) - (now + 6000))).to.be.lessThan(1000);
    const progress = await h.client.workflow.getHandle(planWorkflowIdFor(created.body.id)).query(planProgressQuery);
    expect(progress).to.include({ nextIndex: 2, total: 2 });
    expect((await h.request('POST', `/api/me/treatment/activities/${first.id}`, { token: patient, body: { answers: { 'check-in': { tobaccoFree: true } } } })).status).to.equal(201);
    expect((await h.request('DELETE', url, { token: clinician })).status).to.equal(204);
    expect((await h.request('PUT', url, { token: clinician, body: { answerWindowDays: 2 } })).status).to.equal(409);
  });

  it('a treatment has at most ACTIVITY_PLANS_MAX (10) plans running', async () => {
    const { id } = await activeTreatment('070-400 00 09');
    // Occasions from tomorrow on, whatever the day and hour the suite runs: each plan keeps running.
    const far = { title: 'Vecka', elements: [{ formId: 'check-in' }], schedule: { weekdays: [...WEEKDAYS], times: ['08:00'], weeks: 1 }, answerWindowDays: 1, startDate: swedishDaysAhead(1) };
    for (let i = 0; i < 10; i++) expect((await h.request('POST', `/api/treatments/${id}/activity-plans`, { token: clinician, body: far })).status).to.equal(201);
    const eleventh = await h.request('POST', `/api/treatments/${id}/activity-plans`, { token: clinician, body: far });
    expect(eleventh.status).to.equal(409);
    expect(eleventh.body.detail).to.match(/at most 10/);
  });

  it('DELETE stops the occasions still to come', async () => {
    const { id, patient } = await activeTreatment('070-400 00 02');
    const created = await plan(id, [3, 9], 1);
    await eventually(async () => (await activities(patient)).length === 1, 20_000);
    expect((await h.request('DELETE', `/api/treatments/${id}/activity-plans/${created.body.id}`, { token: clinician })).status).to.equal(204);
    // Its workflow has ended, so no occasion can come after this.
    expect(await h.client.workflow.getHandle(planWorkflowIdFor(created.body.id)).result()).to.equal('stopped');
    await settled(h, id);
    expect(await activities(patient)).to.have.length(1);
    const plans = await h.request('GET', `/api/treatments/${id}/activity-plans`, { token: clinician });
    expect(plans.body.items[0].status).to.equal('stopped');
  });

  it('the end of the treatment stops every plan: nothing falls due afterwards', async () => {
    const { id } = await activeTreatment('070-400 00 03');
    const created = await plan(id, [4], 1);
    expect(created.status).to.equal(201);
    await h.request('POST', `/api/treatments/${id}/end`, { token: clinician, body: { reason: 'other', maintenance: false } });
    const result = await h.client.workflow.getHandle(planWorkflowIdFor(created.body.id)).result();
    expect(result).to.equal('stopped');
    await settled(h, id);
    expect(await OccasionModel.countDocuments({ treatmentId: id })).to.equal(0);
    expect((await plan(id, [4], 1)).status).to.equal(409); // no new plans after the end
  });

  it('a plan that continues as new keeps its place and opens every occasion once', async () => {
    const planId = randomUUID();
    const now = Date.now();
    const input: ActivityPlanInput = {
      // Answer window 0: the plan completes once its last occasion's window has closed (release 1.2).
      planId, treatmentId: `t-${planId}`, answerWindowDays: 0, startAt: now, occasionsPerRun: 1,
      schedule: { weekdays: [weekday(now)], times: [2, 3, 4].map((s) => clock(now + s * 1000)), weeks: 1 },
    };
    const handle = await h.client.workflow.start(ACTIVITY_PLAN_WORKFLOW, { workflowId: planWorkflowIdFor(planId), taskQueue: h.config.temporal.taskQueue, args: [input] });
    expect(await handle.result()).to.equal('completed');
    const progress = await handle.query(planProgressQuery);
    expect(progress).to.deep.include({ nextIndex: 3, total: 3, runs: 3 });
    const occasions = await OccasionModel.find({ planId }).sort({ index: 1 }).lean();
    expect(occasions.map((o) => o.index)).to.deep.equal([0, 1, 2]);
  });
});
