// Development aid: where the overview's time goes on this store. Not part of the benchmark.
import './env';
import { randomUUID } from 'node:crypto';
import { Patient } from '../models/patient';
import { OverviewRow } from '../models/overview';
import { startBenchSystem } from './system';
import { signDevToken } from '../api/auth';
import { AccessLog } from '../models/access-log';
import { UnreadFlag } from '../models/overview';
import { overviewPage } from '../api/treatments/overview';

const q = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))]!; };
async function time(label: string, n: number, fn: (i: number) => Promise<unknown>) {
  await fn(0);
  const xs: number[] = [];
  for (let i = 0; i < n; i++) { const t = performance.now(); await fn(i); xs.push(performance.now() - t); }
  console.log(`${label.padEnd(52)} p50 ${q(xs, 0.5).toFixed(1).padStart(7)}  max ${Math.max(...xs).toFixed(1).padStart(7)}`);
}

async function main() {
  const system = await startBenchSystem('ovprof');
  const sizes = (process.env.SIZES ?? '1000,10000').split(',').map(Number);
  const token = await signDevToken(system.config, { role: 'clinician', sub: 'SE2321000016-0prof', careUnits: sizes.map((n) => `u${n}`) });
  const get = (url: string) => fetch(`${system.apiUrl}${url}`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.json());
  for (const count of sizes) {
    const unit = `u${count}`;
    const rows = Array.from({ length: count }, (_, i) => ({ _id: randomUUID(), patientKey: `${unit}-${i}`, careUnitId: unit, clinicianId: 'x', status: 'active', personnummer: '000000000000', name: `P ${i}`, startedAt: new Date(Date.now() - i * 1000), lastActiveAt: null, currentModuleId: 'step-1', version: 1 }));
    for (let i = 0; i < rows.length; i += 1000) {
      await OverviewRow.insertMany(rows.slice(i, i + 1000), { ordered: false });
      await Patient.insertMany(rows.slice(i, i + 1000).map((d) => ({ _id: d.patientKey, personnummer: '000000000000', name: 'P' })), { ordered: false });
    }
    const f = { careUnitId: unit };
    const keys = rows.slice(0, 100).map((r) => r.patientKey);
    await time(`[${count}] patients $in 100`, 10, () => Patient.find({ _id: { $in: keys } }, { personnummer: 1, name: 1 }).lean());
    await time(`[${count}] patients findById ×100 parallel`, 10, () => Promise.all(keys.map((k) => Patient.findById(k, { personnummer: 1, name: 1 }).lean())));
    await time(`[${count}] patients findById ×100, 10 at a time`, 10, async () => { for (let i = 0; i < 100; i += 10) await Promise.all(keys.slice(i, i + 10).map((k) => Patient.findById(k).lean())); });
    await time(`[${count}] GET /api/treatments page`, 10, (i) => get(`/api/treatments?careUnitId=${unit}&pageSize=100&page=${1 + (i % 10)}`));
    await time(`[${count}] overviewPage() alone`, 10, (i) => overviewPage({ careUnitId: unit }, { sort: '-startedAt', name: null, page: 1 + (i % 10), pageSize: 100 }));
    await time(`[${count}] GET /api/programs (HTTP + auth only)`, 10, () => get('/api/programs/tobakshjalpen'));
    await time(`[${count}] access log insertMany 100`, 10, () => AccessLog.insertMany(rows.slice(0, 100).map((r) => ({ _id: randomUUID(), at: new Date(), actorId: 'a', careUnitId: unit, patientKey: r.patientKey, treatmentId: r._id, actingCareUnitId: unit, action: 'x', requestId: 'r' }))));
    await time(`[${count}] markers of a page`, 10, () => UnreadFlag.find({ treatmentId: { $in: rows.slice(0, 100).map((r) => r._id) } }).lean());
    await time(`[${count}] agg project _id,startedAt`, 5, () => OverviewRow.aggregate([{ $match: f }, { $project: { startedAt: 1 } }]));
    await time(`[${count}] find all projected startedAt, batch 20000`, 5, () => OverviewRow.find(f, { startedAt: 1 }).batchSize(20_000).lean());
    await time(`[${count}] find sort skip limit 100`, 10, (i) => OverviewRow.find(f).sort({ startedAt: -1, _id: 1 }).skip(100 * (i % 10)).limit(100).lean());
    await time(`[${count}] countDocuments`, 10, () => OverviewRow.countDocuments(f));
    await time(`[${count}] find+count in parallel`, 10, (i) => Promise.all([OverviewRow.find(f).sort({ startedAt: -1, _id: 1 }).skip(100 * (i % 10)).limit(100).lean(), OverviewRow.countDocuments(f)]));
    await time(`[${count}] find all`, 10, () => OverviewRow.find(f).lean());
    await time(`[${count}] find all, batchSize 100000`, 10, () => OverviewRow.find(f).batchSize(100_000).lean());
    await time(`[${count}] find all projected, batchSize 100000`, 10, () => OverviewRow.find(f, { startedAt: 1 }).batchSize(100_000).lean());
    await time(`[${count}] find all, raw driver`, 10, () => OverviewRow.collection.find(f).toArray());
    await time(`[${count}] find all projected _id,startedAt`, 10, () => OverviewRow.find(f, { startedAt: 1 }).lean());
    await time(`[${count}] find all projected, raw driver`, 10, () => OverviewRow.collection.find(f, { projection: { startedAt: 1 } }).toArray());
  }
  await system.stop();
  process.exit(0);
}
main().catch((e) => { console.error(e); process.exit(1); });
