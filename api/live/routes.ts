// GET /api/events: server-sent events for the clinician's web app (live updates of flags and
// messages). The app opens it with the browser's EventSource and its session cookie (API clients
// with a Bearer token), so the stream goes through the same authentication, role check,
// x-care-unit check and rate limit as every other route, and it ends when its session ends.
import { callerOf } from '../auth';
import { HttpError } from '../errors';
import { route, type Route } from '../route';
import { LiveFeed } from './feed';

/** A stream ends after this long; the app opens a new one with its current token. */
const MAX_STREAM_MS = 10 * 60_000;
/** A comment line this often keeps proxies from closing an idle stream. */
const HEARTBEAT_MS = 25_000;

export function liveRoutes(feed = new LiveFeed()): Route[] {
  return [
    route({
      method: 'get', path: '/api/events', role: 'clinician', ok: 200, produces: 'text/event-stream',
      summary: 'Live updates (server-sent events; send Accept: text/event-stream, else 406): `event: flag` or `event: message` with data {"type","treatmentId"} for treatments of the caller\'s care units (x-care-unit: of that unit). Ids only; read the treatment through the other routes. The stream ends after 10 minutes: reconnect.',
      handle({ req, res }) {
        if (!(req.get('accept') ?? '').includes('text/event-stream')) throw new HttpError(406, 'Not acceptable', 'this is a stream of server-sent events: send Accept: text/event-stream');
        const caller = callerOf(res, 'clinician');
        const units = caller.actingFor ? [caller.actingFor] : caller.careUnits;
        res.status(200).set({ 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store, no-transform', 'x-accel-buffering': 'no' });
        res.flushHeaders();
        res.write('retry: 5000\n: connected\n\n');
        const unsubscribe = feed.subscribe(units, (e) => { res.write(`event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`); });
        const heartbeat = setInterval(() => res.write(': \n\n'), HEARTBEAT_MS);
        const end = setTimeout(() => res.end(), MAX_STREAM_MS);
        // Logga ut or the session's limits end the stream too (the app's reconnection then meets a 401).
        const onSessionEnd = res.locals.onSessionEnd as ((listener: () => void) => () => void) | undefined;
        const unwatch = onSessionEnd?.(() => res.end());
        res.on('close', () => { unsubscribe(); clearInterval(heartbeat); clearTimeout(end); unwatch?.(); });
      },
    }),
  ];
}
