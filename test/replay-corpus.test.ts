// The replay corpus: every saved history under test/histories/<release>/ replays against today's
// workflow code, so a change that running treatments could not replay fails here before it ships.
// The scenarios below drive every path of the treatment workflow (messages, forms, more days,
// change of clinician, a closed and reopened module, follow-ups with reminder and escalation,
// activity plans added and removed, end with and without Vidmakthåll, purge, continue-as-new) and
// the activity-plan and nightly workflows, on real servers with durations of seconds.
// `npm run histories` (SAVE_HISTORIES=1) writes their histories, decoded, as the current release's corpus.
import { expect } from 'chai';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Worker } from '@temporalio/worker';
import { replayToday, todaysWorkflowBundle } from './support/bundle';
import type { WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { harness, type Harness } from './support/harness';
import { clock, eventually, testPersonnummer, weekday } from './support/fixtures';
import { decodeHistoryInPlace } from './support/history';
import { dataConverter } from '../infra/data-converter';
import { parseMasterKeys, TreatmentKeyCodec } from '../infra/codec';
import { RELEASE } from '../infra/release';
import { StatisticsSnapshot } from '../models/statistics';
import { startNightlyJob } from '../infra/nightly';
import { nightlyWorkflowId } from '../domain/nightly-jobs';
import { planWorkflowIdFor, ACTIVITY_PLAN_WORKFLOW, type ActivityPlanInput } from '../workflows/activity-plan';
import { stateQuery, workflowIdFor, activateUpdate, openModuleUpdate, TREATMENT_WORKFLOW } from '../workflows/definitions';
import { planOf } from '../domain/program';
import { loadPrograms } from '../infra/programs';
import type { TreatmentInput } from '../domain/types';

const HISTORIES = path.join(__dirname, 'histories');
const SAVE = process.env.SAVE_HISTORIES === '1';


function corpusFiles(): string[] {
  return readdirSync(HISTORIES, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.json')).sort();
}

describe('replay corpus', function () {
  this.timeout(180_000);

  // The scenarios run in every suite (they are tests of the paths too); SAVE_HISTORIES=1 keeps their histories.
  describe('scenarios (durations in seconds)', () => {
    let h: Harness;
    let clinician: string;
    const unit = 'unit-corpus';
    // A codec of its own (the worker's shreds keys in its cache), whose cache keeps a treatment's key
    // for the hour: the purged treatment's history is decoded with the key read before gallring.
    let codecInstance: TreatmentKeyCodec | undefined;
    const codec = () => (codecInstance ??= new TreatmentKeyCodec(parseMasterKeys(h.config.payloadKeys), 3_600_000));
    const saved: string[] = [];

    before(async () => {
      h = await harness();
      clinician = await h.token({ role: 'clinician', sub: 'SE2321000016-7001', careUnits: [unit] });
    });

    /** Fetches a finished (or waiting) run's history, checks that it replays, and saves it when asked. */
    async function keep(name: string, handle: WorkflowHandle, runId?: string) {
      const target = runId ? h.client.workflow.getHandle(handle.workflowId, runId) : handle;
      const history = await decodeHistoryInPlace(await target.fetchHistory(), codec());
      await replayToday(h.config, history, name);
      if (SAVE) {
        mkdirSync(path.join(HISTORIES, RELEASE), { recursive: true });
        writeFileSync(path.join(HISTORIES, RELEASE, `${name}.json`), historyToJSON(history));
      }
      saved.push(name);
    }

    async function started(patientDetails = {}) {
      const pnr = testPersonnummer();
      const res = await h.request('POST', '/api/treatments', { token: clinician, body: { personnummer: pnr, programId: 'tobakshjalpen', careUnitId: unit, patient: patientDetails } });
      expect(res.status).to.equal(201);
      const patient = await h.token({ role: 'patient', sub: pnr });
      expect((await h.request('GET', '/api/me/treatment', { token: patient })).status).to.equal(200);
      return { id: res.body.id as string, patient, handle: h.client.workflow.getHandle(workflowIdFor(res.body.id)) };
    }
    const call = async (method: string, url: string, body: unknown, token = clinician, status = 200) => {
      const res = await h.request(method, url, { token, body });
      expect(res.status, `${method} ${url}: ${JSON.stringify(res.body)}`).to.equal(status);
      return res.body;
    };
    const statusOf = async (handle: WorkflowHandle) => (await handle.query(stateQuery)).status;

    it('messages, a form, more days, change of clinician, then Vidmakthåll that ends by itself', async () => {
      const { id, patient, handle } = await started({ phone: '070-100 00 01' });
      const conv = await call('POST', `/api/treatments/${id}/conversations`, { subject: 'Hej', text: 'Välkommen', notify: true }, clinician, 201);
      await call('POST', `/api/me/treatment/conversations/${conv.id}/messages`, { text: 'Tack' }, patient, 201);
      await call('POST', '/api/me/treatment/modules/step-1/sections/motivation', { progress: 'finished' }, patient);
      await call('POST', '/api/me/treatment/modules/step-1/forms/tobacco-habits', { answers: { tobaccoType: ['snus'], amountPerDay: 5 } }, patient, 201);
      await call('PATCH', `/api/treatments/${id}/modules/step-1`, { workDays: 30 });
      await call('POST', `/api/treatments/${id}/modules/step-2/current`, undefined);
      await call('GET', '/api/clinicians/me/settings', undefined, await h.token({ role: 'clinician', sub: 'SE2321000016-7002', careUnits: [unit] }));
      await call('PUT', `/api/treatments/${id}/clinician`, { clinicianId: 'SE2321000016-7002' });
      await call('POST', `/api/treatments/${id}/end`, { reason: 'completed-tobacco-free', maintenance: true });
      await eventually(async () => (await statusOf(handle)) === 'ended', 20_000);
      await keep('treatment-clinical-work-maintenance', handle);
    });

    it('a module closed by its deadline and opened again with more days; the end without Vidmakthåll', async () => {
      const { id, handle } = await started();
      await call('POST', `/api/treatments/${id}/modules/surgery/open`, undefined);
      await eventually(async () => (await handle.query(stateQuery)).modules.find((m) => m.id === 'surgery')?.state === 'closed', 20_000);
      await call('PATCH', `/api/treatments/${id}/modules/surgery`, { workDays: 3 });
      await call('POST', `/api/treatments/${id}/modules/surgery/complete`, undefined);
      await call('POST', `/api/treatments/${id}/end`, { reason: 'other', maintenance: false });
      await eventually(async () => (await handle.fetchHistory()).events!.some((e) => e.activityTaskCompletedEventAttributes) && (await statusOf(handle)) === 'ended');
      await keep('treatment-closed-reopened-ended', handle);
    });

    it('follow-ups fall due, remind, escalate and are answered', async () => {
      const { id, patient, handle } = await started({ phone: '070-100 00 03' });
      await call('POST', `/api/treatments/${id}/modules/step-4/current`, undefined);
    await call('POST', `/api/treatments/${id}/modules/step-4/complete`, undefined);
      // Follow-ups at 4, 8 and 12 s after step 4; reminder after 3 s, escalation after 5 s.
      await eventually(async () => (await handle.query(stateQuery)).followUps[0]!.escalatedAt !== null, 30_000);
      await eventually(async () => (await handle.query(stateQuery)).followUps[1]!.openedAt !== null, 30_000);
      await call('POST', '/api/me/treatment/modules/step-6/forms/follow-up-6m', { answers: { tobaccoStatus: 'tobacco-free' } }, patient, 201);
      await call('POST', `/api/treatments/${id}/end`, { reason: 'completed-tobacco-free', maintenance: false });
      await eventually(async () => (await statusOf(handle)) === 'ended');
      await keep('treatment-follow-ups', handle);
    });

    it('activity plans added, falling due and removed; the end stops the rest; then gallring', async () => {
      const { id, patient, handle } = await started({ phone: '070-100 00 04' });
      const now = Date.now();
      const schedule = (offsets: number[]) => ({ weekdays: [weekday(now)], times: offsets.map((s) => clock(now + s * 1000)), weeks: 1 });
      const kept = await call('POST', `/api/treatments/${id}/activity-plans`, { title: 'Dagbok', elements: [{ formId: 'check-in' }], schedule: schedule([3, 60]), answerWindowDays: 1 }, clinician, 201);
      const removed = await call('POST', `/api/treatments/${id}/activity-plans`, { title: 'Kväll', elements: [{ formId: 'check-in' }], schedule: schedule([3, 60]), answerWindowDays: 1 }, clinician, 201);
      const due = await eventually(async () => {
        const items = (await h.request('GET', '/api/me/treatment/activities', { token: patient })).body.items as Array<{ id: string; planId: string }>;
        return items.length === 2 ? items : null;
      }, 20_000);
      await call('POST', `/api/me/treatment/activities/${due.find((o) => o.planId === kept.id)!.id}`, { answers: { 'check-in': { tobaccoFree: true } } }, patient, 201);
      await call('DELETE', `/api/treatments/${id}/activity-plans/${removed.id}`, undefined, clinician, 204);
      await call('POST', `/api/treatments/${id}/end`, { reason: 'other', maintenance: false });
      const keptPlan = h.client.workflow.getHandle(planWorkflowIdFor(kept.id));
      expect(await keptPlan.result()).to.equal('stopped');
      await keep('activity-plan-stopped-by-end', keptPlan);
      await keep('activity-plan-removed', h.client.workflow.getHandle(planWorkflowIdFor(removed.id)));
      // Warm the codec's key cache with this treatment's key before gallring shreds it.
      await decodeHistoryInPlace(await handle.fetchHistory(), codec());
      await call('POST', `/api/treatments/${id}/purge`, undefined, clinician, 202);
      await handle.result();
      await keep('treatment-plans-ended-purged', handle);
    });

    it('release 1.2: step 4 reminded; a plan edited and its occasion missed (flagged); Vidmakthåll ended early, then gallring', async () => {
      const { id, patient, handle } = await started({ phone: '070-100 00 05' });
      // Step 4 open with its form unsent: reminded after followUpReminder (PT3S).
      await call('POST', `/api/treatments/${id}/modules/step-4/current`, undefined);
      await eventually(async () => ((await handle.query(stateQuery)).formsRemindedFor ?? []).includes('step-4'), 20_000);
      const now = Date.now();
      const schedule = (at: number, offsets: number[]) => ({ weekdays: [weekday(at)], times: offsets.map((s) => clock(at + s * 1000)), weeks: 1 });
      const plan = await call('POST', `/api/treatments/${id}/activity-plans`, { title: 'Dagbok', elements: [{ formId: 'check-in' }], schedule: schedule(now, [3, 300]), answerWindowDays: 1 }, clinician, 201);
      await eventually(async () => ((await h.request('GET', '/api/me/treatment/activities', { token: patient })).body.items as unknown[]).length === 1, 20_000);
      // The edit: one occasion in a few seconds, no time to answer it, so it is missed and flagged.
      const later = Date.now();
      await call('PUT', `/api/treatments/${id}/activity-plans/${plan.id}`, { schedule: schedule(later, [5]), answerWindowDays: 0 });
      await eventually(async () => ((await h.request('GET', `/api/flags?treatmentId=${id}`, { token: clinician })).body.items as Array<{ type: string }>).some((f) => f.type === 'activity_missed'), 30_000);
      await call('POST', `/api/treatments/${id}/end`, { reason: 'other', maintenance: true });
      await call('POST', `/api/treatments/${id}/maintenance/end`, undefined);
      const planHandle = h.client.workflow.getHandle(planWorkflowIdFor(plan.id));
      expect(await planHandle.result()).to.equal('stopped');
      await keep('activity-plan-edited-missed', planHandle);
      await decodeHistoryInPlace(await handle.fetchHistory(), codec());
      await call('POST', `/api/treatments/${id}/purge`, undefined, clinician, 202);
      await handle.result();
      await keep('treatment-reminded-maintenance-ended-early-purged', handle);
    });

    it('a treatment that continues as new keeps its state; a plan that continues as new keeps its place', async () => {
      const plan = planOf(loadPrograms(h.config.programOverrides).get('tobakshjalpen')!);
      const treatmentId = randomUUID();
      const input: TreatmentInput = {
        treatmentId, careUnitId: unit, clinicianId: 'SE2321000016-7001', openSlotKey: `slot-${treatmentId}`, startedAt: Date.now(), plan, continueAsNewAfterEvents: 30,
      };
      const handle = await h.client.workflow.start(TREATMENT_WORKFLOW, { workflowId: workflowIdFor(treatmentId), taskQueue: h.config.temporal.taskQueue, args: [input] });
      const firstRun = handle.firstExecutionRunId;
      await handle.executeUpdate(activateUpdate);
      for (const m of ['pregnancy', 'surgery', 'young', 'cancer']) await handle.executeUpdate(openModuleUpdate, { args: [m] });
      const described = await eventually(async () => {
        const d = await handle.describe();
        return d.runId !== firstRun ? d : null;
      }, 20_000);
      expect((await handle.query(stateQuery)).modules.filter((m) => m.state === 'open').length).to.be.greaterThan(3);
      await keep('treatment-continued-as-new', handle, firstRun);
      await handle.terminate('corpus recorded');
      expect(described.runId).to.not.equal(firstRun);

      const planId = randomUUID();
      const now = Date.now();
      const planInput: ActivityPlanInput = {
        // Answer window 0: from release 1.2 a plan completes once its last answer window has closed.
        planId, treatmentId: `t-${planId}`, answerWindowDays: 0, startAt: now, occasionsPerRun: 1,
        schedule: { weekdays: [weekday(now)], times: [2, 3].map((s) => clock(now + s * 1000)), weeks: 1 },
      };
      const planHandle = await h.client.workflow.start(ACTIVITY_PLAN_WORKFLOW, { workflowId: planWorkflowIdFor(planId), taskQueue: h.config.temporal.taskQueue, args: [planInput] });
      expect(await planHandle.result()).to.equal('completed');
      await keep('activity-plan-continued-as-new', planHandle, planHandle.firstExecutionRunId);
      await keep('activity-plan-completed', planHandle);
    });

    it('a nightly job run', async () => {
      // The snapshot job (the sweeps visit every treatment of the suite's database, which takes long here).
      const date = `corpus-${randomUUID()}`;
      expect(await startNightlyJob(h.client, h.config, 'statistics-snapshot', date)).to.equal(true);
      const handle = h.client.workflow.getHandle(nightlyWorkflowId('statistics-snapshot', date));
      await handle.result();
      await StatisticsSnapshot.deleteMany({ date });
      await keep('nightly-statistics-snapshot', handle);
    });
  });
  // After the scenarios, so that a run with SAVE_HISTORIES=1 replays what it has just written.
  describe('the saved corpus', () => {
    it('every saved history of every release replays against today\'s workflows', async () => {
      const h = await harness();
      const files = corpusFiles();
      expect(files.filter((f) => f.startsWith(`${RELEASE}/`)).length, `the ${RELEASE} corpus`).to.be.greaterThan(8);
      // One bundle of today's workflow code and one replay worker for every history (a worker per
      // history cost about half a second each: 36 s for the 66 histories of release 1.4).
      const workflowBundle = await todaysWorkflowBundle();
      const histories = files.map((file) => ({ workflowId: file, history: JSON.parse(readFileSync(path.join(HISTORIES, file), 'utf8')) as unknown }));
      const replayed: string[] = [];
      const failures: string[] = [];
      for await (const result of Worker.runReplayHistories({ workflowBundle, dataConverter: dataConverter(h.config) }, histories)) {
        replayed.push(result.workflowId);
        if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
      }
      expect(failures).to.deep.equal([]);
      expect(replayed.sort()).to.deep.equal(files);
    });
  });
});
