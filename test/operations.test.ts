// What operations staff rely on: search attributes in the Temporal UI, JSON logs with request
// ids and without personal data.
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { harness, type Harness } from './support/harness';
import { eventually, testPersonnummer } from './support/fixtures';
import { freePort, waitForPort } from '../dev/servers';
import { workflowIdFor } from '../workflows/definitions';

const ROOT = path.join(__dirname, '..');

describe('operations: search attributes and logs (real servers)', function () {
  this.timeout(120_000);
  let h: Harness;
  before(async () => { h = await harness(); });

  it('every treatment keeps TreatmentStatus, CareUnit, CurrentModule and ProgramId current, with no personal data', async () => {
    const clinician = await h.token({ role: 'clinician', sub: 'SE2321000016-3131', careUnits: ['unit-ops'] });
    const pnr = testPersonnummer();
    const { body } = await h.request('POST', '/api/treatments', { token: clinician, body: { personnummer: pnr, programId: 'tobakshjalpen', careUnitId: 'unit-ops', patient: { name: 'Olle Ops' } } });
    const query = (q: string) => async () => {
      const ids: string[] = [];
      for await (const w of h.client.workflow.list({ query: q })) ids.push(w.workflowId);
      return ids.includes(workflowIdFor(body.id));
    };
    await eventually(query(`TreatmentStatus = 'invited' AND CareUnit = 'unit-ops' AND ProgramId = 'tobakshjalpen'`));
    await h.request('GET', '/api/me/treatment', { token: await h.token({ role: 'patient', sub: pnr }) });
    await h.request('POST', `/api/treatments/${body.id}/modules/step-2/current`, { token: clinician });
    // The query operations staff use for "active treatments of a care unit waiting in step 2".
    await eventually(query(`TreatmentStatus = 'active' AND CareUnit = 'unit-ops' AND CurrentModule = 'step-2'`));
    const description = await h.client.workflow.getHandle(workflowIdFor(body.id)).describe();
    const shown = JSON.stringify(description.typedSearchAttributes) + JSON.stringify(description.memo ?? {});
    expect(shown).to.contain('step-2');
    for (const secret of [pnr, pnr.slice(2), 'Olle']) expect(shown).to.not.contain(secret);
  });

  it('a full scenario\'s logs are JSON with a request id on every request line, and hold no personnummer, name or text', async () => {
    const port = await freePort();
    const env = {
      ...process.env, TEMPORAL_ADDRESS: h.config.temporal.address!, MONGODB_URI: h.config.mongo.uri!, TEMPORAL_TASK_QUEUE: `logs-${randomUUID()}`,
      DATA_DIR: h.dataDir, PORT: String(port), LOG_LEVEL: 'debug', SMTP_URL: h.config.notifications.smtpUrl!, SMS_GATEWAY_URL: h.config.notifications.smsGatewayUrl!,
      NOTIFICATION_MAX_ATTEMPTS: '2', NIGHTLY_JOBS: 'off', PROGRAM_OVERRIDES: h.config.programOverrides!,
    };
    let output = '';
    const children: ChildProcess[] = ['worker/main.ts', 'api/main.ts'].map((script) => {
      const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout!.on('data', (b) => { output += b; });
      child.stderr!.on('data', (b) => { output += b; });
      return child;
    });
    try {
      await waitForPort(port, 60_000, children[1]);
      const base = `http://127.0.0.1:${port}`;
      const call = async (method: string, url: string, token: string, body?: unknown) => {
        const res = await fetch(`${base}${url}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
        return { status: res.status, body: (await res.json().catch(() => null)) as any };
      };
      const clinician = await h.token({ role: 'clinician', sub: 'SE2321000016-3232', careUnits: ['unit-logs'] });
      const pnr = testPersonnummer();
      const name = 'Lovisa Loggfri';
      const text = 'Ett meddelande som aldrig får synas i en logg';
      const created = await call('POST', '/api/treatments', clinician, { personnummer: pnr, programId: 'tobakshjalpen', careUnitId: 'unit-logs', patient: { name, phone: '070-123 98 76', email: 'lovisa@mailbox.invalid' } });
      expect(created.status).to.equal(201);
      const patient = await h.token({ role: 'patient', sub: pnr });
      await call('GET', '/api/me/treatment', patient);
      const conv = await call('POST', `/api/treatments/${created.body.id}/conversations`, clinician, { subject: 'Logg', text, notify: true });
      await call('POST', `/api/me/treatment/conversations/${conv.body.id}/messages`, patient, { text: `Svar: ${text}` });
      await call('POST', '/api/me/treatment/modules/step-1/forms/tobacco-habits', patient, { answers: { tobaccoType: ['snus'], amountPerDay: 3, reasons: 'Hemliga skäl i loggen' } });
      await call('POST', '/api/treatments', clinician, { personnummer: '19121212-1213', programId: 'tobakshjalpen', careUnitId: 'unit-logs' }); // a 400
      await call('GET', `/api/treatments/${created.body.id}/forms`, clinician);
      // The e-mail to the refused mailbox fails twice and ends failed: its error passes through the logs too.
      await eventually(async () => /notification not delivered/.test(output) && /"route":"\/api\/treatments\/:id\/forms"/.test(output), 30_000);
      const requestLines = output.split('\n').filter((l) => l.includes('"msg":"request"'));
      expect(requestLines.length).to.be.at.least(6);
      for (const line of requestLines) expect(JSON.parse(line).requestId).to.match(/^[0-9a-f-]{36}$/);
      for (const secret of [pnr, pnr.slice(2), '19121212-1213', name, 'Lovisa', text, 'Hemliga skäl', 'lovisa@mailbox.invalid', '070-123 98 76']) {
        expect(output, `the logs contain "${secret}"`).to.not.contain(secret);
      }
    } finally {
      for (const c of children) c.kill('SIGTERM');
    }
  });

  it('/metrics: HTTP durations by route and status, domain counters, and the Temporal worker\'s own metrics', async () => {
    const clinician = await h.token({ role: 'clinician', sub: 'SE2321000016-3333', careUnits: ['unit-metrics'] });
    await h.request('POST', '/api/treatments', { token: clinician, body: { personnummer: testPersonnummer(), programId: 'tobakshjalpen', careUnitId: 'unit-metrics' } });
    const text = await eventually(async () => {
      const t = (await h.request('GET', '/metrics')).body as string;
      return /treatments_started_total\{program="tobakshjalpen"\} [1-9]/.test(t) ? t : null;
    });
    expect(text).to.match(/http_request_duration_seconds_count\{method="POST",route="\/api\/treatments",status="201"\} [1-9]/);
    expect(text).to.match(/flags_raised_total\{type="[a-z_]+"\} [1-9]/);
    expect(text).to.match(/^temporal_\w+/m); // the worker's core: task slots, latencies, sticky cache
    expect(text).to.match(/^process_cpu_user_seconds_total/m);
  });
});
