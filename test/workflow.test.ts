// The workflow itself on the real dev server: validators reject at once, history is replay-safe
// and free of personal data, and the treatment's timer survives a restart of the worker.
import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { replayToday } from './support/bundle';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { harness, type Harness } from './support/harness';
import { eventually, testPersonnummer } from './support/fixtures';
import { Treatment } from '../models/treatment';
import { NotificationModel } from '../models/clinical';
import { searchAttributesOf } from '../workflows/search-attributes';
import { initialState } from '../domain/transitions';
import { addIsoDuration } from '../domain/durations';
import {
  activateUpdate, completeModuleUpdate, endTreatmentUpdate, openModuleUpdate, sectionProgressUpdate, stateQuery,
  TREATMENT_WORKFLOW, workflowIdFor,
} from '../workflows/definitions';
import { planOf } from '../domain/program';
import { loadPrograms } from '../infra/programs';
import type { TreatmentInput } from '../domain/types';
import { decodedHistoryText, rawHistoryText } from './support/history';
import { dataConverter, payloadCodec } from '../infra/data-converter';


describe('treatment workflow (real Temporal dev server)', function () {
  this.timeout(120_000);
  let h: Harness;
  before(async () => { h = await harness(); });

  /** A treatment workflow started directly; `asTheApiDoes`: with its read model written and its search attributes set. */
  const startDirect = async (overrides: Partial<TreatmentInput['plan']['durations']> = {}, asTheApiDoes = false) => {
    const plan = planOf(loadPrograms().get('tobakshjalpen')!);
    plan.durations = { ...plan.durations, ...overrides };
    const treatmentId = randomUUID();
    const input: TreatmentInput = {
      treatmentId, careUnitId: 'unit-w', clinicianId: 'hsa-w', openSlotKey: `slot-${treatmentId}`, startedAt: Date.now(), plan,
      ...(asTheApiDoes ? { readModelWritten: true } : {}),
    };
    return h.client.workflow.start(TREATMENT_WORKFLOW, {
      workflowId: workflowIdFor(treatmentId), taskQueue: h.config.temporal.taskQueue, args: [input],
      ...(asTheApiDoes ? { typedSearchAttributes: searchAttributesOf(initialState(input)) } : {}),
    });
  };

  it('a rejected command leaves no trace in the history (validator), an accepted one returns the new state', async () => {
    const handle = await startDirect();
    const err = await handle.executeUpdate(completeModuleUpdate, { args: ['step-4'] }).catch((e) => e);
    expect(err).to.be.instanceOf(WorkflowUpdateFailedError);
    expect(err.cause.type).to.equal('IllegalTransition');
    const state = await handle.executeUpdate(activateUpdate);
    expect(state.status).to.equal('active');
    const history = await handle.fetchHistory();
    const updateEvents = history.events!.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes);
    expect(updateEvents).to.have.length(1); // the rejected one was never written
    expect((await handle.query(stateQuery)).currentModuleId).to.equal('step-1');
    await handle.terminate('test done');
  });

  it('a full short treatment replays deterministically from its history, and the history holds no personal data', async () => {
    const handle = await startDirect({ maintenance: 'PT1S' }, true);
    await handle.executeUpdate(activateUpdate);
    await handle.executeUpdate(sectionProgressUpdate, { args: ['intro', 'welcome', 'finished'] });
    await handle.executeUpdate(openModuleUpdate, { args: ['pregnancy'] });
    await handle.executeUpdate(completeModuleUpdate, { args: ['step-1'] });
    await handle.executeUpdate(endTreatmentUpdate, { args: ['completed-tobacco-free', true] });
    // Wait for the maintenance timer to fire and end the treatment.
    await eventually(async () => (await handle.query(stateQuery)).status === 'ended', 10_000);
    const history = await handle.fetchHistory();
    await replayToday(h.config, history, handle.workflowId);
    const raw = await decodedHistoryText(history, payloadCodec(h.config));
    expect(raw).to.not.match(/\b(19|20)\d{10}\b/);
    await handle.terminate('test done');
  });

  it('a treatment started by the API: its first task writes neither the read model nor the search attributes again ', async () => {
    const token = await h.token({ role: 'clinician', sub: 'hsa-w', careUnits: ['unit-w'] });
    const res = await h.request('POST', '/api/treatments', { token, body: { personnummer: testPersonnummer(), programId: 'tobakshjalpen', careUnitId: 'unit-w' } });
    expect(res.status).to.equal(201);
    expect(res.body).to.include({ status: 'invited', unreadFlags: 0, currentModuleId: null });
    const handle = h.client.workflow.getHandle(workflowIdFor(res.body.id));
    const history = await eventually(async () => {
      const events = (await handle.fetchHistory()).events ?? [];
      return events.some((e) => e.workflowTaskCompletedEventAttributes) ? events : null;
    });
    // (A patch marker comes with the SDK's own upsert of TemporalChangeVersion; none of ours.)
    const ours = history.filter((e) => Object.keys(e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {})
      .some((k) => k !== 'TemporalChangeVersion'));
    expect(ours).to.have.length(0);
    expect(history.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity')).to.have.length(0);
    // Release 1.1's and release 1.3's patches are decided at the start of each run.
    expect(history.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch')).to.have.length(2);
    // The API's own write stands (version 0) and the Temporal UI shows the treatment as invited.
    expect((await Treatment.findById(res.body.id).lean())?.version).to.equal(0);
    const attributes = (await handle.describe()).typedSearchAttributes;
    expect(attributes.getAll().map((p) => [p.key.name, p.value])).to.deep.include(['TreatmentStatus', 'invited']);
    // The first change is the workflow's to write.
    const state = await handle.executeUpdate(activateUpdate);
    expect((await Treatment.findById(res.body.id).lean())).to.include({ status: 'active', version: state.version });
  });

  it('a command that does not move the earliest time due keeps the timer; its event is recorded once, by its own activity ', async () => {
    const token = await h.token({ role: 'clinician', sub: 'hsa-w', careUnits: ['unit-w'] });
    const patient = testPersonnummer();
    const created = await h.request('POST', '/api/treatments', { token, body: { personnummer: patient, programId: 'tobakshjalpen', careUnitId: 'unit-w' } });
    await h.request('GET', '/api/me/treatment', { token: await h.token({ role: 'patient', sub: patient }) });
    const handle = h.client.workflow.getHandle(workflowIdFor(created.body.id));
    // Settled: the activation's events recorded and the workflow waiting on its timer.
    const settled = async () => {
      const events = (await handle.fetchHistory()).events!;
      const count = (has: (e: (typeof events)[number]) => unknown) => events.filter(has).length;
      return events.some((e) => e.timerStartedEventAttributes)
        && count((e) => e.workflowTaskScheduledEventAttributes) === count((e) => e.workflowTaskCompletedEventAttributes)
        && events.filter((e) => e.activityTaskScheduledEventAttributes).length === events.filter((e) => e.activityTaskCompletedEventAttributes).length
        ? events : null;
    };
    const before = (await eventually(settled)).length;
    const opened = await h.request('POST', `/api/treatments/${created.body.id}/modules/pregnancy/open`, { token });
    expect(opened.status).to.equal(200);
    expect(opened.body.modules.find((m: { id: string }) => m.id === 'pregnancy')).to.include({ state: 'open' });
    const timeline = await eventually(async () => {
      const t = await h.request('GET', `/api/treatments/${created.body.id}/timeline?types=module_opened`, { token });
      return t.body.items.some((i: { moduleId: string }) => i.moduleId === 'pregnancy') ? t.body.items : null;
    });
    expect(timeline.filter((i: { moduleId: string }) => i.moduleId === 'pregnancy')).to.have.length(1);
    const added = (await eventually(async () => {
      const events = await settled();
      return events && events.length > before && events.slice(before).some((e) => e.activityTaskCompletedEventAttributes) ? events : null;
    })).slice(before);
    expect(added.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity')).to.have.length(1);
    expect(added.filter((e) => e.activityTaskScheduledEventAttributes)).to.have.length(1);
    // The inactivity timer was already waiting for the earliest thing due; opening a module with a later deadline keeps it.
    expect(added.filter((e) => e.timerCanceledEventAttributes || e.timerStartedEventAttributes)).to.have.length(0);
  });

  it('the treatment workflow started by the API carries no personnummer in its input', async () => {
    const pnr = testPersonnummer();
    const token = await h.token({ role: 'clinician', sub: 'hsa-w', careUnits: ['unit-w'] });
    const res = await h.request('POST', '/api/treatments', { token, body: { personnummer: pnr, programId: 'tobakshjalpen', careUnitId: 'unit-w', patient: { name: 'Bo Ek', email: 'bo@example.se' } } });
    const history = await h.client.workflow.getHandle(workflowIdFor(res.body.id)).fetchHistory();
    const raw = rawHistoryText(history);
    const decoded = await decodedHistoryText(history, payloadCodec(h.config));
    for (const secret of [pnr, pnr.slice(2), 'Bo Ek', 'bo@example.se']) {
      expect(raw).to.not.contain(secret);
      expect(decoded).to.not.contain(secret);
    }
    expect(decoded).to.contain(res.body.id); // the decoding did find the payloads
  });
  it('the Temporal UI shows each treatment\'s program, unit, status and current module without decoding, and nothing personal (security #15)', async () => {
    const pnr = testPersonnummer();
    const token = await h.token({ role: 'clinician', sub: 'hsa-w', careUnits: ['unit-w'] });
    const res = await h.request('POST', '/api/treatments', { token, body: { personnummer: pnr, programId: 'tobakshjalpen', careUnitId: 'unit-w', patient: { name: 'Bo Ek' } } });
    const workflowId = workflowIdFor(res.body.id);
    const plain = (p: { metadata?: Record<string, Uint8Array> | null; data?: Uint8Array | null } | null | undefined) => {
      expect(Buffer.from(p!.metadata!.encoding!).toString()).to.equal('json/plain'); // not binary/encrypted
      return JSON.parse(Buffer.from(p!.data!).toString());
    };
    // The list's summary, as the UI's server reads it: plain text, ids only.
    const described = await h.client.workflow.getHandle(workflowId).describe();
    expect(plain(described.raw.executionConfig?.userMetadata?.summary)).to.equal('Tobakshjälpen · program tobakshjalpen · vårdenhet unit-w');
    // The detail page's current details (the workflow-metadata query), kept current by the workflow.
    const details = async () => {
      const answer = await h.client.workflowService.queryWorkflow({
        namespace: h.config.temporal.namespace, execution: { workflowId }, query: { queryType: '__temporal_workflow_metadata' },
      });
      const value = plain(answer.queryResult!.payloads![0]) as { currentDetails: string };
      expect(JSON.stringify(value)).to.not.contain(pnr).and.not.contain('Bo Ek');
      return value.currentDetails;
    };
    expect(await details()).to.equal('status invited · aktuell modul ingen');
    await h.request('GET', '/api/me/treatment', { token: await h.token({ role: 'patient', sub: pnr }) });
    await eventually(async () => expect(await details()).to.equal('status active · aktuell modul step-1'));
    // Attack: anything else, however like a summary, is encrypted.
    const codec = payloadCodec(h.config);
    for (const value of ['Tobakshjälpen · program tobakshjalpen · vårdenhet unit-w · Bo Ek', `status active · aktuell modul ${pnr} x`, 'hej', { currentDetails: 'status active · aktuell modul step-1', name: 'Bo Ek' }]) {
      const [encoded] = await codec.encode([defaultPayloadConverter.toPayload(value)]);
      expect(Buffer.from(encoded!.metadata!.encoding!).toString(), JSON.stringify(value)).to.equal('binary/encrypted');
    }
  });
  it('the release 1.2 calendar is Sweden\'s inside the workflow sandbox too: deadlines, P3M follow-ups and dates across DST and midnight', async () => {
    // Midnights, DST changes and month ends, where a calendar read as UTC goes wrong.
    const instants = [
      '2026-11-29T23:10:00Z', '2026-03-28T23:30:00Z', '2026-03-29T00:30:00Z', '2026-10-24T23:59:00Z', '2026-10-25T00:30:00Z',
      '2026-01-30T23:30:00Z', '2026-09-25T00:28:00Z', '2027-07-31T00:07:00Z', '2028-02-28T23:30:00Z',
    ].map(Date.parse);
    const durations = ['P1D', 'P14D', 'P3M', 'P6M', 'P12M', 'PT3S'];
    const { NativeConnection } = await import('@temporalio/worker');
    const connection = await NativeConnection.connect({ address: h.embedded.temporalAddress });
    const taskQueue = `calendar-${randomUUID()}`;
    const worker = await Worker.create({ connection, taskQueue, workflowsPath: path.join(__dirname, 'support', 'calendar-workflow.ts'), dataConverter: dataConverter(h.config) });
    const inside = await worker.runUntil(h.client.workflow.execute('calendarProbe', { taskQueue, workflowId: `calendar-${randomUUID()}`, args: [instants, durations] }));
    await connection.close();
    const { format } = await import('date-fns');
    const { TZDate } = await import('@date-fns/tz');
    // Outside the sandbox TZDate is right: the sandbox's answers must be the same.
    expect(inside.added).to.deep.equal(instants.map((at) => durations.map((d) => addIsoDuration(at, d))));
    expect(inside.dates).to.deep.equal(instants.map((at) => format(new TZDate(at, 'Europe/Stockholm'), 'yyyy-MM-dd')));
    expect(inside.nine).to.deep.equal(instants.map((at) => { const d = new Date(at); return new TZDate(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), 9, 0, 0, 'Europe/Stockholm').getTime(); }));
  });
  it('an activity plan\'s answer window across the October and March changes ends at the same Swedish clock time inside the sandbox (release 1.4)', async () => {
    // Occasions at 08:00 and 21:30 Swedish time the day before, and a week before, each change.
    const dueAts = ['2026-10-24T06:00:00Z', '2026-10-24T19:30:00Z', '2026-10-19T06:00:00Z', '2027-03-27T07:00:00Z', '2027-03-27T20:30:00Z', '2027-03-22T07:00:00Z'].map(Date.parse);
    const { NativeConnection } = await import('@temporalio/worker');
    const connection = await NativeConnection.connect({ address: h.embedded.temporalAddress });
    const taskQueue = `calendar-${randomUUID()}`;
    const worker = await Worker.create({ connection, taskQueue, workflowsPath: path.join(__dirname, 'support', 'calendar-workflow.ts'), dataConverter: dataConverter(h.config) });
    const windows = await worker.runUntil(Promise.all([1, 7].map((days) => h.client.workflow.execute('answerWindowProbe', { taskQueue, workflowId: `calendar-${randomUUID()}`, args: [dueAts, days] }))));
    await connection.close();
    const { format } = await import('date-fns');
    const { TZDate } = await import('@date-fns/tz');
    const wall = (at: number) => format(new TZDate(at, 'Europe/Stockholm'), 'yyyy-MM-dd HH:mm');
    [1, 7].forEach((days, i) => {
      const expected = dueAts.map((at) => { const d = new TZDate(at, 'Europe/Stockholm'); return wall(new TZDate(d.getFullYear(), d.getMonth(), d.getDate() + days, d.getHours(), d.getMinutes(), 0, 'Europe/Stockholm').getTime()); });
      // From release 1.4: the same clock time, `days` Swedish days later.
      expect(windows[i]!.byOffsets.map(wall), `${days} days`).to.deep.equal(expected);
      // Before it, inside the sandbox: 24-hour days, an hour off across each change (the bug the patch mends).
      expect(windows[i]!.before14.map(wall), `${days} days before 1.4`).to.not.deep.equal(expected);
    });
  });
  it('continue-as-new hands the notifications in flight to the next run, which delivers them from the outbox once (release 1.2, security #7)', async () => {
    const treatmentId = randomUUID();
    const phone = `+4670${String(Date.now()).slice(-7)}`;
    const notificationId = `handed-over-${treatmentId}`;
    // The outbox entry a previous run had in flight when it continued as new.
    await NotificationModel.create({
      _id: notificationId, treatmentId, channel: 'sms', recipient: 'patient', to: phone,
      template: JSON.stringify({ kind: 'patient', notice: 'new_message' }), status: 'pending', createdAt: new Date(),
    });
    const input: TreatmentInput = {
      treatmentId, careUnitId: 'unit-w', clinicianId: 'hsa-w', openSlotKey: `slot-${treatmentId}`, startedAt: Date.now(),
      plan: planOf(loadPrograms(h.config.programOverrides).get('tobakshjalpen')!), deliveriesInFlight: [notificationId],
    };
    const handle = await h.client.workflow.start(TREATMENT_WORKFLOW, { workflowId: workflowIdFor(treatmentId), taskQueue: h.config.temporal.taskQueue, args: [input] });
    const sent = await eventually(async () => {
      const n = await NotificationModel.findById(notificationId).lean();
      return n?.status === 'sent' ? n : null;
    }, 20_000);
    expect(sent.attempts).to.equal(1);
    expect(h.sms.messages.filter((m) => m.to === phone)).to.have.length(1);
    await handle.terminate('test done');
  });
});
