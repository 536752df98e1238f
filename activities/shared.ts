// What every activity module shares: its dependencies and insert-if-absent, the idempotency
// primitive (keys come from the treatment and the event, so a retry or replay writes nothing twice).
import type { Client } from '@temporalio/client';
import type { Config } from '../infra/config';
import type { Transports } from '../infra/notify';
import type { Program } from '../infra/programs';
import { onDuplicateKey } from '../infra/duplicate-key';

export interface ActivityDeps {
  config: Config; transports: Transports; client?: Client; programs?: Map<string, Program>;
  /** The worker's payload codec: gallring shreds the treatment's data key through it. */
  codec?: { shred(treatmentId: string): Promise<void> };
}


type UpsertModel = { updateOne(filter: { _id: string }, update: Record<string, unknown>, options: { upsert: true }): PromiseLike<{ upsertedCount: number }> };

/** Insert-if-absent that is safe when two attempts race on the same _id; true when this call inserted. */
export async function insertOnce(model: UpsertModel, _id: string, doc: Record<string, unknown>): Promise<boolean> {
  return onDuplicateKey(async () => (await model.updateOne({ _id }, { $setOnInsert: doc }, { upsert: true })).upsertedCount > 0, () => false);
}
