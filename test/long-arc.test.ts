// The long arc on real servers, with durations in seconds: follow-ups, the end, gallring,
// statistics and the nightly jobs.
import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import { Client, Connection } from '@temporalio/client';
import { harness, type Harness } from './support/harness';
import { eventually, testPersonnummer } from './support/fixtures';
import { quietFor, settled } from './support/settle';
import { confirmContact, mailText } from './support/verify';
import { workflowIdFor, TREATMENT_WORKFLOW, activateUpdate, endTreatmentUpdate, stateQuery } from '../workflows/definitions';
import { planOf } from '../domain/program';
import { loadPrograms } from '../infra/programs';
import { archiveConnection, openRecord, sealRecord, type ArchivedRecord } from '../infra/archive';
import { Treatment } from '../models/treatment';
import { StatisticsFacts, StatisticsSnapshot } from '../models/statistics';
import { AccessLog } from '../models/access-log';
import { computeStatistics, statisticsFor, writeStatisticsSnapshot } from '../infra/statistics';
import { swedishDate } from '../domain/durations';
import { suppressSmallCounts } from '../domain/statistics';
import { startNightlyJob } from '../infra/nightly';
import { nightlyWorkflowId } from '../domain/nightly-jobs';
import type { TreatmentInput } from '../domain/types';
import { createActivities } from '../activities';
import { createTransports } from '../infra/notify';

