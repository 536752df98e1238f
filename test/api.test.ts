// The REST API end to end: HTTP → Express → Temporal updates → activities → MongoDB, all real.
import { expect } from 'chai';
import { Patient } from '../models/patient';
import { harness, type Harness } from './support/harness';
import { eventually, testPersonnummer, testSamordningsnummer } from './support/fixtures';
import { workflowIdFor } from '../workflows/definitions';

describe('REST API (real Temporal and MongoDB)', function () {
  this.timeout(120_000);
  let h: Harness;
  let clinician: string;
  let otherUnitClinician: string;

  before(async () => {
    h = await harness();
    clinician = await h.token({ role: 'clinician', sub: 'SE2321000016-1001', careUnits: ['unit-a', 'unit-c'] });
    otherUnitClinician = await h.token({ role: 'clinician', sub: 'SE2321000016-2002', careUnits: ['unit-b'] });
  });

  const start = async (personnummer = testPersonnummer(), token = clinician, careUnitId = 'unit-a', patient?: object) =>
    h.request('POST', '/api/treatments', { token, body: { personnummer, programId: 'tobakshjalpen', careUnitId, ...(patient ? { patient } : {}) } });
  const patientToken = (pnr: string) => h.token({ role: 'patient', sub: pnr });

  describe('authentication and validation', () => {
    it('answers 401 without a token, with a broken token and with an expired one', async () => {
      expect((await h.request('GET', '/api/treatments')).status).to.equal(401);
      expect((await h.request('GET', '/api/treatments', { token: 'not.a.jwt' })).status).to.equal(401);
      const expired = await h.token({ role: 'clinician', sub: 'x', careUnits: ['unit-a'] }, '-1m');
      const res = await h.request('GET', '/api/treatments', { token: expired });
      expect(res.status).to.equal(401);
      expect(res.headers.get('content-type')).to.match(/application\/problem\+json/);
    });

    it('answers 400 naming personnummer for a bad check digit, and writes nothing', async () => {
      const before = await h.request('GET', '/api/treatments?pageSize=100', { token: clinician });
      const res = await start('198503121235');
      expect(res.status).to.equal(400);
      expect(res.body.errors).to.deep.equal([{ field: 'personnummer', message: res.body.errors[0].message }]);
      expect(res.body.errors[0].message).to.match(/personnummer/);
      const after = await h.request('GET', '/api/treatments?pageSize=100', { token: clinician });
      expect(after.body.total).to.equal(before.body.total);
    });

    it('names each bad field: missing programId, unknown field, broken JSON, pageSize over 100', async () => {
      const missing = await h.request('POST', '/api/treatments', { token: clinician, body: { personnummer: testPersonnummer(), careUnitId: 'unit-a' } });
      expect(missing.status).to.equal(400);
      expect(missing.body.errors.map((e: { field: string }) => e.field)).to.include('programId');
      const extra = await h.request('POST', '/api/treatments', { token: clinician, body: { personnummer: testPersonnummer(), programId: 'tobakshjalpen', careUnitId: 'unit-a', admin: true } });
      expect(extra.status).to.equal(400);
      const broken = await h.request('POST', '/api/treatments', { token: clinician, rawBody: '{"personnummer": ' });
      expect(broken.status).to.equal(400);
      expect(broken.body.errors[0].field).to.equal('body');
      const page = await h.request('GET', '/api/treatments?pageSize=101', { token: clinician });
      expect(page.status).to.equal(400);
      expect(page.body.errors[0].field).to.equal('pageSize');
      const program = await h.request('POST', '/api/treatments', { token: clinician, body: { personnummer: testPersonnummer(), programId: 'nope', careUnitId: 'unit-a' } });
      expect(program.status).to.equal(400);
      expect(program.body.errors[0].field).to.equal('programId');
    });

    it('refuses to start a treatment in a care unit that is not in the token', async () => {
      const res = await start(testPersonnummer(), clinician, 'unit-b');
      expect(res.status).to.equal(403);
    });

    it('a patient token cannot use clinician endpoints, and a clinician token cannot use the patient view', async () => {
      const pnr = testPersonnummer();
      expect((await h.request('GET', '/api/treatments', { token: await patientToken(pnr) })).status).to.equal(403);
      expect((await h.request('GET', '/api/me/treatment', { token: clinician })).status).to.equal(403);
    });
  });

  describe('a treatment from start to end', () => {
    const pnr = testPersonnummer();
    let id: string;

    it('starts invited (201), with the patient, and no personnummer in the workflow id', async () => {
      const res = await start(`${pnr.slice(0, 8)}-${pnr.slice(8)}`, clinician, 'unit-a', { name: 'Anna Andersson', phone: '070-123 45 67' });
      expect(res.status).to.equal(201);
      id = res.body.id;
      expect(res.body).to.include({ status: 'invited', programId: 'tobakshjalpen', careUnitId: 'unit-a', clinicianId: 'SE2321000016-1001' });
      expect(res.body.patient).to.include({ personnummer: pnr, name: 'Anna Andersson' });
      expect(res.body.modules).to.have.length(13);
      expect(res.body.modules.every((m: { state: string }) => m.state === 'locked')).to.equal(true);
      const description = await h.client.workflow.getHandle(workflowIdFor(id)).describe();
      expect(description.status.name).to.equal('RUNNING');
      expect(description.workflowId).to.not.contain(pnr);
      expect(description.workflowId).to.not.contain(pnr.slice(2));
    });

    it('starting again while it runs returns the same treatment with 200', async () => {
      const again = await start(pnr);
      expect(again.status).to.equal(200);
      expect(again.body.id).to.equal(id);
    });

    it('is listed with the patient, filterable by status and care unit, with paging', async () => {
      const list = await h.request('GET', '/api/treatments?status=invited&careUnitId=unit-a&pageSize=100', { token: clinician });
      expect(list.status).to.equal(200);
      const item = list.body.items.find((i: { id: string }) => i.id === id);
      expect(item).to.deep.include({ status: 'invited', currentModuleId: null, unreadFlags: 0 });
      expect(item.patient).to.deep.equal({ personnummer: pnr, name: 'Anna Andersson' });
      const active = await h.request('GET', '/api/treatments?status=active&pageSize=100', { token: clinician });
      expect(active.body.items.map((i: { id: string }) => i.id)).to.not.include(id);
      const page1 = await h.request('GET', '/api/treatments?pageSize=1&page=1', { token: clinician });
      expect(page1.body.items).to.have.length(1);
      expect(page1.body.total).to.be.greaterThan(0);
    });

    it('is invisible (404) to a clinician of another care unit, for reads and commands alike', async () => {
      expect((await h.request('GET', `/api/treatments/${id}`, { token: otherUnitClinician })).status).to.equal(404);
      expect((await h.request('POST', `/api/treatments/${id}/modules/step-1/complete`, { token: otherUnitClinician })).status).to.equal(404);
      const list = await h.request('GET', '/api/treatments?pageSize=100', { token: otherUnitClinician });
      expect(list.body.items.map((i: { id: string }) => i.id)).to.not.include(id);
    });

    it('the welcome text can be edited for this patient', async () => {
      const res = await h.request('PUT', `/api/treatments/${id}/welcome-text`, { token: clinician, body: { text: 'Hej Anna, välkommen!' } });
      expect(res.status).to.equal(200);
      expect(res.body.welcomeText).to.equal('Hej Anna, välkommen!');
    });

    it('the patient\'s first visit activates it: intro, good-to-know and step-1 open, step-1 current, locked modules hidden', async () => {
      const res = await h.request('GET', '/api/me/treatment', { token: await patientToken(pnr) });
      expect(res.status).to.equal(200);
      expect(res.body.status).to.equal('active');
      expect(res.body.welcomeText).to.equal('Hej Anna, välkommen!');
      expect(res.body.currentModuleId).to.equal('step-1');
      expect(res.body.modules.map((m: { id: string }) => m.id)).to.deep.equal(['intro', 'good-to-know', 'step-1']);
      expect(res.body.modules.every((m: { state: string }) => m.state === 'open')).to.equal(true);
      expect(res.body).to.not.have.property('timeline');
      expect(res.body).to.not.have.property('unreadFlags');
      const step1 = res.body.modules[2];
      expect(step1.daysLeft).to.equal(10); // moduleWork is P10D in the test overrides
      expect(step1.sections.map((s: { id: string }) => s.id)).to.include('motivation');
      const detail = await h.request('GET', `/api/treatments/${id}`, { token: clinician });
      expect(detail.body.status).to.equal('active');
      expect(detail.body.activatedAt).to.be.a('string');
    });

    it('the patient records section progress; the module turns yellow, then green; locked modules answer 404', async () => {
      const token = await patientToken(pnr);
      const first = await h.request('POST', '/api/me/treatment/modules/intro/sections/welcome', { token, body: { progress: 'finished' } });
      expect(first.status).to.equal(200);
      expect(first.body.progress).to.equal('started');
      const second = await h.request('POST', '/api/me/treatment/modules/intro/sections/how-it-works', { token, body: { progress: 'finished' } });
      expect(second.body.progress).to.equal('finished');
      const locked = await h.request('POST', '/api/me/treatment/modules/step-2/sections/quit-date', { token, body: { progress: 'started' } });
      expect(locked.status).to.equal(404);
      const badProgress = await h.request('POST', '/api/me/treatment/modules/intro/sections/welcome', { token, body: { progress: 'done' } });
      expect(badProgress.status).to.equal(400);
      expect(badProgress.body.errors[0].field).to.equal('progress');
      const detail = await h.request('GET', `/api/treatments/${id}`, { token: clinician });
      expect(detail.body.modules.find((m: { id: string }) => m.id === 'intro').progress).to.equal('finished');
      expect(detail.body.lastActiveAt).to.be.a('string');
    });

    it('completing a locked module answers 409 with the reason; an unknown module 404', async () => {
      const res = await h.request('POST', `/api/treatments/${id}/modules/step-3/complete`, { token: clinician });
      expect(res.status).to.equal(409);
      expect(res.body.detail).to.match(/step-3.*locked/);
      expect((await h.request('POST', `/api/treatments/${id}/modules/step-99/complete`, { token: clinician })).status).to.equal(404);
    });

    it('the clinician completes step-1, makes step-2 current and opens an individual module', async () => {
      const done = await h.request('POST', `/api/treatments/${id}/modules/step-1/complete`, { token: clinician });
      expect(done.status).to.equal(200);
      expect(done.body.modules.find((m: { id: string }) => m.id === 'step-1').state).to.equal('completed');
      const current = await h.request('POST', `/api/treatments/${id}/modules/step-2/current`, { token: clinician });
      expect(current.body.currentModuleId).to.equal('step-2');
      expect(current.body.modules.find((m: { id: string }) => m.id === 'step-2')).to.include({ state: 'open', daysLeft: 10 });
      const opened = await h.request('POST', `/api/treatments/${id}/modules/pregnancy/open`, { token: clinician });
      // An individual module has no work time: no deadline, no days left, and no more days to give (issue 24).
      expect(opened.body.modules.find((m: { id: string }) => m.id === 'pregnancy')).to.include({ state: 'open', deadline: null, daysLeft: null });
      expect((await h.request('PATCH', `/api/treatments/${id}/modules/pregnancy`, { token: clinician, body: { workDays: 3 } })).status).to.equal(409);
      const me = await h.request('GET', '/api/me/treatment', { token: await patientToken(pnr) });
      expect(me.body.modules.map((m: { id: string }) => m.id)).to.deep.equal(['intro', 'good-to-know', 'step-1', 'step-2', 'pregnancy']);
    });

    it('ending needs a reason of the program (400 naming reason); then the patient has no access and commands answer 409', async () => {
      const bad = await h.request('POST', `/api/treatments/${id}/end`, { token: clinician, body: { reason: 'bored', maintenance: false } });
      expect(bad.status).to.equal(400);
      expect(bad.body.errors[0].field).to.equal('reason');
      const ended = await h.request('POST', `/api/treatments/${id}/end`, { token: clinician, body: { reason: 'completed-tobacco-free', maintenance: false } });
      expect(ended.status).to.equal(200);
      expect(ended.body).to.include({ status: 'ended', endReason: 'completed-tobacco-free' });
      expect((await h.request('GET', '/api/me/treatment', { token: await patientToken(pnr) })).status).to.equal(404);
      const late = await h.request('POST', `/api/treatments/${id}/modules/step-3/open`, { token: clinician });
      expect(late.status).to.equal(409);
      expect((await h.request('PUT', `/api/treatments/${id}/welcome-text`, { token: clinician, body: { text: 'x' } })).status).to.equal(409);
    });

    it('after the end, starting the program again creates a new treatment', async () => {
      const res = await start(pnr);
      expect(res.status).to.equal(201);
      expect(res.body.id).to.not.equal(id);
    });
  });

  it('ten identical start requests racing give one treatment and one workflow', async () => {
    const pnr = testPersonnummer();
    const results = await Promise.all(Array.from({ length: 10 }, () => start(pnr)));
    const ids = new Set(results.map((r) => r.body.id));
    expect(ids.size, JSON.stringify(results.map((r) => [r.status, r.body.id ?? r.body.detail]))).to.equal(1);
    expect(results.map((r) => r.status).sort()).to.deep.equal([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    const [id] = [...ids] as string[];
    const list = await h.request('GET', '/api/treatments?pageSize=100', { token: clinician });
    expect(list.body.items.filter((i: { patient: { personnummer: string } }) => i.patient.personnummer === pnr)).to.have.length(1);
    const runs = h.client.workflow.list({ query: `WorkflowId = '${workflowIdFor(id!)}'` });
    let count = 0;
    for await (const _ of runs) count++;
    expect(count).to.equal(1);
  });

  it('attack: a 10-digit personnummer (a guessed century) and a birth date in the future are refused, naming the field (security #10)', async () => {
    const twelve = testPersonnummer('19250312');
    for (const bad of [twelve.slice(2), `${twelve.slice(2, 8)}-${twelve.slice(8)}`, testPersonnummer('20991231')]) {
      const res = await start(bad);
      expect(res.status, bad).to.equal(400);
      expect(res.body.errors[0].field).to.equal('personnummer');
    }
    expect((await start(twelve)).status).to.equal(201); // the centenarian, written in full
  });

  it('the overview: my patients or the unit, search by name or personnummer, sorted by name (Swedish order), start or unread flags', async () => {
    const unit = 'unit-overview';
    const me = await h.token({ role: 'clinician', sub: 'SE2321000016-3131', careUnits: [unit] });
    const colleague = await h.token({ role: 'clinician', sub: 'SE2321000016-3232', careUnits: [unit] });
    const pnrs = [testPersonnummer(), testPersonnummer(), testPersonnummer()];
    await start(pnrs[0], me, unit, { name: 'Åsa Berg' });
    await start(pnrs[1], me, unit, { name: 'Anna Öberg' });
    await start(pnrs[2], colleague, unit, { name: 'Bo Ek' });
    await h.request('GET', '/api/me/treatment', { token: await patientToken(pnrs[2]!) }); // first_login: an unread flag
    const list = async (query: string) => (await h.request('GET', `/api/treatments?careUnitId=${unit}&${query}`, { token: me })).body as { items: Array<{ patient: { name: string } }>; total: number };
    const names = (r: { items: Array<{ patient: { name: string } }> }) => r.items.map((i) => i.patient.name);
    expect(names(await list('sort=name'))).to.deep.equal(['Anna Öberg', 'Bo Ek', 'Åsa Berg']);
    expect(names(await list('sort=-name'))).to.deep.equal(['Åsa Berg', 'Bo Ek', 'Anna Öberg']);
    expect(names(await list('mine=true&sort=name'))).to.deep.equal(['Anna Öberg', 'Åsa Berg']);
    expect(names(await list('q=berg&sort=name'))).to.deep.equal(['Anna Öberg', 'Åsa Berg']);
    expect(names(await list(`q=${pnrs[2]}`))).to.deep.equal(['Bo Ek']);
    const byFlags = await eventually(async () => { const r = await list('sort=-unreadFlags'); return names(r)[0] === 'Bo Ek' ? r : null; });
    expect(byFlags.total).to.equal(3);
    const paged = await list('sort=name&pageSize=1&page=2');
    expect(paged).to.deep.include({ total: 3 });
    expect(names(paged)).to.deep.equal(['Bo Ek']);
    expect((await h.request('GET', `/api/treatments?careUnitId=${unit}&sort=shoe`, { token: me })).body.errors[0].field).to.equal('sort');
  });

  it('accepts a samordningsnummer', async () => {
    const res = await start(testSamordningsnummer());
    expect(res.status).to.equal(201);
  });

  it('a patient of another care unit\'s open treatment gets 409 from this unit, without its data', async () => {
    const pnr = testPersonnummer();
    expect((await start(pnr, otherUnitClinician, 'unit-b')).status).to.equal(201);
    const res = await start(pnr, clinician, 'unit-a');
    expect(res.status).to.equal(409);
    expect(JSON.stringify(res.body)).to.not.contain('unit-b');
  });

  it('attack: a clinician of unit A cannot overwrite the contact details of unit B\'s patient through start (security #1)', async () => {
    const pnr = testPersonnummer();
    expect((await start(pnr, otherUnitClinician, 'unit-b', { phone: '070-111 11 11', email: 'patient@example.se' })).status).to.equal(201);
    const attack = await start(pnr, clinician, 'unit-a', { phone: '070-666 66 66', email: 'attacker@example.se' });
    expect(attack.status).to.equal(409);
    expect(attack.body.detail).to.equal('the patient already has an open treatment of this program at another care unit');
    const patient = await Patient.findOne({ personnummer: pnr }).lean();
    expect(patient).to.include({ phone: '070-111 11 11', email: 'patient@example.se' });
    // Unit B's own start still updates the details of its own patient, as before.
    expect((await start(pnr, otherUnitClinician, 'unit-b', { phone: '070-222 22 22' })).status).to.equal(200);
    expect(await Patient.findOne({ personnummer: pnr }).lean()).to.include({ phone: '070-222 22 22' });
  });

  it('with maintenance (Vidmakthåll) the patient reads, cannot write, and loses access by itself', async () => {
    const pnr = testPersonnummer();
    const { body } = await start(pnr);
    const token = await patientToken(pnr);
    await h.request('GET', '/api/me/treatment', { token });
    const ended = await h.request('POST', `/api/treatments/${body.id}/end`, { token: clinician, body: { reason: 'other', maintenance: true } });
    expect(ended.body.status).to.equal('maintenance');
    expect(ended.body.maintenanceUntil).to.be.a('string');
    const read = await h.request('GET', '/api/me/treatment', { token });
    expect(read.status).to.equal(200);
    expect(read.body.readOnly).to.equal(true);
    const write = await h.request('POST', '/api/me/treatment/modules/intro/sections/welcome', { token, body: { progress: 'started' } });
    expect(write.status).to.equal(409);
    // maintenance is PT3S in the test overrides: the workflow's own timer ends access.
    await eventually(async () => (await h.request('GET', '/api/me/treatment', { token })).status === 404, 20_000);
    const detail = await h.request('GET', `/api/treatments/${body.id}`, { token: clinician });
    expect(detail.body.status).to.equal('ended');
  });

  it('a patient without a treatment gets 404', async () => {
    expect((await h.request('GET', '/api/me/treatment', { token: await patientToken(testPersonnummer()) })).status).to.equal(404);
  });

  it('serves the program with its durations as ISO 8601, PROGRAM_OVERRIDES applied', async () => {
    const res = await h.request('GET', '/api/programs/tobakshjalpen', { token: clinician });
    expect(res.status).to.equal(200);
    expect(res.body.durations).to.include({ moduleWork: 'P10D', maintenance: 'PT3S', followUpReminder: 'PT3S', retention: 'P2Y' });
    expect(res.body.durations.followUps).to.deep.equal(['PT4S', 'PT8S', 'PT12S']);
    expect(res.body.endReasons.map((r: { id: string }) => r.id)).to.include('completed-tobacco-free');
    expect((await h.request('GET', '/api/programs/nope', { token: clinician })).status).to.equal(404);
  });

  it('/healthz and /readyz answer without a token', async () => {
    expect((await h.request('GET', '/healthz')).status).to.equal(200);
    const ready = await h.request('GET', '/readyz');
    expect(ready.status).to.equal(200);
    expect(ready.body).to.deep.include({ status: 'ready', temporal: 'ok', mongodb: 'ok' });
    expect(ready.body.checkedAt).to.be.a('string');
  });

  it('concurrent commands on one treatment are all applied, each once', async () => {
    const pnr = testPersonnummer();
    const { body } = await start(pnr);
    await h.request('GET', '/api/me/treatment', { token: await patientToken(pnr) });
    const modules = ['pregnancy', 'surgery', 'young', 'cancer', 'step-2', 'step-3'];
    const results = await Promise.all(modules.map((m) => h.request('POST', `/api/treatments/${body.id}/modules/${m}/open`, { token: clinician })));
    expect(results.every((r) => r.status === 200)).to.equal(true);
    // Each command's answer carries the state it made; the read model shows them all once written.
    const detail = await eventually(async () => {
      const d = await h.request('GET', `/api/treatments/${body.id}`, { token: clinician });
      return modules.every((m) => d.body.modules.find((x: { id: string }) => x.id === m).state === 'open') ? d : null;
    });
    for (const m of modules) expect(detail.body.modules.find((x: { id: string }) => x.id === m).state).to.equal('open');
  });
});
