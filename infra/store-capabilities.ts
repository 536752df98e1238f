// What the store behind MONGODB_URI can do, learned once at connect from its own answers to
// `hello` and `buildInfo` (infra/store.ts detectStore). Production code asks these named
// capabilities (`store.capabilities.changeStreams`, …), never which server it is.
//
// The servers we know:
// - FerretDB 1.x on SQLite (`npm start`, the tests, `npm run stack`) says so in buildInfo
//   (`ferretdbVersion`). It hands SQLite only a filter that is `{ _id: value }` alone (any other
//   filter, a `$in` on _id and every count decode the whole collection in Go), applies every update
//   by reading and rewriting the document, and answers "not implemented yet" to `$changeStream`,
//   `partialFilterExpression` and `expireAfterSeconds` (FerretDB 1.24.2, asked). It may report a
//   `setName` (its `--repl-set-name` flag, for clients that insist on a replica set) and claims
//   MongoDB 7.0 in `version`: neither makes it one, so FerretDB is recognised first.
// - MongoDB: filters and counts use the declared indexes, a conditional update or
//   findOneAndUpdate tests its condition and writes in one atomic step, partial and TTL indexes
//   exist (since 3.2 and 2.2). Change streams and multi-document transactions need a replica set
//   (`setName` in hello) or a sharded cluster (a mongos says `msg: 'isdbgrid'`).
// - Anything else that speaks the wire protocol is taken for MongoDB by its hello.

export interface StoreCapabilities {
  /** A filter beyond `{ _id: value }` (other fields, `$in` on _id) is answered from an index, not by decoding every document. */
  indexedFilters: boolean;
  /** `countDocuments(filter)` is answered from an index (on FerretDB a count is another scan). */
  indexedCounts: boolean;
  /** A conditional `updateOne` / `findOneAndUpdate` / `deleteOne` tests its condition and writes atomically (read-modify-write in one step). */
  atomicConditionalWrites: boolean;
  /** `watch()`: change streams (a replica set or a sharded cluster; FerretDB has none). */
  changeStreams: boolean;
  /** Multi-document transactions (a replica set or a sharded cluster). Not used by the engine. */
  transactions: boolean;
  /** Indexes with `partialFilterExpression`. Not used by the engine. */
  partialIndexes: boolean;
  /** Indexes with `expireAfterSeconds` (TTL). Not used: sessions and quotas are swept by the engine on every store. */
  ttlIndexes: boolean;
}

export type StoreServer = 'ferretdb' | 'mongodb';

export interface StoreProfile {
  server: StoreServer;
  /** The server's own version string (FerretDB's, not the MongoDB version it emulates). */
  version: string | null;
  /** A replica set (`setName`) or a sharded cluster (mongos). */
  replicated: boolean;
  capabilities: StoreCapabilities;
}

/** What `hello` (or the older `isMaster`) answers, as far as it matters here. */
export interface HelloAnswer {
  setName?: unknown;
  msg?: unknown;
  maxWireVersion?: unknown;
  [key: string]: unknown;
}

/** What `buildInfo` answers, as far as it matters here. */
export interface BuildInfoAnswer {
  version?: unknown;
  ferretdbVersion?: unknown;
  [key: string]: unknown;
}

/** FerretDB 1.x on SQLite: only `_id` lookups are indexed; none of the optional features. */
export const FERRETDB_CAPABILITIES: Readonly<StoreCapabilities> = Object.freeze({
  indexedFilters: false,
  indexedCounts: false,
  atomicConditionalWrites: false,
  changeStreams: false,
  transactions: false,
  partialIndexes: false,
  ttlIndexes: false,
});

/** A standalone MongoDB: everything but what needs a replica set. Also what is assumed before detection (what the code did before it detected anything). */
export const MONGODB_STANDALONE_CAPABILITIES: Readonly<StoreCapabilities> = Object.freeze({
  indexedFilters: true,
  indexedCounts: true,
  atomicConditionalWrites: true,
  changeStreams: false,
  transactions: false,
  partialIndexes: true,
  ttlIndexes: true,
});

// Wire versions: 6 is MongoDB 3.6 (change streams), 7 is 4.0 (replica-set transactions),
// 8 is 4.2 (transactions across shards).
const CHANGE_STREAMS_WIRE = 6;
const REPLICA_SET_TRANSACTIONS_WIRE = 7;
const SHARDED_TRANSACTIONS_WIRE = 8;

/** The store's profile from its answers to `hello` and `buildInfo`. Pure: the unit tests feed it sample answers. */
export function capabilitiesOf(hello: HelloAnswer, buildInfo: BuildInfoAnswer): StoreProfile {
  if (typeof buildInfo.ferretdbVersion === 'string') {
    // A setName here is FerretDB's --repl-set-name: it has no oplog behind it.
    return { server: 'ferretdb', version: buildInfo.ferretdbVersion, replicated: false, capabilities: { ...FERRETDB_CAPABILITIES } };
  }
  const replicaSet = typeof hello.setName === 'string' && hello.setName !== '';
  const sharded = hello.msg === 'isdbgrid';
  const wire = typeof hello.maxWireVersion === 'number' ? hello.maxWireVersion : 0;
  const version = typeof buildInfo.version === 'string' ? buildInfo.version : null;
  return {
    server: 'mongodb',
    version,
    replicated: replicaSet || sharded,
    capabilities: {
      ...MONGODB_STANDALONE_CAPABILITIES,
      changeStreams: (replicaSet || sharded) && wire >= CHANGE_STREAMS_WIRE,
      transactions: (replicaSet && wire >= REPLICA_SET_TRANSACTIONS_WIRE) || (sharded && wire >= SHARDED_TRANSACTIONS_WIRE),
    },
  };
}
