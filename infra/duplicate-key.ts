// MongoDB's (and FerretDB's) duplicate key error, E11000, in one place: an insert or upsert that
// another writer won on the same _id. Every "someone made it first" path asks here.

/** True for E11000: code 11000, or a bulk write (insertMany) whose message says it. */
export function isDuplicateKey(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { code, message } = err as { code?: unknown; message?: unknown };
  return code === 11000 || (typeof message === 'string' && /\bE11000\b/.test(message));
}

/** Runs `op`; when another writer made the same _id first, `onDuplicate()` answers instead. */
export async function onDuplicateKey<T, U = T>(op: () => PromiseLike<T>, onDuplicate: () => U | PromiseLike<U>): Promise<T | U> {
  try {
    return await op();
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    return onDuplicate();
  }
}
