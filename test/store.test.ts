// infra/store.ts on the real store, both ways: as it runs without `indexedFilters` and
// `atomicConditionalWrites` (FerretDB: read by _id, test the condition here, write by _id) and as it
// runs with them (MongoDB: one filtered query, which FerretDB also answers, by scanning). Both must
// give the same answers. The detection itself from sample answers: test/store-capabilities.test.ts.
import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { harness } from './support/harness';
import { checkRelease, PreReleaseDataError, RELEASE } from '../infra/release';
import { claimByIdWhere, deleteByIdWhere, detectStore, findByIds, findByIdWhere, store, updateByIdWhere, type StoreCapabilities } from '../infra/store';
import { NotificationModel } from '../models/clinical';
import { Treatment } from '../models/treatment';

describe('store helpers: conditional reads and writes by _id (real MongoDB-wire server)', () => {
  let detected: StoreCapabilities;
  before(async () => {
    await harness();
    await detectStore(mongoose.connection.db!);
    detected = { ...store.capabilities };
  });
  after(() => { store.capabilities = { ...detected }; });

  it('knows the store it runs on: FerretDB pushes down only { _id } filters and has no change streams', async function () {
    const info = await mongoose.connection.db!.admin().command({ buildInfo: 1 });
    if (typeof info.ferretdbVersion !== 'string') this.skip(); // MONGODB_URI names a real MongoDB: nothing FerretDB-specific to check
    expect(store.server).to.equal('ferretdb');
    expect(detected).to.include({ indexedFilters: false, indexedCounts: false, atomicConditionalWrites: false, changeStreams: false, transactions: false });
  });

  for (const idOnly of [true, false]) {
    describe(idOnly ? 'the FerretDB way (read by _id, match here)' : 'the MongoDB way (one filtered query)', () => {
      beforeEach(() => { store.capabilities = { ...detected, indexedFilters: !idOnly, atomicConditionalWrites: !idOnly }; });

      it('a version-guarded upsert inserts, updates to a newer version, and never goes back', async () => {
        const id = randomUUID();
        const newer = (v: number) => ({ $or: [{ version: { $lt: v } }, { version: { $exists: false } }] });
        const write = (v: number, status: string) => updateByIdWhere(Treatment, id, newer(v), { $set: { version: v, status } }, { upsert: true });
        expect(await write(2, 'pending')).to.equal(true);
        expect(await write(3, 'sending')).to.equal(true);
        expect(await write(2, 'stale')).to.equal(false);
        expect(await write(3, 'again')).to.equal(false);
        const doc = await Treatment.collection.findOne({ _id: id as never });
        expect(doc).to.include({ version: 3, status: 'sending' });
      });

      it('a lease is taken once while it is held, and again once it has expired', async () => {
        const id = randomUUID();
        await NotificationModel.collection.insertOne({ _id: id as never, status: 'pending', attempts: 0 });
        const now = new Date();
        const lease = { $or: [{ status: 'pending' }, { status: 'sending', leaseUntil: { $lt: now } }] };
        const take = (until: Date) => claimByIdWhere<{ attempts: number }>(NotificationModel, id, lease, { $set: { status: 'sending', leaseUntil: until }, $inc: { attempts: 1 } });
        expect(await take(new Date(now.getTime() + 60_000))).to.include({ attempts: 1 });
        expect(await take(new Date(now.getTime() + 60_000))).to.equal(null);
        await NotificationModel.collection.updateOne({ _id: id as never }, { $set: { leaseUntil: new Date(now.getTime() - 1) } });
        expect(await take(new Date(now.getTime() + 60_000))).to.include({ attempts: 2 });
      });

      it('reads and deletes only what matches, and finds many by _id', async () => {
        const [a, b] = [randomUUID(), randomUUID()];
        await NotificationModel.collection.insertMany([{ _id: a as never, status: 'sent', to: 'x' }, { _id: b as never, status: 'failed', to: 'y' }]);
        expect(await findByIdWhere(NotificationModel, a, { status: { $in: ['sent', 'cancelled'] } })).to.include({ to: 'x' });
        expect(await findByIdWhere(NotificationModel, b, { status: { $in: ['sent', 'cancelled'] } })).to.equal(null);
        expect(await findByIdWhere(NotificationModel, randomUUID(), {})).to.equal(null);
        expect((await findByIds<{ _id: string }>(NotificationModel, [a, b, a, randomUUID()])).map((d) => d._id).sort()).to.deep.equal([a, b].sort());
        expect(await findByIds(NotificationModel, [])).to.deep.equal([]);
        await deleteByIdWhere(NotificationModel, a, { status: 'failed' });
        await deleteByIdWhere(NotificationModel, b, { status: 'failed' });
        expect(await NotificationModel.collection.countDocuments({ _id: { $in: [a, b] as never[] } })).to.equal(1);
        expect(await updateByIdWhere(NotificationModel, randomUUID(), {}, { $set: { to: 'z' } })).to.equal(false); // no upsert: nothing written
      });
    });
  }
});

describe('release guard (real store)', () => {
  it('marks a new database as release 1.0, accepts it again, and refuses one with treatments from before 1.0, saying how to reset', async () => {
    await harness();
    const client = mongoose.connection.getClient();
    const fresh = client.db(`release_fresh_${Date.now()}`);
    await checkRelease(fresh, '/data');
    expect(await fresh.collection('meta').findOne({ _id: 'release' as never })).to.include({ release: RELEASE });
    await checkRelease(fresh, '/data'); // marked: accepted
    const old = client.db(`release_old_${Date.now()}`);
    await old.collection('treatments').insertOne({ _id: 'before-1.0' as never, status: 'active' });
    const refused = await checkRelease(old, '/some/data').then(() => null, (e: Error) => e);
    expect(refused).to.be.instanceOf(PreReleaseDataError);
    expect(refused!.message).to.match(/before release 1\.0/).and.match(/remove \/some\/data/);
    await Promise.all([fresh.dropDatabase(), old.dropDatabase()]);
  });
});
