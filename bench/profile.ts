// Development aid: where a request's time goes. Not part of the benchmark.
import './env';
import { randomUUID } from 'node:crypto';
import { signDevToken } from '../api/auth';
import { checkDigit } from '../domain/personnummer';
import { Patient } from '../models/patient';
import { OpenTreatmentSlot, Treatment } from '../models/treatment';
import { AccessLog } from '../models/access-log';
import { FlagModel } from '../models/clinical';
import { OverviewRow, UnreadFlag } from '../models/overview';
import { findByIds } from '../infra/store';
import { echoUpdate, writeUpdate } from './baseline-workflows';
import { openModuleUpdate, workflowIdFor } from '../workflows/definitions';
import { startBenchSystem } from './system';

const q = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))]!; };
async function time(label: string, n: number, fn: (i: number) => Promise<unknown>) {
  await fn(-1);
  const xs: number[] = [];
  for (let i = 0; i < n; i++) { const t = performance.now(); await fn(i); xs.push(performance.now() - t); }
  console.log(`${label.padEnd(48)} p50 ${q(xs, 0.5).toFixed(1).padStart(7)}  p90 ${q(xs, 0.9).toFixed(1).padStart(7)}  max ${Math.max(...xs).toFixed(1).padStart(7)}`);
}

async function main() {
  const system = await startBenchSystem('prof');
  const { config, client } = system;
  const api = { url: system.apiUrl! };
  const token = await signDevToken(config, { role: 'clinician', sub: 'SE2321000016-0prof', careUnits: ['p', 'plist'] });
  const call = async (method: string, url: string, body?: unknown) => {
    const res = await fetch(`${api.url}${url}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
    const text = await res.text();
    if (res.status >= 400) throw new Error(`${res.status} ${text}`);
    return text ? JSON.parse(text) : null;
  };
  let serial = 0;
  const pnr = () => { const i = serial++; const nine = `86${String(1 + (Math.floor(i / 28) % 12)).padStart(2, '0')}${String(1 + (i % 28)).padStart(2, '0')}${String(1 + (Math.floor(i / 336) % 999)).padStart(3, '0')}`; return `19${nine}${checkDigit(nine)}`; };
  const N = Number(process.env.N ?? 30);
  await time('GET /healthz', N, () => fetch(`${api.url}/healthz`).then((r) => r.text()));
  await time('GET /api/programs/tobakshjalpen (auth)', N, () => call('GET', '/api/programs/tobakshjalpen'));
  await time('Patient.updateOne upsert', N, () => Patient.updateOne({ _id: randomUUID() }, { $setOnInsert: { personnummer: '1' } }, { upsert: true }));
  await time('Slot findOneAndUpdate upsert', N, () => OpenTreatmentSlot.findOneAndUpdate({ _id: randomUUID() }, { $setOnInsert: { treatmentId: 'x', createdAt: new Date() } }, { upsert: true, new: true }).lean());
  await time('Treatment findById', N, () => Treatment.findById(randomUUID()).lean());
  await time('AccessLog insertMany 1', N, () => AccessLog.insertMany([{ _id: randomUUID(), at: new Date(), actorId: 'a', careUnitId: 'p', patientKey: 'k', treatmentId: 't', action: 'x', requestId: 'r' }]));
  await time('AccessLog insertMany 100', 10, () => AccessLog.insertMany(Array.from({ length: 100 }, () => ({ _id: randomUUID(), at: new Date(), actorId: 'a', careUnitId: 'p', patientKey: 'k', treatmentId: 't', action: 'x', requestId: 'r' }))));
  await time('Flag aggregate', N, () => FlagModel.aggregate([{ $match: { treatmentId: { $in: [randomUUID()] }, readAt: null } }, { $group: { _id: '$treatmentId', n: { $sum: 1 } } }]));
  await time('workflow.start noop', N, () => client.workflow.start('noopWorkflow', { taskQueue: config.temporal.taskQueue, workflowId: `p-${randomUUID()}` }));
  await time('workflow.execute noop', N, () => client.workflow.execute('noopWorkflow', { taskQueue: config.temporal.taskQueue, workflowId: `p-${randomUUID()}` }));
  const ids: string[] = [];
  await time('POST /api/treatments', N, async () => { ids.push((await call('POST', '/api/treatments', { personnummer: pnr(), programId: 'tobakshjalpen', careUnitId: 'p' })).id); });
  await time('GET /api/treatments/:id', N, (i) => call('GET', `/api/treatments/${ids[Math.max(0, i)]}`));
  await time('POST module open', N, (i) => call('POST', `/api/treatments/${ids[Math.max(0, i)]}/modules/${i % 2 ? 'pregnancy' : 'cancer'}/open`));
  const waiting = await client.workflow.start('waitingWorkflow', { taskQueue: config.temporal.taskQueue, workflowId: `p-${randomUUID()}` });
  await time('B2 echo update', N, (i) => waiting.executeUpdate(echoUpdate, { args: [i] }));
  await time('openModule update direct', N, (i) => client.workflow.getHandle(workflowIdFor(ids[Math.max(0, i)]!)).executeUpdate(openModuleUpdate, { args: [i % 2 ? 'young' : 'surgery'] }));
  await time('openModule update direct, no change', N, (i) => client.workflow.getHandle(workflowIdFor(ids[Math.max(0, i)]!)).executeUpdate(openModuleUpdate, { args: [i % 2 ? 'young' : 'surgery'] }));
  const writing = await client.workflow.start('writingWorkflow', { taskQueue: config.temporal.taskQueue, workflowId: `p-${randomUUID()}` });
  const doc = (await Treatment.findById(ids[0]).lean())!;
  await time('update awaiting a read-model write (local activity)', N, (i) => writing.executeUpdate(writeUpdate, { args: [{ ...(doc as any), _id: `w-${Math.max(0, i % 5)}`, version: 1000 + i }] }));
  await time('projectTreatment-like write (findById+updateOne)', N, async (i) => { const id = ids[Math.max(0, i)]!; const d = await Treatment.findById(id).lean(); await Treatment.updateOne({ _id: id }, { $set: { version: (d?.version ?? 0) + 1000 } }); });
  // The command floor of the benchmark (B4): the three things a command must do, one after the other.
  const { _id: _unused, ...fields } = doc as unknown as Record<string, unknown>;
  await time('B4 floor: B2 + findById+updateOne + access-log insert', N, async (i) => {
    await waiting.executeUpdate(echoUpdate, { args: [i] });
    const d = await Treatment.findById(ids[0]).lean();
    await Treatment.updateOne({ _id: ids[0] }, { $set: { ...fields, version: (d?.version ?? 0) + 1 } });
    await AccessLog.insertMany([{ _id: randomUUID(), at: new Date(), actorId: 'a', careUnitId: 'p', patientKey: 'k', treatmentId: 't', action: 'x', requestId: 'r' }]);
  });
  const more: string[] = [];
  for (let i = 0; i < N; i++) more.push((await call('POST', '/api/treatments', { personnummer: pnr(), programId: 'tobakshjalpen', careUnitId: 'p' })).id);
  await time('POST module current (alternating), own treatment each', N, (i) => call('POST', `/api/treatments/${more[Math.max(0, i)]}/modules/${i % 2 ? 'intro' : 'good-to-know'}/current`));
  if (process.env.ONLY_REQUESTS) process.exit(0);
  for (const count of (process.env.SIZES ?? '200,1000,10000').split(',').map(Number)) {
    const have = await OverviewRow.countDocuments({ careUnitId: 'plist' });
    const rows = Array.from({ length: count - have }, (_, i) => ({ _id: randomUUID(), patientKey: `prof-${have + i}`, careUnitId: 'plist', clinicianId: 'x', status: 'active', startedAt: new Date(Date.now() - i * 1000), lastActiveAt: null, currentModuleId: 'step-1', version: 1 }));
    for (let i = 0; i < rows.length; i += 1000) {
      await OverviewRow.insertMany(rows.slice(i, i + 1000), { ordered: false });
      await Patient.insertMany(rows.slice(i, i + 1000).map((d) => ({ _id: d.patientKey, personnummer: '000000000000', name: 'P' })), { ordered: false });
      await UnreadFlag.insertMany(rows.slice(i, i + 1000).filter((_, j) => j % 10 === 0).map((r) => ({ _id: `${r._id}:f`, treatmentId: r._id, careUnitId: 'plist', type: 'x' })), { ordered: false });
    }
    await time(`  [${count}] rows find sort skip limit 100`, 10, (i) => OverviewRow.find({ careUnitId: 'plist' }).sort({ startedAt: -1, _id: 1 }).skip(100 * Math.max(0, i % 10)).limit(100).lean());
    await time(`  [${count}] rows find all`, 10, () => OverviewRow.find({ careUnitId: 'plist' }).lean());
    await time(`  [${count}] unread markers of a page`, 10, () => UnreadFlag.find({ treatmentId: { $in: rows.slice(0, 100).map((r) => r._id) } }, { treatmentId: 1 }).lean());
    await time(`  [${count}] findByIds Patient 100 (parallel)`, 10, () => findByIds(Patient, Array.from({ length: 100 }, (_, i) => `prof-${i}`)));
    await time(`  [${count}] AccessLog insertMany 100`, 10, () => AccessLog.insertMany(Array.from({ length: 100 }, () => ({ _id: randomUUID(), at: new Date(), actorId: 'a', careUnitId: 'p', patientKey: 'k', treatmentId: 't', action: 'x', requestId: 'r' }))));
    await time(`  [${count}] GET /api/treatments page`, 10, (i) => call('GET', `/api/treatments?careUnitId=plist&pageSize=100&page=${1 + Math.max(0, i % 10)}`));
    await time(`  [${count}] GET /api/treatments sort=name`, 5, () => call('GET', '/api/treatments?careUnitId=plist&pageSize=100&sort=name'));
  }
  process.exit(0);
}
main().catch((e) => { console.error(e); process.exit(1); });
