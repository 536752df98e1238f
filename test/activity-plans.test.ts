// Aktivitetsplaner on real servers. Occasions are local clock times; the tests schedule them a few
// seconds ahead (HH:MM:SS) instead of waiting for a real Monday 08:00 (the calendar itself is
// covered by long-arc-pure.test.ts).
import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import { harness, type Harness } from './support/harness';
import { eventually, sleep, testPersonnummer } from './support/fixtures';
import { confirmContact } from './support/verify';
import { ACTIVITY_PLAN_WORKFLOW, planProgressQuery, planWorkflowIdFor, type ActivityPlanInput } from '../workflows/activity-plan';
import { WEEKDAYS } from '../domain/schedule';
import { OccasionModel } from '../models/clinical';

const local = (ms: number) => new TZDate(ms, 'Europe/Stockholm');
const clock = (ms: number) => format(local(ms), 'HH:mm:ss');
const weekday = (ms: number) => WEEKDAYS[(local(ms).getDay() + 6) % 7]!;

describe('activity plans (real Temporal and MongoDB)', function () {
  this.timeout(90_000);
  let h: Harness;
  let clinician: string;
  before(async function () {
    // Occasions are times of one day: a plan made seconds before midnight would wait a week.
    const secondsOfDay = (Date.now() - new TZDate(local(Date.now()).setHours(0, 0, 0, 0), 'Europe/Stockholm').getTime()) / 1000;
    if (secondsOfDay > 86_400 - 60) await sleep((86_400 - secondsOfDay + 2) * 1000);
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
    // One notice: for the occasion that could still be answered, none for the one already missed.
    await eventually(async () => h.sms.messages.filter((m) => m.to === phone && /aktivitet/.test(m.message)).length === 1);
    await sleep(1000);
    expect(h.sms.messages.filter((m) => m.to === phone && /aktivitet/.test(m.message))).to.have.length(1);
  });

  it('a treatment has at most ACTIVITY_PLANS_MAX (10) plans running', async () => {
    const { id } = await activeTreatment('070-400 00 09');
    const far = { title: 'Vecka', elements: [{ formId: 'check-in' }], schedule: { weekdays: ['mon'], times: ['08:00'], weeks: 1 }, answerWindowDays: 1 };
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
    await sleep(8000);
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
    await sleep(5000);
    expect(await OccasionModel.countDocuments({ treatmentId: id })).to.equal(0);
    expect((await plan(id, [4], 1)).status).to.equal(409); // no new plans after the end
  });

  it('a plan that continues as new keeps its place and opens every occasion once', async () => {
    const planId = randomUUID();
    const now = Date.now();
    const input: ActivityPlanInput = {
      planId, treatmentId: `t-${planId}`, answerWindowDays: 1, startAt: now, occasionsPerRun: 1,
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
