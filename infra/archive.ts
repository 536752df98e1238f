// The archive store for gallring: by default a separate database on the same server whose name
// ends in _archive; ARCHIVE_MONGODB_URI puts it on another server. Each record is sealed with the
// archive's own key (ARCHIVE_KEY, AES-256-GCM, the treatment id as associated data), so a copy of
// the database reads as nothing, and carries the date after which the retention sweep deletes it.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import mongoose, { mongo, type Connection } from 'mongoose';
import type { Config } from './config';
import { addIsoDuration } from '../domain/durations';

let archive: Promise<Connection> | undefined;

export function archiveConnection(config: Config): Promise<Connection> {
  archive ??= (async () => {
    if (config.archive.uri) {
      return mongoose.createConnection(config.archive.uri, { dbName: config.archive.dbName, serverSelectionTimeoutMS: 5000 }).asPromise();
    }
    return mongoose.connection.useDb(config.archive.dbName, { useCache: true });
  })();
  return archive;
}

/** An archived record as stored: sealed, with its dates in the clear for the retention sweep. */
export interface ArchivedRecord {
  _id: string;
  archivedAt: Date;
  deleteAfter: Date;
  sealed: { iv: mongo.Binary; tag: mongo.Binary; data: mongo.Binary };
}

/** Seals a record (EJSON keeps its dates) for the archive. */
export function sealRecord(config: Config, treatmentId: string, record: unknown, now = Date.now()): ArchivedRecord {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', config.archive.key, iv);
  cipher.setAAD(Buffer.from(treatmentId));
  const data = Buffer.concat([cipher.update(mongo.BSON.EJSON.stringify(record, { relaxed: false })), cipher.final()]);
  return {
    _id: treatmentId,
    archivedAt: new Date(now),
    deleteAfter: new Date(addIsoDuration(now, config.archive.retention)),
    sealed: { iv: new mongo.Binary(iv), tag: new mongo.Binary(cipher.getAuthTag()), data: new mongo.Binary(data) },
  };
}

const bytes = (b: mongo.Binary) => Buffer.from(b.buffer.subarray(0, b.position));

/** Opens an archived record (for a lawful request); throws when the key or the id does not match. */
export function openRecord(config: Config, doc: ArchivedRecord): unknown {
  const decipher = createDecipheriv('aes-256-gcm', config.archive.key, bytes(doc.sealed.iv));
  decipher.setAAD(Buffer.from(doc._id));
  decipher.setAuthTag(bytes(doc.sealed.tag));
  const text = Buffer.concat([decipher.update(bytes(doc.sealed.data)), decipher.final()]).toString('utf8');
  return mongo.BSON.EJSON.parse(text, { relaxed: false });
}
