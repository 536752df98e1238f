// The store adapter's capabilities (infra/store-capabilities.ts, infra/store.ts), from sample answers
// to hello and buildInfo, and the live feed asking them (api/live/feed.ts), with fake change
// streams: no server. The FerretDB answers are FerretDB 1.24.2's own (the build `npm start` runs),
// the MongoDB ones are shaped as MongoDB 7.0 answers (no MongoDB server is run here).
import { EventEmitter } from 'node:events';
import { expect } from 'chai';
import type { Db } from 'mongodb';
import { capabilitiesOf, FERRETDB_CAPABILITIES, MONGODB_STANDALONE_CAPABILITIES, type BuildInfoAnswer, type HelloAnswer } from '../infra/store-capabilities';
import { detectStore, store } from '../infra/store';
import { logger } from '../infra/logger';
import { LiveFeed, type ChangeStreamLike, type InsertChange, type LiveEvent, type WatchInserts } from '../api/live/feed';

// FerretDB v1.24.2 on SQLite, as `npm start` runs it.
const ferretHello: HelloAnswer = {
  isWritablePrimary: true, maxBsonObjectSize: 16777216, maxMessageSizeBytes: 48000000, maxWriteBatchSize: 100000,
  localTime: new Date(), logicalSessionTimeoutMinutes: 30, connectionId: 42, minWireVersion: 0, maxWireVersion: 21, readOnly: false, ok: 1,
};
const ferretBuildInfo: BuildInfoAnswer = {
  version: '7.0.42', gitVersion: 'unknown', modules: [], sysInfo: 'deprecated', versionArray: [7, 0, 42, 0], bits: 64, debug: false,
  maxBsonObjectSize: 16777216, buildEnvironment: { 'go.version': 'go1.26.8', GOOS: 'linux' },
  ferretdbVersion: 'v1.24.2', ferretdbFeatures: { aggregationStages: ['$count', '$group', '$limit', '$sort', '$match', '$project'] }, ok: 1,
};
// The same FerretDB started with --repl-set-name=rs0: it claims a replica set.
const ferretReplSetHello: HelloAnswer = { ...ferretHello, setName: 'rs0', hosts: ['127.0.0.1:27017'] };

const mongoBuildInfo: BuildInfoAnswer = {
  version: '7.0.14', gitVersion: 'ce59cfc6a3c5e5c067dca0d30697edd68d4f5188', modules: [], allocator: 'tcmalloc', javascriptEngine: 'mozjs',
  sysInfo: 'deprecated', versionArray: [7, 0, 14, 0], bits: 64, debug: false, maxBsonObjectSize: 16777216,
  storageEngines: ['devnull', 'inMemory', 'wiredTiger'], ok: 1,
};
const mongoStandaloneHello: HelloAnswer = {
  isWritablePrimary: true, topologyVersion: { processId: 'x', counter: 0 }, maxBsonObjectSize: 16777216, maxMessageSizeBytes: 48000000,
  maxWriteBatchSize: 100000, localTime: new Date(), logicalSessionTimeoutMinutes: 30, connectionId: 7, minWireVersion: 0, maxWireVersion: 21, readOnly: false, ok: 1,
};
const mongoPrimaryHello: HelloAnswer = {
  ...mongoStandaloneHello, hosts: ['db1:27017', 'db2:27017', 'db3:27017'], setName: 'rs0', setVersion: 1, secondary: false,
  primary: 'db1:27017', me: 'db1:27017', electionId: 'x', lastWrite: {},
};
const mongoSecondaryHello: HelloAnswer = { ...mongoPrimaryHello, isWritablePrimary: false, secondary: true, me: 'db2:27017' };
const mongosHello: HelloAnswer = { ...mongoStandaloneHello, msg: 'isdbgrid' };

