// The store adapter: every read and write whose best form depends on the store asks
// `store.capabilities` (infra/store-capabilities.ts), learned once at connect.
//
// Reads and conditional writes of one document by its _id, fast on every store we run on.
//
// With `indexedFilters` and `atomicConditionalWrites` (MongoDB), `{ _id, ...condition }` is
// answered from the _id index and a conditional update is applied atomically. FerretDB 1.x on
// SQLite (the store `npm start` and the tests run) has neither: it hands a filter to SQLite only
// when it is `{ _id: value }` alone (internal/backends/sqlite/collection.go); any other filter, even
// `{ _id, version }`, decodes every document of the collection: 0.6 s at 10,000 treatments,
// measured. It also applies every update by reading and rewriting the document, so a condition is
// not atomic there anyway. On such a store these helpers read by _id, test the condition here with
// MongoDB's own matching rules (sift, which mongoose uses), and write by _id.
import type { Db } from 'mongodb';
import type { Model } from 'mongoose';
import sift from 'sift';
import { capabilitiesOf, MONGODB_STANDALONE_CAPABILITIES, type StoreCapabilities, type StoreProfile } from './store-capabilities';

export type { StoreCapabilities } from './store-capabilities';

type Filter = Record<string, unknown>;
// Model<any>: the helpers take every model of the project; their callers keep their own types.
type AnyModel = Model<any>;

/**
 * The store behind MONGODB_URI. Until `detectStore` has run (at connect, infra/connections.ts),
 * the capabilities of a standalone MongoDB: filtered queries, no change streams. Production code
 * asks `store.capabilities`, never `store.server` (that is for logs).
 */
export const store: { server: StoreProfile['server'] | 'unknown'; version: string | null; capabilities: StoreCapabilities } = {
  server: 'unknown',
  version: null,
  capabilities: { ...MONGODB_STANDALONE_CAPABILITIES },
};

/** Learns what the store MONGODB_URI names can do, from its hello and buildInfo (FerretDB says so in buildInfo). */
export async function detectStore(db: Db): Promise<StoreProfile> {
  const admin = db.admin();
  const hello = await admin.command({ hello: 1 }).catch(async (err: { code?: number }) => {
    if (err?.code !== 59) throw err; // CommandNotFound: a MongoDB before 4.4.2 / 4.2.10 knows only isMaster
    return admin.command({ isMaster: 1 });
  });
  const profile = capabilitiesOf(hello, await admin.command({ buildInfo: 1 }));
  store.server = profile.server;
  store.version = profile.version;
  store.capabilities = { ...profile.capabilities };
  return profile;
}

/** The document with this _id if it also matches `condition`; else null. */
export async function findByIdWhere<T>(model: AnyModel, id: string, condition: Filter): Promise<T | null> {
  if (store.capabilities.indexedFilters) return model.findOne({ _id: id, ...condition }).lean<T>();
  const doc = await model.findById(id).lean<T>();
  return doc && sift(condition)(doc) ? doc : null;
}

/**
 * `updateOne({ _id, ...condition }, update, options)`: true when it wrote. With `upsert`, an
 * absent document is inserted; a present one that does not match is left alone (on MongoDB the
 * upsert then fails on the unique _id, which counts as "not written" too). Without
 * `atomicConditionalWrites` the condition is tested on a read by _id (not atomic there anyway).
 */
export async function updateByIdWhere(
  model: AnyModel, id: string, condition: Filter, update: Filter, options: { upsert?: boolean } = {},
): Promise<boolean> {
  try {
    if (store.capabilities.atomicConditionalWrites) {
      const r = await model.updateOne({ _id: id, ...condition }, update, options);
      return r.matchedCount + r.upsertedCount > 0;
    }
    const doc = await model.findById(id).lean();
    if (doc ? !sift(condition)(doc) : !options.upsert) return false;
    const r = await model.updateOne({ _id: id }, update, options);
    return r.matchedCount + r.upsertedCount > 0;
  } catch (err) {
    if ((err as { code?: number }).code === 11000) return false;
    throw err;
  }
}

/** `findOneAndUpdate({ _id, ...condition }, update, { new: true })`: the updated document, or null. */
export async function claimByIdWhere<T>(model: AnyModel, id: string, condition: Filter, update: Filter): Promise<T | null> {
  if (store.capabilities.atomicConditionalWrites) return model.findOneAndUpdate({ _id: id, ...condition }, update, { new: true }).lean<T>();
  const doc = await model.findById(id).lean();
  if (!doc || !sift(condition)(doc)) return null;
  return model.findOneAndUpdate({ _id: id }, update, { new: true }).lean<T>();
}

/** `deleteOne({ _id, ...condition })`. */
export async function deleteByIdWhere(model: AnyModel, id: string, condition: Filter): Promise<void> {
  if (store.capabilities.atomicConditionalWrites) { await model.deleteOne({ _id: id, ...condition }); return; }
  const doc = await model.findById(id).lean();
  if (doc && sift(condition)(doc)) await model.deleteOne({ _id: id });
}

/** Documents by _id, in no particular order: one `$in` query with `indexedFilters` (MongoDB), else one lookup each (FerretDB). */
export async function findByIds<T>(model: AnyModel, ids: string[], projection?: Record<string, 0 | 1>): Promise<T[]> {
  const unique = [...new Set(ids)];
  if (!unique.length) return [];
  if (store.capabilities.indexedFilters) return model.find({ _id: { $in: unique } }, projection).lean<T[]>();
  // Ten lookups at a time: a hundred at once queue inside FerretDB and SQLite and take longer
  // (100 patients at 1,000: 95 ms all at once, 69 ms ten at a time; bench/overview-profile.ts).
  const docs: T[] = [];
  for (let i = 0; i < unique.length; i += 10) {
    for (const d of await Promise.all(unique.slice(i, i + 10).map((id) => model.findById(id, projection).lean<T>()))) if (d !== null) docs.push(d as T);
  }
  return docs;
}

/**
 * An upsert that two requests may race on the same _id: the store lets one insert and answers the
 * other E11000, whose second try finds the document and updates it.
 */
export async function upsertRacing<T>(upsert: () => Promise<T>): Promise<T> {
  try {
    return await upsert();
  } catch (err) {
    if ((err as { code?: number }).code !== 11000) throw err;
    return upsert();
  }
}
