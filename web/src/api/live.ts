// Live updates: the API's server-sent events (GET /api/events) read with fetch, so the bearer
// token (kept in memory only) goes in the Authorization header as on every other request;
// EventSource cannot send one. Each event names a treatment with a new flag or message (ids only),
// and the queries that show it are invalidated: TanStack Query refetches those on screen.
import { useEffect } from 'react';
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { currentSession } from '../auth';

export interface LiveEvent { type: 'flag' | 'message'; treatmentId: string }

/** Wait before opening the stream again after it ended or failed. */
const RECONNECT_MS = 5_000;

function invalidate(qc: QueryClient, e: LiveEvent) {
  void qc.invalidateQueries({ queryKey: ['treatments'] });
  void qc.invalidateQueries({ queryKey: ['treatment', e.treatmentId] });
  void qc.invalidateQueries({ queryKey: ['flags', e.treatmentId] });
  void qc.invalidateQueries({ queryKey: ['timeline', e.treatmentId] });
  if (e.type === 'message') void qc.invalidateQueries({ queryKey: ['conversations', e.treatmentId] });
  else void qc.invalidateQueries({ queryKey: ['forms', e.treatmentId] });
}

/** Reads one stream until it ends, calling `onEvent` per event. */
async function readStream(signal: AbortSignal, onEvent: (e: LiveEvent) => void): Promise<void> {
  const session = currentSession();
  if (!session) return;
  const res = await fetch('/api/events', { headers: { authorization: `Bearer ${session.accessToken}`, accept: 'text/event-stream' }, signal, cache: 'no-store' });
  if (!res.ok || !res.body) return;
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value.replace(/\r\n?/g, '\n');
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = block.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trimStart()).join('\n');
      if (!data) continue; // a comment (heartbeat)
      try { onEvent(JSON.parse(data) as LiveEvent); } catch { /* not ours */ }
    }
  }
}

/** While mounted: the stream of live events, opened again whenever it ends (10 minutes, a network glitch). */
export function useLiveUpdates(): void {
  const qc = useQueryClient();
  useEffect(() => {
    const abort = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = () => {
      readStream(abort.signal, (e) => invalidate(qc, e))
        .catch(() => undefined)
        .finally(() => {
          if (abort.signal.aborted) return;
          // Whatever changed while the stream was down: refetch what is on screen, then listen again.
          void qc.invalidateQueries({ queryKey: ['treatments'] });
          timer = setTimeout(run, RECONNECT_MS);
        });
    };
    run();
    return () => { abort.abort(); clearTimeout(timer); };
  }, [qc]);
}