describe('store capabilities: detected once from hello and buildInfo', () => {
  it('FerretDB 1.24 (it says so in buildInfo): only _id lookups are indexed, nothing optional, though it claims MongoDB 7.0', () => {
    const profile = capabilitiesOf(ferretHello, ferretBuildInfo);
    expect(profile).to.deep.include({ server: 'ferretdb', version: 'v1.24.2', replicated: false });
    expect(profile.capabilities).to.deep.equal({
      indexedFilters: false, indexedCounts: false, atomicConditionalWrites: false,
      changeStreams: false, transactions: false, partialIndexes: false, ttlIndexes: false,
    });
  });

  it('FerretDB with --repl-set-name reports a setName but is still no replica set: no change streams, no transactions', () => {
    const profile = capabilitiesOf(ferretReplSetHello, ferretBuildInfo);
    expect(profile.server).to.equal('ferretdb');
    expect(profile.replicated).to.equal(false);
    expect(profile.capabilities).to.deep.equal(FERRETDB_CAPABILITIES);
  });

  it('a MongoDB replica set (setName), primary or secondary: change streams and transactions besides the indexed paths', () => {
    for (const hello of [mongoPrimaryHello, mongoSecondaryHello]) {
      const profile = capabilitiesOf(hello, mongoBuildInfo);
      expect(profile).to.deep.include({ server: 'mongodb', version: '7.0.14', replicated: true });
      expect(profile.capabilities).to.deep.equal({
        indexedFilters: true, indexedCounts: true, atomicConditionalWrites: true,
        changeStreams: true, transactions: true, partialIndexes: true, ttlIndexes: true,
      });
    }
  });

  it('a standalone MongoDB (no setName; mongodb-memory-server where Go is missing): the indexed, atomic paths but no change streams', () => {
    const profile = capabilitiesOf(mongoStandaloneHello, mongoBuildInfo);
    expect(profile).to.deep.include({ server: 'mongodb', replicated: false });
    expect(profile.capabilities).to.deep.equal(MONGODB_STANDALONE_CAPABILITIES);
    expect(profile.capabilities).to.include({ indexedFilters: true, atomicConditionalWrites: true, changeStreams: false, transactions: false });
  });

  it('a sharded cluster (mongos says isdbgrid): change streams and transactions', () => {
    expect(capabilitiesOf(mongosHello, mongoBuildInfo)).to.deep.include({ replicated: true });
    expect(capabilitiesOf(mongosHello, mongoBuildInfo).capabilities).to.include({ changeStreams: true, transactions: true });
    // Transactions across shards came with 4.2 (wire 8); change streams with 3.6 (wire 6).
    expect(capabilitiesOf({ ...mongosHello, maxWireVersion: 7 }, mongoBuildInfo).capabilities).to.include({ changeStreams: true, transactions: false });
  });

  it('by wire version: a 3.6 replica set has change streams but no transactions; older has neither', () => {
    expect(capabilitiesOf({ ...mongoPrimaryHello, maxWireVersion: 6 }, { version: '3.6.23' }).capabilities).to.include({ changeStreams: true, transactions: false });
    expect(capabilitiesOf({ ...mongoPrimaryHello, maxWireVersion: 5 }, { version: '3.4.24' }).capabilities).to.include({ changeStreams: false, transactions: false });
    expect(capabilitiesOf({ setName: 'rs0' }, {}).capabilities).to.include({ changeStreams: false, transactions: false }); // no wire version: assume nothing
  });

  describe('detectStore (at connect) sets store.capabilities', () => {
    const saved = { ...store };
    afterEach(() => { Object.assign(store, saved); });

    const fakeDb = (answers: Record<string, Record<string, unknown> | Error>, asked: string[] = []) => ({
      admin: () => ({
        command: async (cmd: Record<string, unknown>) => {
          const name = Object.keys(cmd)[0]!;
          asked.push(name);
          const answer = answers[name];
          if (answer instanceof Error || answer === undefined) throw answer ?? Object.assign(new Error(`no such command: '${name}'`), { code: 59 });
          return answer;
        },
      }),
    }) as unknown as Db;

    it('from FerretDB\'s answers, and from a replica set\'s', async () => {
      await detectStore(fakeDb({ hello: ferretHello, buildInfo: ferretBuildInfo }));
      expect(store).to.deep.include({ server: 'ferretdb', version: 'v1.24.2' });
      expect(store.capabilities).to.deep.equal(FERRETDB_CAPABILITIES);
      await detectStore(fakeDb({ hello: mongoPrimaryHello, buildInfo: mongoBuildInfo }));
      expect(store).to.deep.include({ server: 'mongodb', version: '7.0.14' });
      expect(store.capabilities).to.include({ changeStreams: true, indexedFilters: true });
    });

    it('asks isMaster where hello is unknown (MongoDB before 4.4.2), and fails on any other error', async () => {
      const asked: string[] = [];
      await detectStore(fakeDb({ isMaster: { ismaster: true, setName: 'rs0', maxWireVersion: 8 }, buildInfo: { version: '4.2.1' } }, asked));
      expect(asked).to.deep.equal(['hello', 'isMaster', 'buildInfo']);
      expect(store.capabilities).to.include({ changeStreams: true, transactions: true });
      const refused = await detectStore(fakeDb({ hello: Object.assign(new Error('not authorized'), { code: 13 }) })).catch((e: Error) => e);
      expect(refused).to.be.instanceOf(Error).with.property('message', 'not authorized');
    });
  });
});

