// Dealing test files to shards by the time each took last: longest first, each to the shard with
// the least time so far (the classic longest-processing-time rule; within 4/3 of the best deal).
// A file without a time counts as the median of the known ones, so a new file is not dealt as free.

/** Milliseconds per file, as the reporter measured them (path relative to the repository). */
export type FileTimes = Record<string, number>;

export interface Shard { files: string[]; ms: number }

export function deal(files: string[], times: FileTimes, count: number): Shard[] {
  const known = files.map((f) => times[f]).filter((ms): ms is number => typeof ms === 'number' && ms >= 0).sort((a, b) => a - b);
  const fallback = known.length ? known[Math.floor(known.length / 2)]! : 1;
  const timed = files.map((file) => ({ file, ms: times[file] ?? fallback }))
    .sort((a, b) => b.ms - a.ms || a.file.localeCompare(b.file));
  const shards: Shard[] = Array.from({ length: Math.max(1, Math.min(count, files.length)) }, () => ({ files: [], ms: 0 }));
  for (const { file, ms } of timed) {
    const least = shards.reduce((a, b) => (b.ms < a.ms ? b : a));
    least.files.push(file);
    least.ms += ms;
  }
  return shards;
}
