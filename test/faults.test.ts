// Faults lose nothing. Servers, worker and API of their own (the worker and the API as child
// processes), each ended by its own pid: a killed worker, a restarted Temporal server, a MongoDB
// outage of some 30 seconds (until the worker has tried the passed deadline four times).
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { signDevToken } from '../api/auth';
import { ensureDevSecrets, loadConfig } from '../infra/config';
import { startMailCapture, startSmsCapture } from '../dev/capture';
import { ensureBinaries, freePort, startMongo, startTemporal, waitForPort, type RunningServer } from '../dev/servers';
import { Client, Connection } from '@temporalio/client';
import { eventually, testPersonnummer } from './support/fixtures';
import { settled } from './support/settle';
import { workflowIdFor } from '../workflows/definitions';

const ROOT = path.join(__dirname, '..');

describe('faults lose nothing (own servers, processes ended by pid)', function () {
  this.timeout(240_000);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tobakshjalpen-faults-'));
  const children: ChildProcess[] = [];
  let temporal: RunningServer;
  let mongo: RunningServer;
  let bins: Awaited<ReturnType<typeof ensureBinaries>>;
  let ports: { temporal: number; ui: number; mongo: number; api: number };
  let env: NodeJS.ProcessEnv;
  let worker: ChildProcess;
  let api: string;
  let sms: Awaited<ReturnType<typeof startSmsCapture>>;
  let mail: Awaited<ReturnType<typeof startMailCapture>>;
  let clinician: string;
  let temporalClient: Client;
  /** Nothing of the treatment in flight in Temporal (this store is not the test process's: no notice check). */
  const settledHere = (id: string) => settled({ client: temporalClient }, id, 60_000, { notices: false });

  const startTemporalHere = () => startTemporal({ dataDir: path.join(dataDir, 'temporal'), port: ports.temporal, uiPort: ports.ui, bin: bins.temporal });
  const startMongoHere = () => startMongo({ dataDir: path.join(dataDir, 'mongodb'), port: ports.mongo, bin: bins.ferretdb });
  // Each half writes to its own log in the data directory, so a failed start says why.
  const logOf = (script: string) => path.join(dataDir, `${path.basename(path.dirname(script))}.log`);
  const spawnHalf = (script: string) => {
    const out = openSync(logOf(script), 'a');
    const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: ROOT, env, stdio: ['ignore', out, out] });
    children.push(child);
    return child;
  };
  const request = async (method: string, url: string, token: string, body?: unknown) => {
    const res = await fetch(`${api}${url}`, { method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };

  before(async function () {
    ensureDevSecrets();
    bins = await ensureBinaries(loadConfig(undefined, { auth: false }).servers, () => undefined);
    if (!bins.temporal || !bins.ferretdb) this.skip(); // reason: these faults need the local server binaries (Go); CI always has them
    ports = { temporal: await freePort(), ui: await freePort(), mongo: await freePort(), api: await freePort() };
    [temporal, mongo] = await Promise.all([startTemporalHere(), startMongoHere()]);
    sms = await startSmsCapture(path.join(dataDir, 'sms'));
    mail = await startMailCapture(path.join(dataDir, 'mail'));
    const overrides = path.join(dataDir, 'overrides.json');
    writeFileSync(overrides, JSON.stringify({ tobakshjalpen: { modules: [{ id: 'surgery', hasWorkTime: true, workDuration: 'PT8S' }] } }));
    env = {
      ...process.env, DATA_DIR: dataDir, TEMPORAL_ADDRESS: temporal.url, MONGODB_URI: `${mongo.url}faults`, PORT: String(ports.api),
      SMTP_URL: mail.url, SMS_GATEWAY_URL: sms.url, PROGRAM_OVERRIDES: overrides, NIGHTLY_JOBS: 'off', LOG_LEVEL: 'warn', TEMPORAL_TASK_QUEUE: 'faults',
    };
    worker = spawnHalf('worker/main.ts');
    const apiChild = spawnHalf('api/main.ts');
    api = `http://127.0.0.1:${ports.api}`;
    try {
      await waitForPort(ports.api, 90_000, apiChild);
    } catch (err) {
      throw new Error(`${(err as Error).message}; the API's log:\n${readFileSync(logOf('api/main.ts'), 'utf8').slice(-4000)}`);
    }
    clinician = await signDevToken(loadConfig(env), { role: 'clinician', sub: 'SE2321000016-5151', careUnits: ['unit-f'] });
    temporalClient = new Client({ connection: await Connection.connect({ address: temporal.url }) });
  });

  after(async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    await temporalClient?.connection.close();
    await Promise.all([temporal?.stop(), mongo?.stop(), sms?.stop(), mail?.stop()]);
  });

  async function activeTreatment(phone: string) {
    const pnr = testPersonnummer();
    const res = await request('POST', '/api/treatments', clinician, { personnummer: pnr, programId: 'tobakshjalpen', careUnitId: 'unit-f', patient: { phone } });
    expect(res.status).to.equal(201);
    const patient = await signDevToken(loadConfig(env), { role: 'patient', sub: pnr });
    expect((await request('GET', '/api/me/treatment', patient)).status).to.equal(200);
    // The patient confirms the number with the code sent there: only then are messages told by SMS.
    expect((await request('POST', '/api/me/settings/verification-code', patient, { channel: 'sms' })).status).to.equal(202);
    const code = sms.messages.filter((m) => m.to === phone).map((m) => /Kod: (\d{6})/.exec(m.message)?.[1]).filter(Boolean).at(-1);
    expect((await request('POST', '/api/me/settings/verify', patient, { channel: 'sms', code })).status).to.equal(200);
    return res.body.id as string;
  }

  /**
   * The deadline_passed flag, recorded by its own activity (which may finish just after the read
   * model shows the module closed), appears, and only once.
   */
  async function expectOneDeadlineFlag(id: string) {
    await eventually(async () => (await request('GET', `/api/flags?treatmentId=${id}`, clinician)).body.items.some((x: { type: string }) => x.type === 'deadline_passed'), 30_000);
    await settledHere(id);
    const flags = await request('GET', `/api/flags?treatmentId=${id}`, clinician);
    expect(flags.status).to.equal(200);
    expect(flags.body.items.filter((f: { type: string }) => f.type === 'deadline_passed')).to.have.length(1);
  }

  it('1. a killed worker: commands accepted meanwhile are applied once and their notifications sent once after the restart', async () => {
    const phone = '070-500 00 01';
    const id = await activeTreatment(phone);
    await eventually(async () => sms.messages.filter((m) => m.to === phone).length === 2, 20_000); // the invitation and the code
    worker.kill('SIGKILL');
    await new Promise((r) => worker.once('exit', r));
    // Commands sent while no worker runs wait in Temporal; they are answered once a worker is back.
    const pending = [
      request('POST', `/api/treatments/${id}/conversations`, clinician, { subject: 'Hej', text: 'Under avbrottet', notify: true }),
      request('POST', `/api/treatments/${id}/modules/pregnancy/open`, clinician),
      request('POST', `/api/treatments/${id}/modules/step-2/current`, clinician),
    ];
    // The commands have reached Temporal (a workflow task waits for a worker) before one returns.
    await eventually(async () => Boolean((await temporalClient.workflow.getHandle(workflowIdFor(id)).describe()).raw.pendingWorkflowTask), 30_000);
    worker = spawnHalf('worker/main.ts');
    const results = await Promise.all(pending);
    expect(results.map((r) => r.status)).to.deep.equal([201, 200, 200]);
    const detail = await request('GET', `/api/treatments/${id}`, clinician);
    expect(detail.body.currentModuleId).to.equal('step-2');
    expect(detail.body.modules.find((m: { id: string }) => m.id === 'pregnancy').state).to.equal('open');
    await eventually(async () => sms.messages.filter((m) => m.to === phone && /nytt meddelande/.test(m.message)).length === 1, 30_000);
    await settledHere(id);
    expect(sms.messages.filter((m) => m.to === phone)).to.have.length(3);
    const timeline = await request('GET', `/api/treatments/${id}/timeline?types=message_sent,module_opened,module_current`, clinician);
    expect(timeline.body.items.map((i: { type: string }) => i.type).sort()).to.deep.equal(['message_sent', 'module_current', 'module_opened', 'module_opened']);
  });

  it('2. the Temporal server restarted on its SQLite file: treatments and their timers go on', async () => {
    const id = await activeTreatment('070-500 00 02');
    const opened = await request('POST', `/api/treatments/${id}/modules/surgery/open`, clinician); // closes after PT8S, after the restart below or (on a slow machine) at it: either way the timer must not be lost
    expect(opened.status).to.equal(200);
    await temporal.stop();
    temporal = await startTemporalHere();
    const closed = await eventually(async () => {
      const d = await request('GET', `/api/treatments/${id}`, clinician).catch(() => null);
      return d?.body?.modules?.find((m: { id: string }) => m.id === 'surgery')?.state === 'closed';
    }, 60_000);
    expect(closed).to.equal(true);
    await expectOneDeadlineFlag(id);
    const more = await request('PATCH', `/api/treatments/${id}/modules/surgery`, clinician, { workDays: 3 });
    expect(more.status).to.equal(200);
  });

  it('3. MongoDB stopped while a deadline passes, until its workflow task has failed four times: the API answers 503, the task is retried, the read model catches up', async () => {
    const id = await activeTreatment('070-500 00 03');
    await request('POST', `/api/treatments/${id}/modules/surgery/open`, clinician); // its deadline passes during the outage
    await mongo.stop();
    const during = await request('GET', '/api/treatments', clinician);
    expect(during.status).to.equal(503);
    expect(during.body.title).to.equal('Service unavailable');
    expect((await request('GET', `/api/treatments/${id}`, clinician)).status).to.equal(503);
    // Readiness is computed at most every 5 s: it turns 503 within that.
    await eventually(async () => (await fetch(`${api}/readyz`)).status === 503, 15_000);
    // The outage lasts until the passed deadline has met it: the workflow task that applies the
    // deadline fails against the missing store (the payload codec reads the treatment's key there)
    // and Temporal has handed it out again and again: the 4th attempt comes about 20 s after the
    // first (Temporal's backoff), so the store is away some 30 s in all, as before, ended by what
    // the worker did rather than by the clock.
    const handle = temporalClient.workflow.getHandle(workflowIdFor(id));
    await eventually(async () => ((await handle.describe()).raw.pendingWorkflowTask?.attempt ?? 0) >= 4, 90_000);
    mongo = await startMongoHere();
    await eventually(async () => (await request('GET', `/api/treatments/${id}`, clinician)).body?.modules?.find((m: { id: string }) => m.id === 'surgery')?.state === 'closed', 60_000);
    await expectOneDeadlineFlag(id);
    await eventually(async () => (await fetch(`${api}/readyz`)).status === 200, 15_000);
  });
});