describe('the long arc (real Temporal, MongoDB, SMTP and SMS gateway)', function () {
  this.timeout(120_000);
  let h: Harness;
  let clinician: string;
  const UNIT = 'unit-stat-1';
  /** The counts before suppression, as the nightly snapshot keeps them. */
  const rawStatistics = (unit: string) => computeStatistics({ careUnits: [unit], from: null, to: null }, loadPrograms(h.config.programOverrides));

  before(async () => {
    h = await harness();
    clinician = await h.token({ role: 'clinician', sub: 'SE2321000016-8008', careUnits: [UNIT, 'unit-stat-2', 'unit-stat-3', 'unit-stat-4'] });
  });

  async function activeTreatment(opts: { name?: string; phone?: string; unit?: string } = {}) {
    const pnr = testPersonnummer();
    const res = await h.request('POST', '/api/treatments', {
      token: clinician,
      body: { personnummer: pnr, programId: 'tobakshjalpen', careUnitId: opts.unit ?? UNIT, patient: { name: opts.name ?? 'Lisa Larsson', phone: opts.phone ?? '070-300 00 00', email: `${pnr}@example.se` } },
    });
    expect(res.status).to.equal(201);
    const patient = await h.token({ role: 'patient', sub: pnr });
    expect((await h.request('GET', '/api/me/treatment', { token: patient })).status).to.equal(200);
    // Follow-ups and the end notice are told in full only to a confirmed number: the tests that read
    // them name one; the e-mail the clinician typed stays unconfirmed and gets the neutral form.
    if (opts.phone) await confirmContact(h, patient, 'patient', 'sms', opts.phone);
    return { id: res.body.id as string, pnr, patient };
  }
  const smsTo = (phone: string) => h.sms.messages.filter((m) => m.to === phone);
  const flagTypes = async (id: string) => ((await h.request('GET', `/api/flags?treatmentId=${id}`, { token: clinician })).body.items as Array<{ type: string }>).map((f) => f.type);

  it('follow-ups fall due after step 4, remind, escalate, record answers; after the end nothing more is sent', async function () {
    this.timeout(60_000);
    const phone = '070-300 00 01';
    const { id, patient, pnr } = await activeTreatment({ phone });
    await h.request('POST', `/api/treatments/${id}/modules/step-4/open`, { token: clinician });
    const completed = await h.request('POST', `/api/treatments/${id}/modules/step-4/complete`, { token: clinician });
    expect(completed.status).to.equal(200);
    // step-5 (PT4S): opened with a notice, reminded after PT3S, escalated after PT5S.
    await eventually(async () => (await h.request('GET', `/api/treatments/${id}`, { token: clinician })).body.modules.find((m: { id: string }) => m.id === 'step-5').state === 'open', 20_000);
    await eventually(async () => (await flagTypes(id)).includes('followup_unanswered'), 20_000);
    const dueSms = () => smsTo(phone).filter((m) => /dags för uppföljning/.test(m.message));
    const reminderSms = () => smsTo(phone).filter((m) => /Påminnelse/.test(m.message));
    await eventually(async () => reminderSms().length === 1); // step-5's reminder came before its escalation
    // step-6 (PT8S): the patient answers at once, tobacco-free: no reminder, no escalation.
    await eventually(async () => (await h.request('GET', '/api/me/treatment', { token: patient })).body.modules.some((m: { id: string }) => m.id === 'step-6'), 20_000);
    const answer = await h.request('POST', '/api/me/treatment/modules/step-6/forms/follow-up-6m', { token: patient, body: { answers: { tobaccoStatus: 'tobacco-free' } } });
    expect(answer.status).to.equal(201);
    const detail = await h.request('GET', `/api/treatments/${id}`, { token: clinician });
    expect(detail.body.modules.find((m: { id: string }) => m.id === 'step-6').progress).to.not.equal('none');
    // End before step-7 (PT12S) falls due: nothing more is sent.
    const ended = await h.request('POST', `/api/treatments/${id}/end`, { token: clinician, body: { reason: 'completed-tobacco-free', maintenance: false } });
    expect(ended.status).to.equal(200);
    // The one message after the end tells the patient it has ended (no Vidmakthåll: no date), never why.
    const endNotice = await eventually(async () => smsTo(phone).find((m) => /har avslutats/.test(m.message)));
    expect(endNotice.message).to.equal('Din behandling i Tobakshjälpen har avslutats.');
    const sentAtEnd = smsTo(phone).length;
    // Ended: nothing wakes the treatment within the minute in which step-7 (PT12S) would have fallen due.
    await quietFor(h, id, 60_000);
    expect(smsTo(phone).length).to.equal(sentAtEnd);
    expect(dueSms().length).to.equal(2); // step-5 and step-6; step-7 fell due after the end
    expect(reminderSms().length).to.equal(1); // step-6 was answered before its reminder
    // The unconfirmed e-mail got the same notices, each once, in the neutral form.
    const mails = h.mails.filter((m) => m.to.includes(`${pnr}@example.se`)).map((m) => mailText(m.raw));
    expect(mails.filter((m) => /^Du har en uppgift som väntar i 1177:s e-tjänster/m.test(m))).to.have.length(2);
    expect(mails.filter((m) => /^Påminnelse: du har en uppgift som väntar/m.test(m))).to.have.length(1);
    expect(mails.filter((m) => /^Något har ändrats i dina e-tjänster på 1177/m.test(m))).to.have.length(1);
    for (const m of mails) expect(m).to.not.match(/Tobakshjälpen|uppföljning/i);
    expect((await flagTypes(id)).filter((t) => t === 'followup_unanswered')).to.have.length(1);
    // This care unit has only this treatment: 3 months unanswered, 6 months answered tobacco-free, 12 months never due.
    const raw = await rawStatistics(UNIT);
    expect(raw.followUps.map((f) => [f.due, f.answered, f.tobaccoFree])).to.deep.equal([[1, 0, 0], [1, 1, 1], [0, 0, 0]]);
    expect(raw.followUps[1]).to.include({ responseRate: 1, tobaccoFreeRate: 1, after: 'PT8S' });
    // Over the API one treatment is a count under 5: shown as "<5", and no rate.
    const stats = await h.request('GET', `/api/statistics?careUnitId=${UNIT}`, { token: clinician });
    expect(stats.status).to.equal(200);
    expect(stats.body.followUps[1]).to.deep.include({ due: '<5', answered: '<5', responseRate: null, tobaccoFreeRate: null });
    const mine = await h.request('GET', `/api/treatments/${id}`, { token: clinician });
    expect(mine.body.status).to.equal('ended');
  });

  it('step 4 and the closing questions are reminded like the follow-ups; closing answers count in the statistics (release 1.2)', async function () {
    this.timeout(90_000);
    const unit = 'unit-closing';
    const token = await h.token({ role: 'clinician', sub: 'SE2321000016-8009', careUnits: [unit] });
    const phone = '070-300 00 09';
    const pnr = testPersonnummer();
    const res = await h.request('POST', '/api/treatments', { token, body: { personnummer: pnr, programId: 'tobakshjalpen', careUnitId: unit, patient: { phone } } });
    const id = res.body.id as string;
    const patient = await h.token({ role: 'patient', sub: pnr });
    await h.request('GET', '/api/me/treatment', { token: patient });
    await confirmContact(h, patient, 'patient', 'sms', phone); // the reminder is told only to a verified number
    const timeline = async (types: string) => (await h.request('GET', `/api/treatments/${id}/timeline?types=${types}`, { token })).body.items as Array<{ type: string; moduleId: string | null; data: { index?: number } | null }>;
    // Step 4 open, its form not sent: one reminder after followUpReminder (PT3S here), as for a follow-up.
    expect((await h.request('POST', `/api/treatments/${id}/modules/step-4/current`, { token })).status).to.equal(200);
    const reminded = await eventually(async () => (await timeline('forms_reminder')).find((e) => e.moduleId === 'step-4'), 20_000);
    expect(reminded.type).to.equal('forms_reminder');
    await eventually(async () => smsTo(phone).some((m) => /frågor i Tobakshjälpen som väntar/.test(m.message)));
    // Once reminded, the module is on the workflow's list of those reminded: no second reminder is due.
    await settled(h, id);
    expect((await h.client.workflow.getHandle(workflowIdFor(id)).query(stateQuery)).formsRemindedFor).to.include('step-4');
    expect(await timeline('forms_reminder')).to.have.length(1);
    expect(smsTo(phone).filter((m) => /frågor i Tobakshjälpen som väntar/.test(m.message))).to.have.length(1);
    await h.request('POST', '/api/me/treatment/modules/step-4/forms/feedback', { token: patient, body: { answers: { tobaccoStatus: 'reduced' } } });
    await h.request('POST', `/api/treatments/${id}/modules/step-4/complete`, { token });
    // Step 7 (PT12S after step 4): the 12-month answer alone leaves the closing questions, which are reminded.
    await eventually(async () => (await h.request('GET', '/api/me/treatment', { token: patient })).body.modules.some((m: { id: string }) => m.id === 'step-7'), 30_000);
    expect((await h.request('POST', '/api/me/treatment/modules/step-7/forms/follow-up-12m', { token: patient, body: { answers: { tobaccoStatus: 'tobacco-free' } } })).status).to.equal(201);
    await eventually(async () => (await timeline('followup_reminder')).some((e) => e.moduleId === 'step-7'), 20_000);
    expect((await rawStatistics(unit)).closingQuestions).to.deep.equal({ asked: 1, answered: 0, responseRate: 0 });
    expect((await h.request('POST', '/api/me/treatment/modules/step-7/forms/closing-questions', { token: patient, body: { answers: { helpfulness: 4 } } })).status).to.equal(201);
    await eventually(async () => (await rawStatistics(unit)).closingQuestions.answered === 1);
    expect((await rawStatistics(unit)).closingQuestions).to.deep.equal({ asked: 1, answered: 1, responseRate: 1 });
    // Over the API a count under 5 stays "<5", with no rate.
    const stats = await h.request('GET', `/api/statistics?careUnitId=${unit}`, { token });
    expect(stats.body.closingQuestions).to.deep.equal({ asked: '<5', answered: '<5', responseRate: null });
    await h.request('POST', `/api/treatments/${id}/end`, { token, body: { reason: 'completed-tobacco-free', maintenance: false } });
  });

  it('the clinician ends Vidmakthåll early: the patient\'s access ends and gallring is allowed (release 1.2)', async () => {
    const { id, patient } = await activeTreatment({ unit: 'unit-stat-2', phone: '070-300 00 10' });
    const notInMaintenance = await h.request('POST', `/api/treatments/${id}/maintenance/end`, { token: clinician });
    expect(notInMaintenance.status).to.equal(409);
    expect(notInMaintenance.body.detail).to.match(/not in Vidmakthåll/);
    const ended = await h.request('POST', `/api/treatments/${id}/end`, { token: clinician, body: { reason: 'other', maintenance: true } });
    expect(ended.body.status).to.equal('maintenance');
    // (Vidmakthåll is PT3S in the tests: the clinician acts at once.)
    expect((await h.request('POST', `/api/treatments/${id}/purge`, { token: clinician })).status).to.equal(409);
    const early = await h.request('POST', `/api/treatments/${id}/maintenance/end`, { token: clinician });
    expect(early.status, JSON.stringify(early.body)).to.equal(200);
    expect(early.body.status).to.equal('ended');
    expect(Date.parse(early.body.maintenanceUntil)).to.be.lessThan(Date.parse(ended.body.maintenanceUntil));
    expect((await h.request('GET', '/api/me/treatment', { token: patient })).status).to.equal(404);
    const timeline = await eventually(async () => {
      const items = (await h.request('GET', `/api/treatments/${id}/timeline?types=maintenance_ended`, { token: clinician })).body.items as Array<{ data: Record<string, unknown> }>;
      return items.length ? items : null;
    });
    expect(timeline).to.have.length(1);
    expect(timeline[0]!.data).to.include({ early: true });
    expect((await h.request('POST', `/api/treatments/${id}/maintenance/end`, { token: clinician })).status).to.equal(409);
    expect((await h.request('POST', `/api/treatments/${id}/purge`, { token: clinician })).status).to.equal(202);
    await eventually(async () => (await h.request('GET', `/api/treatments/${id}`, { token: clinician })).body.status === 'purged', 30_000);
  });

  it('gallring archives the full record, leaves no personal data in any operational collection, and keeps the statistics', async function () {
    this.timeout(60_000);
    const name = 'Gunnel Gallrasson';
    const unit = 'unit-stat-3';
    const { id, pnr, patient } = await activeTreatment({ name, unit, phone: '070-300 00 02' });
    const text = 'Ett meddelande som ska gallras';
    await h.request('POST', `/api/treatments/${id}/conversations`, { token: clinician, body: { subject: 'Gallring', text, notify: false } });
    await h.request('POST', '/api/me/treatment/modules/step-1/forms/tobacco-habits', { token: patient, body: { answers: { tobaccoType: ['snus'], amountPerDay: 4, reasons: 'Hemlig anledning' } } });
    await h.request('PUT', `/api/treatments/${id}/welcome-text`, { token: clinician, body: { text: `Hej ${name}!` } });
    expect((await h.request('POST', `/api/treatments/${id}/purge`, { token: clinician })).status).to.equal(409); // not ended yet
    await h.request('POST', `/api/treatments/${id}/end`, { token: clinician, body: { reason: 'patient-withdrew', maintenance: true } });
    await eventually(async () => (await flagTypes(id)).includes('form_submitted'));
    const before = await rawStatistics(unit);

    // Not during Vidmakthåll (release 1.1): the patient may still read; once it has ended (PT3S here), yes.
    const early = await h.request('POST', `/api/treatments/${id}/purge`, { token: clinician });
    expect(early.status).to.equal(409);
    expect(early.body.detail).to.match(/Vidmakthåll/);
    await eventually(async () => (await h.request('GET', `/api/treatments/${id}`, { token: clinician })).body.status === 'ended', 20_000);
    const purge = await h.request('POST', `/api/treatments/${id}/purge`, { token: clinician });
    expect(purge.status).to.equal(202);
    await eventually(async () => (await h.request('GET', `/api/treatments/${id}`, { token: clinician })).body.status === 'purged', 30_000);
    const handle = h.client.workflow.getHandle(workflowIdFor(id));
    await eventually(async () => (await handle.describe()).status.name === 'COMPLETED');

    // Every operational collection, every document: no personnummer, name, text or answers.
    const db = mongoose.connection.db!;
    for (const { name: collection } of await db.listCollections().toArray()) {
      const docs = JSON.stringify(await db.collection(collection).find({}).toArray());
      for (const secret of [pnr, pnr.slice(2), name, text, 'Hemlig anledning', `${pnr}@example.se`, '070-300 00 02']) {
        expect(docs, `${collection} holds "${secret}"`).to.not.contain(secret);
      }
    }
    // The archive holds the whole record, sealed with its own key (security #4): the stored document
    // reads as nothing, the key opens it, and it carries the date the retention sweep deletes it.
    const archived = await (await archiveConnection(h.config)).collection<ArchivedRecord>('treatments').findOne({ _id: id });
    expect(archived).to.not.equal(null);
    const stored = JSON.stringify(archived);
    for (const secret of [pnr, name, text, 'Hemlig anledning']) expect(stored).to.not.contain(secret);
    const record = JSON.stringify(openRecord(h.config, archived!));
    for (const kept of [pnr, name, text, 'Hemlig anledning']) expect(record).to.contain(kept);
    expect(() => openRecord(h.config, { ...archived!, _id: randomUUID() })).to.throw(); // bound to its treatment
    expect(archived!.deleteAfter.getTime() - archived!.archivedAt.getTime()).to.be.greaterThan(9.9 * 365 * 86_400_000); // P10Y
    expect((await archiveConnection(h.config)).name).to.match(/_archive$/);
    // What stays beside the treatment id is only that it was purged; the anonymous facts live
    // under an id of their own, with days instead of times and no one's name, key or dates of activity.
    const tombstone = await Treatment.findById(id).lean();
    expect(Object.keys(tombstone!).sort()).to.deep.equal(['_id', 'careUnitId', 'programId', 'status', 'version']);
    const facts = await StatisticsFacts.find({ careUnitId: unit, status: 'purged' }).lean();
    expect(facts).to.have.length.greaterThan(0);
    for (const f of facts) {
      expect(f._id).to.not.equal(id).and.not.contain(id);
      expect(f).to.not.have.any.keys('patientKey', 'clinicianId', 'quitDate', 'lastActiveAt', 'currentModuleId', 'maintenanceUntil');
      expect(format(new TZDate(f.startedAt!.getTime(), 'Europe/Stockholm'), 'HH:mm:ss')).to.equal('00:00:00');
    }
    const after = await rawStatistics(unit);
    expect({ ...after, purged: 0 }).to.deep.equal({ ...before, purged: 0 });
    expect(after.purged).to.equal(before.purged + 1);
    expect((await h.request('GET', '/api/me/treatment', { token: patient })).status).to.equal(404);
    // The overview leaves the purged treatment out (no row of dashes, issue 24); asked for by status
    // it lists it without a name, in any order.
    for (const sort of ['-startedAt', 'name', '-lastActiveAt']) {
      const list = await h.request('GET', `/api/treatments?careUnitId=${unit}&pageSize=100&sort=${sort}`, { token: clinician });
      expect(list.status, sort).to.equal(200);
      expect(list.body.items.find((i: { id: string }) => i.id === id), sort).to.equal(undefined);
      const purged = await h.request('GET', `/api/treatments?careUnitId=${unit}&pageSize=100&sort=${sort}&status=purged`, { token: clinician });
      expect(purged.body.items.find((i: { id: string }) => i.id === id), sort).to.deep.include({ status: 'purged', startedAt: null, patient: { personnummer: null, name: null } });
    }
  });

  it('gallring interrupted between archive and purge resumes without losing or rewriting the archive', async () => {
    const activities = createActivities({ config: h.config, transports: createTransports(h.config) });
    const name = 'Kurt Kraschsson';
    const { id, pnr } = await activeTreatment({ name, unit: 'unit-stat-3', phone: '070-300 00 09' });
    await h.request('POST', `/api/treatments/${id}/end`, { token: clinician, body: { reason: 'other', maintenance: false } });
    const refused = await activities.purgeTreatment(id).then(() => 'purged', (e: Error) => e.message);
    expect(refused).to.match(/not archived/);
    await activities.archiveTreatment(id);
    const archive = (await archiveConnection(h.config)).collection('treatments');
    const first = await archive.findOne({ _id: id as never });
    await activities.purgeTreatment(id); // the "crash" comes after this step; the retry runs both again
    await activities.archiveTreatment(id);
    await activities.purgeTreatment(id);
    const again = await archive.findOne({ _id: id as never });
    expect(again).to.deep.equal(first);
    expect(JSON.stringify(openRecord(h.config, again as unknown as ArchivedRecord))).to.contain(pnr).and.to.contain(name);
    expect(await archive.countDocuments({ _id: id as never })).to.equal(1);
  });

  it('nothing is kept forever: archived records past their date and old access-log entries go at night; ops delete a record early only with a reason, logged (security #4)', async () => {
    const archive = (await archiveConnection(h.config)).collection<ArchivedRecord>('treatments');
    const [old, kept, early] = [randomUUID(), randomUUID(), randomUUID()];
    const longAgo = Date.now() - 11 * 365 * 86_400_000;
    await archive.insertMany([sealRecord(h.config, old, { x: 1 }, longAgo), sealRecord(h.config, kept, { x: 2 }), sealRecord(h.config, early, { x: 3 })]);
    await AccessLog.create({ _id: randomUUID(), at: new Date(longAgo), actorId: 'hsa-old', careUnitId: 'unit-old', patientKey: 'k-old', treatmentId: old, action: 'GET /api/treatments/:id', requestId: randomUUID() });
    const activities = createActivities({ config: h.config, transports: createTransports(h.config), client: h.client, programs: loadPrograms() });
    const result = await activities.retentionSweep();
    expect(result.archiveDeleted).to.be.at.least(1);
    expect(await archive.findOne({ _id: old })).to.equal(null);
    expect(await archive.findOne({ _id: kept })).to.not.equal(null);
    expect(await AccessLog.findOne({ actorId: 'hsa-old' })).to.equal(null);
    // The delete path: a reason, written to the access log before the record goes.
    const ops = await h.token({ role: 'ops', sub: 'ops-archive' });
    expect((await h.request('DELETE', `/api/ops/archive/${early}`, { token: ops })).status).to.equal(403);
    const reasonHeader = { authorization: `Bearer ${ops}`, 'x-break-glass-reason': 'Domstolsbeslut 2026-11-29 om radering' };
    expect((await fetch(`${h.baseUrl}/api/ops/archive/${early}`, { method: 'DELETE', headers: reasonHeader })).status).to.equal(204);
    expect(await archive.findOne({ _id: early })).to.equal(null);
    expect(await AccessLog.findOne({ actorId: 'ops-archive', treatmentId: early, action: 'DELETE /api/ops/archive' })).to.not.equal(null);
    expect((await fetch(`${h.baseUrl}/api/ops/archive/${early}`, { method: 'DELETE', headers: reasonHeader })).status).to.equal(404);
  });

  it('retention purges an ended treatment by itself', async () => {
    const p = planOf(loadPrograms().get('tobakshjalpen')!);
    p.durations = { ...p.durations, retention: 'PT2S' };
    const treatmentId = randomUUID();
    const input: TreatmentInput = { treatmentId, careUnitId: 'unit-r', clinicianId: 'hsa-r', openSlotKey: `slot-${treatmentId}`, startedAt: Date.now(), plan: p };
    const handle = await h.client.workflow.start(TREATMENT_WORKFLOW, { workflowId: workflowIdFor(treatmentId), taskQueue: h.config.temporal.taskQueue, args: [input] });
    await handle.executeUpdate(activateUpdate);
    await handle.executeUpdate(endTreatmentUpdate, { args: ['other', false] });
    await handle.result();
    const archived = await (await archiveConnection(h.config)).collection('treatments').findOne({ _id: treatmentId as never });
    expect(archived).to.not.equal(null);
  });

  it('statistics by care unit, region and program: whole days, counts under 5 shown as "<5" and their rates withheld', async () => {
    // unit-stat-4, alone in region-z, gets six treatments, two of them ended for "no-contact".
    const six = await Promise.all(Array.from({ length: 6 }, () => activeTreatment({ unit: 'unit-stat-4' })));
    for (const t of six.slice(0, 2)) await h.request('POST', `/api/treatments/${t.id}/end`, { token: clinician, body: { reason: 'no-contact', maintenance: false } });
    const today = format(new TZDate(Date.now(), 'Europe/Stockholm'), 'yyyy-MM-dd');
    const region = await h.request('GET', `/api/statistics?region=region-z&programId=tobakshjalpen&from=${today}&to=${today}`, { token: clinician });
    expect(region.status).to.equal(200);
    expect(region.body.started).to.equal(6);
    expect(region.body.active).to.equal(6); // active at some time today, the two ended ones included
    expect(region.body.ended).to.deep.equal({ total: '<5', byReason: { 'no-contact': '<5' } });
    const step1 = region.body.moduleCompletion.find((m: { moduleId: string }) => m.moduleId === 'step-1');
    expect(step1).to.deep.equal({ moduleId: 'step-1', opened: 6, completed: '<5', completionRate: null });
    const raw = await rawStatistics('unit-stat-4');
    expect(raw.ended.byReason['no-contact']).to.equal(2); // the real count, kept inside
    const future = await h.request('GET', '/api/statistics?careUnitId=unit-stat-4&from=2099-01-01', { token: clinician });
    expect(future.body.started).to.equal('<5');
    const seconds = await h.request('GET', `/api/statistics?careUnitId=unit-stat-4&from=${encodeURIComponent('2026-01-01T00:00:01Z')}`, { token: clinician });
    expect(seconds.status).to.equal(400);
    expect(seconds.body.errors[0].field).to.equal('from');
    expect((await h.request('GET', '/api/statistics?region=nowhere', { token: clinician })).body.errors[0].field).to.equal('region');
    expect((await h.request('GET', '/api/statistics?careUnitId=unit-a', { token: clinician })).status).to.equal(403);
    const ops = await h.token({ role: 'ops', sub: 'ops-1' });
    expect((await h.request('GET', '/api/statistics', { token: ops })).status).to.equal(200);
  });

  it('statistics answer from the nightly snapshot where it covers the range, the same figures as live; a range reaching today adds today\'s days from the store', async () => {
    const unit = 'unit-snap';
    const programs = loadPrograms(h.config.programOverrides);
    const token = await h.token({ role: 'clinician', sub: 'SE2321000016-8009', careUnits: [unit] });
    const startOne = async () => {
      const pnr = testPersonnummer();
      const res = await h.request('POST', '/api/treatments', { token, body: { personnummer: pnr, programId: 'tobakshjalpen', careUnitId: unit } });
      await h.request('GET', '/api/me/treatment', { token: await h.token({ role: 'patient', sub: pnr }) });
      return res.body.id as string;
    };
    const ids = [];
    for (let i = 0; i < 6; i++) ids.push(await startOne());
    await h.request('POST', `/api/treatments/${ids[0]}/end`, { token, body: { reason: 'no-contact', maintenance: false } });
    await eventually(async () => (await computeStatistics({ careUnits: [unit], from: null, to: null }, programs)).ended.total === 1);
    const day = 86_400_000;
    const [today, tomorrow] = [swedishDate(Date.now()), swedishDate(Date.now() + day)];
    const filter = { careUnits: [unit], from: today, to: today };
    // Tomorrow night's snapshot covers today: the answer comes from it, with the live figures.
    await writeStatisticsSnapshot(tomorrow, programs);
    const fromSnapshot = await statisticsFor(filter, programs, Date.now() + day);
    expect(fromSnapshot.source).to.deep.equal({ kind: 'snapshot', date: tomorrow });
    expect(fromSnapshot.statistics).to.deep.equal(await computeStatistics(filter, programs));
    expect(fromSnapshot.statistics).to.deep.include({ started: 6, active: 6, ended: { total: 1, byReason: { 'no-contact': 1 } } });
    // A treatment started after the snapshot shows live, not in the snapshot's answer.
    await startOne();
    expect((await computeStatistics(filter, programs)).started).to.equal(7);
    expect((await statisticsFor(filter, programs, Date.now() + day)).statistics.started).to.equal(6);
    // Over HTTP: a range that ended before tonight's snapshot is answered from it; one reaching today is live.
    await writeStatisticsSnapshot(today, programs);
    const ops = await h.token({ role: 'ops', sub: 'ops-stat' });
    const past = await h.request('GET', `/api/statistics?careUnitId=${unit}&from=2026-01-01&to=${swedishDate(Date.now() - day)}`, { token: ops });
    expect(past.body.source).to.deep.equal({ kind: 'snapshot', date: today });
    // A range reaching today: the days before tonight's snapshot from it, today's from the treatments with something today.
    const now = await h.request('GET', `/api/statistics?careUnitId=${unit}&from=${today}&to=${today}`, { token: ops });
    expect(now.body).to.deep.include({ source: { kind: 'snapshot+live', date: today }, started: 7 });
    const { source: _source, filters: _filters, ...figures } = now.body;
    expect(figures).to.deep.equal(suppressSmallCounts(await computeStatistics(filter, programs)));
    await StatisticsSnapshot.deleteMany({ date: { $in: [today, tomorrow] } });
  });

  it('two replicas ticking the same nightly job start one workflow, which runs', async () => {
    const date = `test-${randomUUID().slice(0, 8)}`;
    const connections = await Promise.all([0, 1].map(() => Connection.connect({ address: h.config.temporal.address! })));
    const replicas = connections.map((connection) => new Client({ connection, namespace: h.config.temporal.namespace }));
    const started = await Promise.all(replicas.map((c) => startNightlyJob(c, h.config, 'statistics-snapshot', date)));
    expect(started.filter(Boolean)).to.have.length(1);
    const result = await h.client.workflow.getHandle(nightlyWorkflowId('statistics-snapshot', date)).result();
    expect(result.treatments).to.be.greaterThan(0);
    expect(await startNightlyJob(replicas[0]!, h.config, 'statistics-snapshot', date)).to.equal(false); // a finished run is not repeated
    const snapshot = await mongoose.connection.db!.collection('statistics_snapshots').findOne({ _id: `${date}|index` as never });
    expect(snapshot).to.deep.include({ complete: true, date });
    for (const job of ['read-model-sweep', 'retention-sweep'] as const) {
      expect(await startNightlyJob(replicas[0]!, h.config, job, date)).to.equal(true);
      const summary = await h.client.workflow.getHandle(nightlyWorkflowId(job, date)).result();
      expect(summary.checked).to.be.greaterThan(0);
    }
    await Promise.all(connections.map((c) => c.close()));
  });
});