/** A change stream the test drives: emits what the test says, records whether it was closed. */
class FakeStream extends EventEmitter implements ChangeStreamLike {
  closed = false;
  constructor(readonly collection: string, readonly pipeline: unknown, readonly options: { startAtOperationTime: { getHighBits(): number } }) { super(); }
  async close(): Promise<void> { this.closed = true; }
  insert(fullDocument: InsertChange['fullDocument']): void { this.emit('change', { fullDocument }); }
}

describe('the live feed asks store.capabilities.changeStreams (fake streams, no server)', () => {
  const saved = { ...store.capabilities };
  const level = logger.level;
  before(() => { logger.level = 'silent'; }); // the failures below are logged as warnings
  after(() => { logger.level = level; });
  afterEach(() => { store.capabilities = { ...saved }; });
  const HOUR = 3_600_000; // no poll runs within a test: nothing reaches a store

  const setUp = (careUnits: Record<string, string> = {}) => {
    const streams: FakeStream[] = [];
    const watch: WatchInserts = (collection, pipeline, options) => {
      const s = new FakeStream(collection, pipeline, options);
      streams.push(s);
      return s;
    };
    const feed = new LiveFeed(HOUR, 30_000, { watch, careUnitsOf: async (ids) => new Map(ids.filter((id) => careUnits[id]).map((id) => [id, careUnits[id]!])) });
    return { feed, streams };
  };
  const settle = () => new Promise((r) => setImmediate(r));

  it('without change streams (FerretDB) it polls, as before: no stream is opened', () => {
    store.capabilities = { ...FERRETDB_CAPABILITIES };
    const { feed, streams } = setUp();
    const off = feed.subscribe(['u1'], () => undefined);
    expect(feed.mode).to.equal('polling');
    expect(streams).to.deep.equal([]);
    off();
    expect(feed.mode).to.equal('idle');
  });

  it('with change streams it watches the inserts of flags and messages, from the overlap back, and hands each to its care unit\'s streams', async () => {
    store.capabilities = { ...MONGODB_STANDALONE_CAPABILITIES, changeStreams: true };
    const { feed, streams } = setUp({ 't-msg': 'u1', 't-other': 'u2' });
    const mine: LiveEvent[] = [];
    const theirs: LiveEvent[] = [];
    const before = Date.now();
    const offMine = feed.subscribe(['u1'], (e) => mine.push(e));
    const offTheirs = feed.subscribe(['u2'], (e) => theirs.push(e));
    expect(feed.mode).to.equal('watching');
    expect(streams.map((s) => s.collection)).to.deep.equal(['flags', 'messages']); // once, for both subscribers
    expect(streams[0]!.pipeline).to.deep.equal([{ $match: { operationType: 'insert' } }, { $project: { 'fullDocument.treatmentId': 1, 'fullDocument.careUnitId': 1 } }]);
    const startAt = streams[0]!.options.startAtOperationTime.getHighBits() * 1000;
    expect(startAt).to.be.within(before - 31_000, before - 29_000);

    const [flags, messages] = streams as [FakeStream, FakeStream];
    flags.insert({ treatmentId: 't-flag', careUnitId: 'u1' });
    flags.insert({ treatmentId: 't-flag-2', careUnitId: 'u2' });
    messages.insert({ treatmentId: 't-msg' });
    messages.insert({ treatmentId: 't-unknown' }); // a treatment gone meanwhile: nothing
    await settle();
    expect(mine).to.deep.equal([{ type: 'flag', treatmentId: 't-flag' }, { type: 'message', treatmentId: 't-msg' }]);
    expect(theirs).to.deep.equal([{ type: 'flag', treatmentId: 't-flag-2' }]);

    offMine();
    expect(streams.some((s) => s.closed)).to.equal(false); // one stream still open
    offTheirs();
    expect(streams.every((s) => s.closed)).to.equal(true);
    expect(feed.mode).to.equal('idle');
  });

  it('a failed change stream closes both and the feed polls from then on; so does one that cannot be opened', () => {
    store.capabilities = { ...MONGODB_STANDALONE_CAPABILITIES, changeStreams: true };
    const { feed, streams } = setUp();
    const off = feed.subscribe(['u1'], () => undefined);
    streams[1]!.emit('error', Object.assign(new Error('resume token not found'), { code: 280 }));
    expect(streams.every((s) => s.closed)).to.equal(true);
    expect(feed.mode).to.equal('polling');
    off();
    feed.subscribe(['u1'], () => undefined)();
    expect(streams).to.have.length(2); // not watched again in this process

    const throwing = new LiveFeed(HOUR, 30_000, { watch: () => { throw new Error('$changeStream is not allowed'); } });
    const offThrowing = throwing.subscribe(['u1'], () => undefined);
    expect(throwing.mode).to.equal('polling');
    offThrowing();
  });
});
