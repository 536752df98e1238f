import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deepMerge, loadPrograms } from '../infra/programs';
import { ensureDevSecrets, loadConfig, WORKER_DEFAULTS } from '../infra/config';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'programs-'));
const file = (name: string, data: unknown) => {
  const p = path.join(tmp, name);
  writeFileSync(p, JSON.stringify(data));
  return p;
};

describe('programs as data', () => {
  it('Tobakshjälpen has the modules of the guide, end reasons and every duration', () => {
    const p = loadPrograms().get('tobakshjalpen')!;
    expect(p.modules.map((m) => m.id)).to.deep.equal([
      'intro', 'good-to-know', 'step-1', 'step-2', 'step-3', 'step-4', 'step-5', 'step-6', 'step-7',
      'pregnancy', 'surgery', 'young', 'cancer',
    ]);
    expect(p.modules.find((m) => m.id === 'step-1')!.title).to.equal('Steg 1: Uppvärmning och förberedelser – lägg en bra grund');
    expect(p.durations).to.include({ moduleWork: 'P14D', inactivityFlag: 'P14D', followUpReminder: 'P7D', followUpEscalation: 'P14D' });
    expect(p.durations.followUps).to.deep.equal(['P3M', 'P6M', 'P12M']);
    expect(p.endReasons.length).to.be.greaterThan(3);
    expect(p.modules.filter((m) => m.openAtStart).map((m) => m.id)).to.deep.equal(['intro', 'good-to-know', 'step-1']);
  });

  it('PROGRAM_OVERRIDES deep-merges by program id: one duration changes, the rest stay', () => {
    const p = loadPrograms(file('o1.json', { tobakshjalpen: { durations: { moduleWork: 'PT10S' } } })).get('tobakshjalpen')!;
    expect(p.durations.moduleWork).to.equal('PT10S');
    expect(p.durations.followUps).to.deep.equal(['P3M', 'P6M', 'P12M']);
    expect(p.modules).to.have.length(13);
  });

  it('modules merge by id: one module\'s work time changes, the others stay', () => {
    const p = loadPrograms(file('o4.json', { tobakshjalpen: { modules: [{ id: 'surgery', workDuration: 'PT3S' }] } })).get('tobakshjalpen')!;
    expect(p.modules).to.have.length(13);
    expect(p.modules.find((m) => m.id === 'surgery')).to.include({ workDuration: 'PT3S', title: 'Operation och tobak' });
    expect(p.modules.find((m) => m.id === 'young')!.workDuration).to.equal(undefined);
  });

  it('every section of the shipped program has the national text, with no placeholder for the patient to read; a region\'s overlay replaces one section\'s text and keeps the rest', () => {
    const shipped = loadPrograms().get('tobakshjalpen')!;
    for (const m of shipped.modules) for (const s of m.sections) {
      expect(s.body, `${m.id}/${s.id}`).to.match(/\S/);
      expect(s.body, `${m.id}/${s.id}`).not.to.match(/ersätts av regionen/i);
    }
    const p = loadPrograms(file('o5.json', { tobakshjalpen: { modules: [{ id: 'step-1', sections: [{ id: 'motivation', body: 'Vår egen text.' }] }] } })).get('tobakshjalpen')!;
    const step1 = p.modules.find((m) => m.id === 'step-1')!;
    expect(step1.sections.find((s) => s.id === 'motivation')).to.deep.equal({ id: 'motivation', title: 'Dina skäl att sluta', body: 'Vår egen text.' });
    expect(step1.sections.map((s) => s.id)).to.deep.equal(['motivation', 'habits', 'preparations']);
    expect(step1.sections.find((s) => s.id === 'habits')!.body).to.equal(shipped.modules.find((m) => m.id === 'step-1')!.sections.find((s) => s.id === 'habits')!.body);
  });

  it('an override that breaks the program is refused with the path named', () => {
    expect(() => loadPrograms(file('o2.json', { tobakshjalpen: { durations: { moduleWork: 'ten days' } } })))
      .to.throw(/durations\.moduleWork/);
    expect(() => loadPrograms(file('o3.json', { nosuch: {} }))).to.throw(/unknown program "nosuch"/);
  });

  it('deepMerge ignores __proto__ keys', () => {
    const merged = deepMerge({ a: 1 }, JSON.parse('{"__proto__": {"polluted": true}, "b": 2}')) as Record<string, unknown>;
    expect(merged).to.deep.equal({ a: 1, b: 2 });
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
  });
});

