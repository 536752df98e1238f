// `npm start` as a new user runs it: everything comes up, tokens from `npm run token` work,
// Ctrl-C stops every process, and a second start finds the treatments of the first.
import { expect } from 'chai';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../dev/servers';
import { eventually, testPersonnummer } from './support/fixtures';

const ROOT = path.join(__dirname, '..');

function startSystem(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (b) => { out += b; });
  child.stderr!.on('data', (b) => { out += b; });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start did not come up:\n${out}`)), 90_000);
    const check = setInterval(() => {
      if (out.includes('Ctrl-C stops everything')) { clearInterval(check); clearTimeout(timer); resolve({ child, output: () => out }); }
      if (child.exitCode !== null) { clearInterval(check); clearTimeout(timer); reject(new Error(`npm start exited:\n${out}`)); }
    }, 100);
  });
}

function stopSystem(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill('SIGINT');
  });
}

const pidsUsing = (dir: string) => spawnSync('pgrep', ['-f', dir], { encoding: 'utf8' }).stdout.trim();

describe('npm start', function () {
  this.timeout(240_000);

  it('runs everything, prints where, accepts `npm run token` tokens, stops on Ctrl-C and keeps data for the next start', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tobakshjalpen-start-'));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: String(await freePort()),
      TEMPORAL_PORT: String(await freePort()),
      TEMPORAL_UI_PORT: String(await freePort()),
      MONGODB_PORT: String(await freePort()),
      TEMPORAL_ADDRESS: '', MONGODB_URI: '', PROGRAM_OVERRIDES: '', TEMPORAL_TASK_QUEUE: '',
      LOG_LEVEL: 'warn',
    };
    for (const k of ['TEMPORAL_ADDRESS', 'MONGODB_URI', 'PROGRAM_OVERRIDES', 'TEMPORAL_TASK_QUEUE']) delete env[k];
    const api = `http://127.0.0.1:${env.PORT}`;
    const token = (...args: string[]) => spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'scripts/token.ts', ...args], { cwd: ROOT, env, encoding: 'utf8' }).stdout.trim();
    const clinician = token('--role', 'clinician', '--sub', 'SE2321000016-7777', '--care-unit', 'unit-s');
    expect(clinician.split('.')).to.have.length(3);

    const first = await startSystem(env);
    const out = first.output();
    expect(out).to.contain(api);
    expect(out).to.contain(`127.0.0.1:${env.TEMPORAL_PORT}`);
    expect(out).to.contain(`http://127.0.0.1:${env.TEMPORAL_UI_PORT}`);
    expect(out).to.contain(`mongodb://127.0.0.1:${env.MONGODB_PORT}/tobakshjalpen`);
    // Without SMTP_URL / SMS_GATEWAY_URL, notifications are captured locally, and it says so.
    expect(out).to.match(/E-mail\s+DEVELOPMENT ONLY: captured in .*dev-outbox\/mail/);
    expect(out).to.match(/SMS\s+DEVELOPMENT ONLY: captured in .*dev-outbox\/sms/);
    const ui = await fetch(`http://127.0.0.1:${env.TEMPORAL_UI_PORT}/`);
    expect(ui.status).to.equal(200);
    // The embedded UI decodes payloads through the API's codec server (security #2).
    const settings = (await (await fetch(`http://127.0.0.1:${env.TEMPORAL_UI_PORT}/api/v1/settings`)).json()) as { Codec?: { Endpoint?: string } };
    expect(settings.Codec?.Endpoint).to.equal(`${api}/codec`);

    const pnr = testPersonnummer();
    const created = await fetch(`${api}/api/treatments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${clinician}`, 'content-type': 'application/json' },
      body: JSON.stringify({ personnummer: pnr, programId: 'tobakshjalpen', careUnitId: 'unit-s', patient: { email: 'anna@example.se' } }),
    });
    expect(created.status).to.equal(201);
    const { id } = (await created.json()) as { id: string };
    // The patient's invitation is e-mailed to the capture directory.
    const mailDir = path.join(dataDir, 'dev-outbox', 'mail');
    const mail = await eventually(async () => {
      const files = existsSync(mailDir) ? readdirSync(mailDir) : [];
      return files.length ? readFileSync(path.join(mailDir, files[0]!), 'utf8') : null;
    }, 30_000);
    expect(mail).to.contain('anna@example.se');
    expect(mail).to.not.contain(pnr);

    expect(await stopSystem(first.child)).to.equal(0);
    // One orderly stop: the worker is shut down once, by us (not also by the SDK's signal handler).
    expect(first.output()).to.not.match(/IllegalStateError|DRAINING/);
    expect(pidsUsing(dataDir)).to.equal(''); // no server left behind

    const second = await startSystem(env);
    try {
      const list = await fetch(`${api}/api/treatments`, { headers: { authorization: `Bearer ${clinician}` } });
      const body = (await list.json()) as { items: Array<{ id: string }> };
      expect(body.items.map((i) => i.id)).to.include(id);
      // The workflow survived too: the patient's first visit activates it.
      const patient = token('--role', 'patient', '--personnummer', pnr);
      const me = await fetch(`${api}/api/me/treatment`, { headers: { authorization: `Bearer ${patient}` } });
      expect(me.status).to.equal(200);
      expect(((await me.json()) as { status: string }).status).to.equal('active');
    } finally {
      await stopSystem(second.child);
    }
    expect(pidsUsing(dataDir)).to.equal('');
  });
});
