// (Named *.stack.ts so that `npm test`'s test/**/*.test.ts does not take it up.)
// The production topology under work and faults (`npm run test:stack`): the clinical scenario
// through both APIs alternately, then batches of treatments whose timers and notices span a fault
// (a worker SIGKILLed mid-run, an API SIGKILLed between requests, the Temporal server restarted,
// PostgreSQL stopped for 20 s). After each: every treatment reaches its state, every notice is
// delivered exactly once, no timer is lost. Then the nightly jobs (run once per night although two
// workers tick every minute) and the Temporal UI server's own API.
import { expect } from 'chai';
import { Connection, Client } from '@temporalio/client';
import type { Stack } from '../../stack';
import { NIGHTLY_JOBS, nightlyWorkflowId } from '../../domain/nightly-jobs';
import { swedishDate } from '../../domain/durations';
import { workflowIdFor } from '../../workflows/definitions';
import { eventually, testPersonnummer } from '../support/fixtures';
import { call, stackHarness } from './harness';

const UNIT = 'unit-stack';
const HSA = 'SE2321000016-7001';
const CODE = /Kod: (\d{6})/;

describe('the production topology: two workers, two APIs, Temporal on PostgreSQL', function () {
  this.timeout(600_000);
  let s: Stack;
  let clinician: string;
  let next = 0;
  let phoneSerial = 100 + Math.floor(Math.random() * 800);
  /** Every treatment the run made, with what it must reach. */
  const made: Array<{ id: string; phone: string; email: string; notified: number; ended: boolean; deadline: boolean }> = [];

  /** The APIs in turn, skipping one that is down (a load balancer's health check does the same). */
  const api = () => {
    const up = s.apis.filter((a) => a.process.alive);
    return up[(next++) % up.length]!.url;
  };
  /** A refused connection (an API down or not yet listening again) is tried on the next API, as a load balancer does. */
  const req = async (method: string, url: string, opts: { token?: string; body?: unknown } = {}) => {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await call(api(), method, url, { token: clinician, ...opts });
      } catch (err) {
        const refused = (err as { cause?: { code?: string } }).cause?.code === 'ECONNREFUSED';
        if (!refused || attempt >= 2 * s.apis.length) throw err;
      }
    }
  };
  const smsTo = (phone: string) => s.sms.messages.filter((m) => m.to === phone);
  const mailTo = (address: string) => s.mail.mails.filter((m) => m.to.includes(address));
  const codes = (address: string) => [...smsTo(address).map((m) => m.message), ...mailTo(address).map((m) => m.raw.replace(/=\r?\n/g, ''))]
    .map((t) => CODE.exec(t)?.[1]).filter((c): c is string => !!c);

  before(async function () {
    s = await stackHarness();
    clinician = await s.idp.sign({ role: 'clinician', sub: HSA, careUnits: [UNIT] });
  });

  async function verify(patient: string, channel: 'sms' | 'email', address: string) {
    const before = codes(address).length;
    const asked = await req('POST', '/api/me/settings/verification-code', { token: patient, body: { channel } });
    expect(asked.status, JSON.stringify(asked.body)).to.equal(202);
    const code = await eventually(async () => codes(address).length > before && codes(address).at(-1), 30_000);
    const done = await req('POST', '/api/me/settings/verify', { token: patient, body: { channel, code } });
    expect(done.status, JSON.stringify(done.body)).to.equal(200);
  }

  /** A treatment started, taken up by the patient and with both contact addresses verified. */
  async function activeTreatment(verifyEmail = false) {
    phoneSerial = phoneSerial >= 998 ? 100 : phoneSerial + 1;
    const phone = `070-${phoneSerial} 00 ${String(next % 100).padStart(2, '0')}`;
    const pnr = testPersonnummer();
    const email = `patient-${pnr.slice(-4)}-${phoneSerial}@example.se`;
    const res = await req('POST', '/api/treatments', { body: { personnummer: pnr, programId: 'tobakshjalpen', careUnitId: UNIT, patient: { name: 'Karin Karlsson', phone, email } } });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    const patient = await s.idp.sign({ role: 'patient', sub: pnr });
    expect((await req('GET', '/api/me/treatment', { token: patient })).status).to.equal(200);
    await verify(patient, 'sms', phone);
    if (verifyEmail) await verify(patient, 'email', email);
    const entry = { id: res.body.id as string, phone, email, notified: 0, ended: false, deadline: false };
    made.push(entry);
    return { ...entry, entry, patient, pnr };
  }

  const detail = async (id: string) => (await req('GET', `/api/treatments/${id}`)).body as { status: string; modules: Array<{ id: string; state: string }> };
  const flags = async (id: string) => (await req('GET', `/api/flags?treatmentId=${id}&pageSize=100`)).body.items as Array<{ type: string }>;

  /** A module deadline (3 s) and a message with a notice: both still pending when this returns. */
  async function startWork(t: Awaited<ReturnType<typeof activeTreatment>>) {
    expect((await req('POST', `/api/treatments/${t.id}/modules/surgery/open`)).status).to.equal(200);
    t.entry.deadline = true;
    const conv = await req('POST', `/api/treatments/${t.id}/conversations`, { body: { subject: 'Hej', text: 'Hur går det?', notify: true } });
    expect(conv.status, JSON.stringify(conv.body)).to.equal(201);
    t.entry.notified += 1;
  }

  /** The end with Vidmakthåll (3 s here): its notice and the timer that ends it are pending when this returns. */
  async function end(id: string) {
    const ended = await req('POST', `/api/treatments/${id}/end`, { body: { reason: 'other', maintenance: true } });
    expect(ended.status, JSON.stringify(ended.body)).to.equal(200);
    expect(ended.body.status).to.equal('maintenance');
    made.find((m) => m.id === id)!.ended = true;
  }

  /**
   * Every treatment made so far has reached its state (its timers fired) and every notice was
   * delivered exactly once: one SMS per notified message and per end, no mail twice.
   */
  async function everythingArrived(timeoutMs = 120_000) {
    for (const t of made) {
      await eventually(async () => {
        const d = await detail(t.id);
        if (t.ended && d.status !== 'ended') return false;
        if (t.deadline && d.modules.find((m) => m.id === 'surgery')?.state !== 'closed') return false;
        // The flag is written by an activity after the workflow closed the module.
        if (t.deadline && !(await flags(t.id)).some((f) => f.type === 'deadline_passed')) return false;
        const sms = smsTo(t.phone);
        return sms.filter((m) => /nytt meddelande/.test(m.message)).length === t.notified
          && sms.filter((m) => /avslutats/.test(m.message)).length === (t.ended ? 1 : 0);
      }, timeoutMs);
      if (t.deadline) expect((await flags(t.id)).filter((f) => f.type === 'deadline_passed'), `${t.id} deadline_passed`).to.have.length(1);
      const sms = smsTo(t.phone);
      expect(sms.filter((m) => /nytt meddelande/.test(m.message)), `${t.id} message notices`).to.have.length(t.notified);
      expect(sms.filter((m) => /avslutats/.test(m.message)), `${t.id} end notices`).to.have.length(t.ended ? 1 : 0);
    }
    // The SMTP server keeps every delivery: a notice sent twice would be there twice.
    const ids = s.mail.mails.map((m) => m.messageId).filter(Boolean);
    expect(new Set(ids).size, 'mails delivered twice').to.equal(ids.length);
    const keys = s.sms.messages.map((m) => m.key);
    expect(new Set(keys).size).to.equal(keys.length);
  }

  /**
   * Treatments with work pending, through both APIs: every other one has a module deadline and a
   * message notice pending, the others their end notice and Vidmakthåll's timer. (A message notice
   * still pending when its treatment ends is not sent: the two kinds stay apart.)
   */
  async function batch(n: number) {
    const ts = [];
    for (let i = 0; i < n; i += 1) ts.push(await activeTreatment());
    for (const [i, t] of ts.entries()) {
      if (i % 2 === 0) await startWork(t);
      else await end(t.id);
    }
    return ts;
  }

  it('runs the clinical scenario through both APIs alternately', async () => {
    const t = await activeTreatment(true);
    // Unlock step 2, the patient sends its form, the clinician sees the flag and reads the form.
    expect((await req('POST', `/api/treatments/${t.id}/modules/step-2/current`)).status).to.equal(200);
    const sent = await req('POST', '/api/me/treatment/modules/step-2/forms/quit-date', { token: t.patient, body: { answers: { quitDate: '2027-02-01', plan: 'Promenera' } } });
    expect(sent.status, JSON.stringify(sent.body)).to.equal(201);
    await eventually(async () => (await flags(t.id)).some((f) => f.type === 'form_submitted'));
    const form = await req('GET', `/api/treatments/${t.id}/forms/${sent.body.id}`);
    expect(form.body.answers).to.deep.equal({ quitDate: '2027-02-01', plan: 'Promenera' });
    // A message with a notice, and the patient reads it.
    await startWork(t);
    const conversations = await eventually(async () => {
      const r = await req('GET', '/api/me/treatment/conversations', { token: t.patient });
      return r.status === 200 && r.body.items.length > 0 ? r.body.items : null;
    });
    expect(conversations[0].subject).to.equal('Hej');
    await eventually(async () => smsTo(t.phone).some((m) => /nytt meddelande/.test(m.message)), 60_000);
    // The module's work time (3 s) runs out: the module closes and is flagged, before the end.
    await eventually(async () => (await detail(t.id)).modules.find((m) => m.id === 'surgery')?.state === 'closed', 60_000);
    // End with Vidmakthåll (3 s here): the patient is told once, and the workflow's own timer ends it.
    await end(t.id);
    await everythingArrived();
    const timeline = (await req('GET', `/api/treatments/${t.id}/timeline?pageSize=500`)).body.items as Array<{ type: string }>;
    expect(timeline.length).to.be.greaterThan(3);
  });

  it('a worker SIGKILLed mid-run: the other worker carries on, the killed one is restarted, nothing is lost or sent twice', async () => {
    const ts = await batch(4);
    const worker = s.workers[0]!;
    const starts = worker.starts;
    await worker.kill();
    await everythingArrived();
    await worker.restartedSince(starts);
    await s.ready(worker);
    expect(ts).to.have.length(4);
  });

  it('an API SIGKILLed between requests: the other API serves, the killed one comes back', async () => {
    const first = await activeTreatment();
    const apiProc = s.apis[1]!.process;
    const starts = apiProc.starts;
    await apiProc.kill();
    // Between its requests: the rest of the work goes to the API that is up.
    await startWork(first);
    const second = await activeTreatment();
    await end(second.id);
    await apiProc.restartedSince(starts);
    await s.ready(apiProc);
    const more = await batch(2);
    await everythingArrived();
    expect(more).to.have.length(2);
  });

  it('the Temporal server restarted with timers pending: every timer fires once', async () => {
    await batch(3);
    await s.temporal.restart();
    await s.temporalHealthy();
    await everythingArrived();
  });

  it('PostgreSQL stopped while the timers pending come due: all of it resumes', async () => {
    const ts = await batch(3);
    // When each pending timer is due, as the read model says (a module's deadline, Vidmakthåll's end).
    const due = await Promise.all(ts.map(async (t) => {
      const d = (await req('GET', `/api/treatments/${t.id}`)).body as { modules: Array<{ id: string; deadline?: string | null }>; maintenanceUntil?: string | null };
      return Date.parse(d.modules.find((m) => m.id === 'surgery')?.deadline ?? d.maintenanceUntil ?? '');
    }));
    expect(due.every(Number.isFinite), JSON.stringify(due)).to.equal(true);
    await s.postgres.stop();
    // The outage lasts until Temporal has found its store gone (a count of workflows, read from
    // PostgreSQL, is refused) and every one of those timers has come due in it.
    const connection = await Connection.connect({ address: s.temporalAddress });
    try {
      const client = new Client({ connection });
      await eventually(async () => client.workflow.count().then(() => false, () => true), 120_000);
    } finally {
      await connection.close();
    }
    await eventually(async () => Date.now() > Math.max(...due), 30_000);
    await s.postgres.start();
    await s.temporalHealthy(180_000);
    await everythingArrived(180_000);
    // Work started after the outage runs as before.
    await batch(1);
    await everythingArrived();
  });

  it('runs each nightly job once for tonight although both workers start it every minute', async () => {
    const connection = await Connection.connect({ address: s.temporalAddress });
    try {
      const client = new Client({ connection });
      const today = swedishDate(Date.now());
      for (const job of NIGHTLY_JOBS) {
        const runs = await eventually(async () => {
          const found = [];
          for await (const w of client.workflow.list({ query: `WorkflowId = '${nightlyWorkflowId(job, today)}'` })) found.push(w);
          return found.length > 0 && found.every((w) => w.status.name === 'COMPLETED') ? found : null;
        }, 60_000);
        expect(runs, job).to.have.length(1);
      }
    } finally {
      await connection.close();
    }
  });

  it('the Temporal UI server lists the treatments by TreatmentStatus and CareUnit through its own API, only to a signed-in operator', async () => {
    const ended = made.filter((m) => m.ended).map((m) => workflowIdFor(m.id));
    const query = encodeURIComponent(`TreatmentStatus = 'ended' AND CareUnit = '${UNIT}'`);
    const url = `${s.uiUrl}/api/v1/namespaces/default/workflows?query=${query}&pageSize=100`;
    expect((await fetch(url)).status, 'without a token').to.equal(401);
    const operator = await s.idp.sign({ role: 'ops', sub: 'ops-1' });
    const listed = await eventually(async () => {
      const res = await fetch(url, { headers: { authorization: `Bearer ${operator}` } });
      if (!res.ok) return null;
      const ids = ((await res.json()) as { executions?: Array<{ execution: { workflowId: string } }> }).executions?.map((e) => e.execution.workflowId) ?? [];
      return ended.every((id) => ids.includes(id)) ? ids : null;
    }, 30_000);
    expect(listed).to.have.length(ended.length);
    const other = encodeURIComponent(`TreatmentStatus = 'ended' AND CareUnit = 'unit-elsewhere'`);
    const none = await fetch(`${s.uiUrl}/api/v1/namespaces/default/workflows?query=${other}`, { headers: { authorization: `Bearer ${operator}` } });
    expect(((await none.json()) as { executions?: unknown[] }).executions ?? []).to.have.length(0);
  });
});
