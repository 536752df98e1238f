// The release whose workflow code this is, and the guard that keeps a store written before it out.
// Release 1.0 folded the development-time patches into one behaviour; histories and read models
// from before it would not replay, so a database written before 1.0 is refused at start with the
// way to reset it, instead of a worker that fails workflow tasks on old histories.
import type { mongo } from 'mongoose';
import { onDuplicateKey } from './duplicate-key';

type Db = mongo.Db;

/** The release of this code; its saved histories are test/histories/<RELEASE>/. */
export const RELEASE = '1.4';
/** The first release: data written before it is refused. */
export const FIRST_RELEASE = '1.0';

export class PreReleaseDataError extends Error {}

/** Marks a new database with the release that created it and refuses one that holds treatments without a mark (written before 1.0). */
export async function checkRelease(db: Db, dataDir: string): Promise<void> {
  const meta = db.collection<{ _id: string; release: string; createdAt: Date }>('meta');
  const mark = await meta.findOne({ _id: 'release' });
  if (mark) return;
  const anyTreatment = await db.collection('treatments').findOne({}, { projection: { _id: 1 } });
  if (anyTreatment) {
    throw new PreReleaseDataError(
      `This database was written by a development version before release ${FIRST_RELEASE}, whose treatments cannot run on this code. `
      + `Nothing was released before ${FIRST_RELEASE}, so reset it: stop Tobakshjälpen, then remove ${dataDir} `
      + '(the embedded servers\' data) or drop the MongoDB database and the Temporal namespace\'s workflows, and start again.',
    );
  }
  // The worker and the API starting side by side: the other one may mark it first.
  await onDuplicateKey(() => meta.updateOne({ _id: 'release' }, { $setOnInsert: { release: RELEASE, createdAt: new Date() } }, { upsert: true }), () => undefined);
}