describe('configuration', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'config-'));
  before(() => ensureDevSecrets({ DATA_DIR: dir })); // what an entry point does at startup
  it('has working defaults for development', () => {
    const c = loadConfig({ DATA_DIR: dir }, { auth: true, development: true });
    expect(c.port).to.equal(3000);
    expect(c.auth?.mode).to.equal('development');
    expect(c.patientKeySecret.length).to.be.greaterThan(30);
    // The same DATA_DIR gives the same secrets, so tokens from `npm run token` work with `npm start`.
    expect(loadConfig({ DATA_DIR: dir, AUTH_MODE: 'development' }).auth).to.deep.equal(c.auth);
  });
  it('attack: development tokens only when chosen, and only on loopback (security #9)', () => {
    expect(() => loadConfig({ DATA_DIR: dir })).to.throw(/AUTH_MODE is required/);
    expect(() => loadConfig({ DATA_DIR: dir, AUTH_MODE: 'development', HOST: '0.0.0.0' })).to.throw(/loopback/);
    expect(loadConfig({ DATA_DIR: dir }, { auth: false }).auth).to.equal(null); // a worker verifies no tokens
  });
  it('names the variable that is wrong', () => {
    expect(() => loadConfig({ DATA_DIR: dir, PORT: 'eighty' })).to.throw(/PORT/);
    expect(() => loadConfig({ DATA_DIR: dir, NODE_ENV: 'production' })).to.throw(/PATIENT_KEY_SECRET/);
    const keys = `k1:${Buffer.from(Array.from({ length: 32 }, (_, i) => i * 7)).toString('base64')}`;
    const secret = 'a7f3c9e1b5d2f8a4c6e0b3d9f1a5c7e2';
    expect(() => loadConfig({ DATA_DIR: dir, NODE_ENV: 'production', PATIENT_KEY_SECRET: secret })).to.throw(/PAYLOAD_KEYS/);
    expect(() => loadConfig({ DATA_DIR: dir, NODE_ENV: 'production', PATIENT_KEY_SECRET: secret, PAYLOAD_KEYS: keys })).to.throw(/ARCHIVE_KEY/);
    const production = { DATA_DIR: dir, NODE_ENV: 'production', PATIENT_KEY_SECRET: secret, PAYLOAD_KEYS: keys, ARCHIVE_KEY: keys.slice(3) };
    expect(() => loadConfig(production)).to.throw(/JWKS_URL/);
    expect(() => loadConfig({ ...production, AUTH_MODE: 'development' })).to.throw(/AUTH_MODE=development is refused/);
    expect(() => loadConfig({ ...production, PATIENT_KEY_SECRET: 'x'.repeat(40) })).to.throw(/PATIENT_KEY_SECRET is a placeholder/);
    expect(() => loadConfig({ ...production, PAYLOAD_KEYS: `k1:${Buffer.alloc(32, 1).toString('base64')}` })).to.throw(/PAYLOAD_KEYS key "k1" must be 32 random bytes/);
    expect(() => loadConfig({ DATA_DIR: dir, PAYLOAD_KEYS: 'k1:short' })).to.throw(/PAYLOAD_KEYS/);
  });
  it('worker settings: the defaults, numbers and auto pollers from WORKER_*, and the SDK\'s limits named at start', () => {
    const worker = (env: Record<string, string>) => loadConfig({ DATA_DIR: dir, ...env }, { auth: false }).worker;
    expect(worker({})).to.deep.equal({
      maxCachedWorkflows: WORKER_DEFAULTS.maxCachedWorkflows,
      maxConcurrentWorkflowTaskExecutions: WORKER_DEFAULTS.maxConcurrentWorkflowTaskExecutions,
      maxConcurrentActivityTaskExecutions: WORKER_DEFAULTS.maxConcurrentActivityTaskExecutions,
      maxConcurrentLocalActivityExecutions: WORKER_DEFAULTS.maxConcurrentLocalActivityExecutions,
      workflowTaskPollerBehavior: { type: 'simple-maximum', maximum: Number(WORKER_DEFAULTS.workflowPollers) },
      activityTaskPollerBehavior: { type: 'simple-maximum', maximum: Number(WORKER_DEFAULTS.activityPollers) },
      workflowThreadPoolSize: WORKER_DEFAULTS.workflowThreads,
    });
    expect(worker({
      WORKER_MAX_CACHED_WORKFLOWS: '20000', WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '100', WORKER_MAX_CONCURRENT_ACTIVITIES: '50',
      WORKER_MAX_CONCURRENT_LOCAL_ACTIVITIES: '60', WORKER_WORKFLOW_POLLERS: 'auto', WORKER_ACTIVITY_POLLERS: '4', WORKER_WORKFLOW_THREADS: '2',
    })).to.deep.equal({
      maxCachedWorkflows: 20_000, maxConcurrentWorkflowTaskExecutions: 100, maxConcurrentActivityTaskExecutions: 50, maxConcurrentLocalActivityExecutions: 60,
      workflowTaskPollerBehavior: { type: 'autoscaling' }, activityTaskPollerBehavior: { type: 'simple-maximum', maximum: 4 }, workflowThreadPoolSize: 2,
    });
    expect(worker({ WORKER_MAX_CACHED_WORKFLOWS: '0' }).maxCachedWorkflows).to.equal(0); // no cache: every task replays
    expect(() => worker({ WORKER_MAX_CACHED_WORKFLOWS: 'many' })).to.throw(/WORKER_MAX_CACHED_WORKFLOWS/);
    expect(() => worker({ WORKER_MAX_CACHED_WORKFLOWS: '1' })).to.throw(/WORKER_MAX_CACHED_WORKFLOWS must be 0/);
    expect(() => worker({ WORKER_MAX_CACHED_WORKFLOWS: '10', WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '20' })).to.throw(/cannot exceed WORKER_MAX_CACHED_WORKFLOWS/);
    expect(() => worker({ WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '1' })).to.throw(/WORKER_MAX_CONCURRENT_WORKFLOW_TASKS/);
    expect(() => worker({ WORKER_WORKFLOW_POLLERS: '1' })).to.throw(/WORKER_WORKFLOW_POLLERS must be a number of pollers/);
    expect(() => worker({ WORKER_WORKFLOW_POLLERS: 'lots' })).to.throw(/WORKER_WORKFLOW_POLLERS/);
    expect(() => worker({ WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '8', WORKER_WORKFLOW_POLLERS: '9' })).to.throw(/cannot exceed WORKER_MAX_CONCURRENT_WORKFLOW_TASKS/);
  });
});
