// Live updates: the API's server-sent events (GET /api/events) read with the browser's EventSource;
// the session cookie goes along (same origin), so no token is handled here. Each event names a
// treatment with a new flag or message (ids only), and the queries that show it are invalidated:
// TanStack Query refetches those on screen. The stream ends with the session (Logga ut, limits).
import { useEffect } from 'react';
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { refreshSession } from '../auth';

export interface LiveEvent { type: 'flag' | 'message'; treatmentId: string }

/** Wait before opening the stream again after it ended or failed. */
const RECONNECT_MS = 5_000;

function isLiveEvent(v: unknown): v is LiveEvent {
  return typeof v === 'object' && v !== null && 'type' in v && (v.type === 'flag' || v.type === 'message') && 'treatmentId' in v && typeof v.treatmentId === 'string';
}

function invalidate(qc: QueryClient, e: LiveEvent) {
  void qc.invalidateQueries({ queryKey: ['treatments'] });
  void qc.invalidateQueries({ queryKey: ['treatment', e.treatmentId] });
  void qc.invalidateQueries({ queryKey: ['flags', e.treatmentId] });
  void qc.invalidateQueries({ queryKey: ['timeline', e.treatmentId] });
  if (e.type === 'message') void qc.invalidateQueries({ queryKey: ['conversations', e.treatmentId] });
  else void qc.invalidateQueries({ queryKey: ['forms', e.treatmentId] });
}

/** While mounted: the stream of live events. EventSource reconnects by itself when the stream ends
 * (10 minutes, a network glitch); a refusal (401: the session ended) closes it for good, and the
 * app then learns the session has ended and asks to sign in. */
export function useLiveUpdates(): void {
  const qc = useQueryClient();
  useEffect(() => {
    let source: EventSource | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let closed = false;
    const handle = (e: MessageEvent<string>) => {
      let event: unknown;
      try { event = JSON.parse(e.data); } catch { return; /* not ours */ }
      if (isLiveEvent(event)) invalidate(qc, event);
    };
    const open = () => {
      source = new EventSource('/api/events');
      let opened = false;
      source.addEventListener('open', () => {
        // Whatever changed while the stream was down: refetch what is on screen.
        if (opened) void qc.invalidateQueries({ queryKey: ['treatments'] });
        opened = true;
      });
      source.addEventListener('flag', handle);
      source.addEventListener('message', handle);
      source.addEventListener('error', () => {
        if (source?.readyState !== EventSource.CLOSED || closed) return;
        // Refused: a session that ended signs this tab out; otherwise try again in a while.
        void refreshSession().then((s) => {
          if (closed || !s) return;
          void qc.invalidateQueries({ queryKey: ['treatments'] });
          timer = setTimeout(open, RECONNECT_MS);
        });
      });
    };
    open();
    return () => { closed = true; source?.close(); clearTimeout(timer); };
  }, [qc]);
}
