// Many hands at once: concurrent commands and starts, and a history that grows long.
import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { harness, type Harness } from './support/harness';
import { eventually, testPersonnummer } from './support/fixtures';
import {
  activateUpdate, openModuleUpdate, patientActiveSignal, sectionProgressUpdate, stateQuery, TREATMENT_WORKFLOW, workflowIdFor,
} from '../workflows/definitions';
import { planOf } from '../domain/program';
import { loadPrograms } from '../infra/programs';
import type { TreatmentInput } from '../domain/types';
import { Treatment } from '../models/treatment';
import { replayToday } from './support/bundle';

describe('concurrency and long histories (real Temporal and MongoDB)', function () {
  this.timeout(120_000);
  let h: Harness;
  let clinician: string;
  before(async () => {
    h = await harness();
    clinician = await h.token({ role: 'clinician', sub: 'SE2321000016-4242', careUnits: ['unit-conc'] });
  });

  const COMMANDS = 40;
  it('40 concurrent commands to one treatment: each answered, applied exactly once, the state consistent, and the history replays', async () => {
    const pnr = testPersonnummer();
    const { body } = await h.request('POST', '/api/treatments', { token: clinician, body: { personnummer: pnr, programId: 'tobakshjalpen', careUnitId: 'unit-conc' } });
    const patient = await h.token({ role: 'patient', sub: pnr });
    await h.request('GET', '/api/me/treatment', { token: patient });
    const handle = h.client.workflow.getHandle(workflowIdFor(body.id));
    const before = await handle.query(stateQuery);
    // 4 modules opened 10 times each (idempotent), via the API with distinct update ids. The API
    // sends one workflow's updates one at a time (sendUpdate): with many in flight at once the SDK's
    // core now and then wrote a history the workflow could not replay, and the treatment stopped.
    const modules = ['pregnancy', 'cancer', 'step-2', 'step-3'];
    const open = (i: number) => h.request('POST', `/api/treatments/${body.id}/modules/${modules[i % 4]}/open`, { token: clinician });
    const results = await Promise.all(Array.from({ length: COMMANDS }, (_, i) => open(i)));
    expect(results.filter((r) => r.status !== 200).map((r) => `${r.status} ${JSON.stringify(r.body)}`).slice(0, 3)).to.deep.equal([]);
    const after = await handle.query(stateQuery);
    // Each module opened exactly once; the 36 repeats changed nothing (time may add other changes, such as an inactivity flag).
    expect(after.version - before.version).to.be.at.least(4);
    const openedOnce = async () => {
      const opened = await h.request('GET', `/api/treatments/${body.id}/timeline?types=module_opened`, { token: clinician });
      return (opened.body.items as Array<{ moduleId: string }>).map((i) => i.moduleId).filter((m) => modules.includes(m)).sort();
    };
    await eventually(async () => (await openedOnce()).length >= 4);
    expect(await openedOnce()).to.deep.equal([...modules].sort());
    for (const m of modules) expect(after.modules.find((x) => x.id === m)!.state).to.equal('open');
    const history = await handle.fetchHistory();
    const accepted = history.events!.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes).length;
    expect(accepted).to.be.at.least(COMMANDS); // every command went through the workflow (plus the activation)
    const doc = await Treatment.findById(body.id).lean();
    expect(doc!.version).to.equal(after.version); // the read model caught the last state
    // What the worker does on its next task (or another worker after a restart): replay the history.
    await replayToday(h.config, history, handle.workflowId);
  });

  it('20 identical concurrent starts: exactly one workflow and one treatment', async () => {
    const pnr = testPersonnummer();
    const results = await Promise.all(Array.from({ length: 20 }, () =>
      h.request('POST', '/api/treatments', { token: clinician, body: { personnummer: pnr, programId: 'tobakshjalpen', careUnitId: 'unit-conc' } })));
    const ids = new Set(results.map((r) => r.body.id));
    expect(ids.size).to.equal(1);
    expect(results.filter((r) => r.status === 201)).to.have.length(1);
    const [id] = [...ids] as string[];
    let workflows = 0;
    for await (const _ of h.client.workflow.list({ query: `WorkflowId = '${workflowIdFor(id!)}'` })) workflows++;
    expect(workflows).to.equal(1);
    expect(await Treatment.countDocuments({ patientKey: (await Treatment.findById(id).lean())!.patientKey })).to.equal(1);
  });

  it('a treatment whose history grows long continues as new with its state intact', async () => {
    const plan = planOf(loadPrograms().get('tobakshjalpen')!);
    const treatmentId = randomUUID();
    const input: TreatmentInput = {
      treatmentId, careUnitId: 'unit-conc', clinicianId: 'hsa-c', openSlotKey: `slot-${treatmentId}`, startedAt: Date.now(), plan,
      continueAsNewAfterEvents: 60,
    };
    const handle = await h.client.workflow.start(TREATMENT_WORKFLOW, { workflowId: workflowIdFor(treatmentId), taskQueue: h.config.temporal.taskQueue, args: [input] });
    const firstRun = (await handle.describe()).runId;
    await handle.executeUpdate(activateUpdate);
    await handle.executeUpdate(openModuleUpdate, { args: ['pregnancy'] });
    for (const section of ['welcome', 'how-it-works']) await handle.executeUpdate(sectionProgressUpdate, { args: ['intro', section, 'finished'] });
    for (let i = 0; i < 40; i++) await handle.signal(patientActiveSignal, Date.now() + i);
    const runs = await eventually(async () => {
      const seen = new Set<string>();
      for await (const w of h.client.workflow.list({ query: `WorkflowId = '${workflowIdFor(treatmentId)}'` })) seen.add(w.runId);
      return seen.size >= 2 ? seen : null;
    }, 10_000);
    expect(runs.size).to.be.at.least(2);
    const latest = h.client.workflow.getHandle(workflowIdFor(treatmentId));
    expect((await latest.describe()).runId).to.not.equal(firstRun);
    const state = await latest.query(stateQuery);
    expect(state.status).to.equal('active');
    expect(state.modules.find((m) => m.id === 'pregnancy')!.state).to.equal('open');
    expect(state.modules.find((m) => m.id === 'intro')!.sections).to.deep.equal({ welcome: 'finished', 'how-it-works': 'finished' });
    // And it goes on working after the new start.
    const next = await latest.executeUpdate(openModuleUpdate, { args: ['surgery'] });
    expect(next.modules.find((m) => m.id === 'surgery')!.state).to.equal('open');
    await latest.terminate('test done');
  });
});
