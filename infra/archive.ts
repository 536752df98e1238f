// The archive store for gallring: by default a separate database on the same server whose name
// ends in _archive; ARCHIVE_MONGODB_URI puts it on another server.
import mongoose, { type Connection } from 'mongoose';
import type { Config } from './config';

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
