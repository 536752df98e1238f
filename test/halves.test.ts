// Production runs the worker and the API as separate processes against existing servers.
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { harness, type Harness } from './support/harness';
import { freePort, waitForPort } from '../dev/servers';
import { startEmbedded } from '../dev/embedded';
import { eventually, testPersonnummer } from './support/fixtures';

const ROOT = path.join(__dirname, '..');

/** Whether something accepts connections on the port. */
const listening = (port: number) => new Promise<boolean>((resolve) => {
  const sock = net.connect(port, '127.0.0.1');
  sock.once('connect', () => { sock.destroy(); resolve(true); });
  sock.once('error', () => resolve(false));
});

describe('npm run worker / npm run api against existing servers', function () {
  this.timeout(120_000);
  let h: Harness;
  const children: ChildProcess[] = [];
  before(async () => { h = await harness(); });
  after(() => { for (const c of children) c.kill('SIGTERM'); });

  it('with TEMPORAL_ADDRESS and MONGODB_URI set, nothing embedded starts', async () => {
    const embedded = await startEmbedded({ dataDir: '/nonexistent', temporalAddress: 'temporal:7233', mongoUri: 'mongodb://db/x', servers: { cacheDir: '/nonexistent' } });
    expect(embedded.servers).to.have.length(0);
    expect(embedded).to.include({ temporalAddress: 'temporal:7233', mongoUri: 'mongodb://db/x' });
  });

  it('the two halves, started alone, serve a treatment together', async () => {
    const port = await freePort();
    const env = {
      ...process.env,
      TEMPORAL_ADDRESS: h.config.temporal.address!,
      MONGODB_URI: h.config.mongo.uri!,
      TEMPORAL_TASK_QUEUE: `halves-${randomUUID()}`,
      DATA_DIR: h.dataDir,
      PORT: String(port),
      LOG_LEVEL: 'warn',
    };
    for (const script of ['worker/main.ts', 'api/main.ts']) {
      const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: ROOT, env, stdio: 'ignore' });
      children.push(child);
    }
    await waitForPort(port, 60_000, children[1]);
    const clinician = await h.token({ role: 'clinician', sub: 'hsa-h', careUnits: ['unit-h'] });
    const pnr = testPersonnummer();
    const created = await fetch(`http://127.0.0.1:${port}/api/treatments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${clinician}`, 'content-type': 'application/json' },
      body: JSON.stringify({ personnummer: pnr, programId: 'tobakshjalpen', careUnitId: 'unit-h' }),
    });
    expect(created.status).to.equal(201);
    const { id } = (await created.json()) as { id: string };
    // The separate worker runs the workflow: it activates on the patient's first visit.
    const patient = await h.token({ role: 'patient', sub: pnr });
    const me = await eventually(async () => {
      const r = await fetch(`http://127.0.0.1:${port}/api/me/treatment`, { headers: { authorization: `Bearer ${patient}` } });
      return r.status === 200 ? ((await r.json()) as { id: string; status: string }) : null;
    }, 60_000);
    expect(me).to.include({ id, status: 'active' });
  });

  it('on SIGTERM the API stops taking requests, finishes those in flight, and exits cleanly', async () => {
    const port = await freePort();
    const env = { ...process.env, TEMPORAL_ADDRESS: h.config.temporal.address!, MONGODB_URI: h.config.mongo.uri!, DATA_DIR: h.dataDir, PORT: String(port), LOG_LEVEL: 'warn' };
    const api = spawn(process.execPath, ['--import', 'tsx', 'api/main.ts'], { cwd: ROOT, env, stdio: 'ignore' });
    children.push(api);
    await waitForPort(port, 60_000, api);
    const clinician = await h.token({ role: 'clinician', sub: 'hsa-s', careUnits: ['unit-h'] });
    // A request in flight: its headers parsed by the API (it answers 100 Continue) before SIGTERM,
    // its body sent only once the API has stopped listening.
    const body = JSON.stringify({ personnummer: testPersonnummer(), programId: 'tobakshjalpen', careUnitId: 'unit-h' });
    const answered = new Promise<number | string>((resolve) => {
      const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/api/treatments', headers: {
        authorization: `Bearer ${clinician}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), expect: '100-continue',
      } }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode ?? 0)); });
      req.on('error', () => resolve('reset'));
      req.on('continue', () => {
        api.kill('SIGTERM');
        void eventually(async () => !(await listening(port)), 10_000).then(() => req.end(body));
      });
      req.flushHeaders();
    });
    const exited = new Promise<number | null>((r) => api.once('exit', (code) => r(code)));
    expect(await answered).to.equal(201);
    // Meanwhile new connections are refused.
    expect(await exited).to.equal(0);
    const after = await fetch(`http://127.0.0.1:${port}/healthz`).then(() => 'answered', () => 'refused');
    expect(after).to.equal('refused');
  });
});
