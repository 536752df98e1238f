// Live updates for the web app: which treatments have a new flag or message, by care unit.
//
// Flags are written by the worker (activities/events.ts) and messages by the API
// (clinical-work/service.ts); in production they may be separate processes, so an in-process
// emitter would miss the worker's writes. Instead one poller per API process reads the store every
// `intervalMs` (flags by careUnitId + createdAt, messages by sentAt), only while at least one stream
// is open, for the union of the care units of the open streams, and hands each new document's
// treatment id to the streams of its care unit. FerretDB has no change streams, so this polling is
// the one mechanism (a MongoDB replica set could use change streams instead; not built).
//
// Writers' clocks may differ a little from this process's: each poll looks back `overlapMs` past
// the previous poll and drops the ids it has already seen.
import { FlagModel, MessageModel } from '../../models/clinical';
import { Treatment } from '../../models/treatment';
import { logger } from '../../infra/logger';

export interface LiveEvent { type: 'flag' | 'message'; treatmentId: string }
type Listener = (event: LiveEvent) => void;
interface Subscriber { careUnits: string[]; listener: Listener }

export class LiveFeed {
  private readonly subscribers = new Set<Subscriber>();
  private timer: NodeJS.Timeout | undefined;
  private since = new Date();
  private readonly seen = new Map<string, number>();
  private polling = false;

  constructor(private readonly intervalMs = 2000, private readonly overlapMs = 30_000) {}

  /** Events for treatments of these care units until the returned function is called. */
  subscribe(careUnits: string[], listener: Listener): () => void {
    const s: Subscriber = { careUnits, listener };
    this.subscribers.add(s);
    if (!this.timer) {
      this.since = new Date();
      this.timer = setInterval(() => { void this.poll(); }, this.intervalMs);
      this.timer.unref();
    }
    return () => {
      this.subscribers.delete(s);
      if (this.subscribers.size === 0 && this.timer) { clearInterval(this.timer); this.timer = undefined; this.seen.clear(); }
    };
  }

  /** One poll (the timer's; the tests may call it too). */
  async poll(): Promise<void> {
    if (this.polling || this.subscribers.size === 0) return;
    this.polling = true;
    try {
      const started = Date.now();
      const from = new Date(this.since.getTime() - this.overlapMs);
      const units = [...new Set([...this.subscribers].flatMap((s) => s.careUnits))];
      const [flags, messages] = await Promise.all([
        FlagModel.find({ careUnitId: { $in: units }, createdAt: { $gte: from } }, { treatmentId: 1, careUnitId: 1 }).lean(),
        MessageModel.find({ sentAt: { $gte: from } }, { treatmentId: 1 }).lean(),
      ]);
      const fresh = <T extends { _id: string }>(docs: T[], kind: string) => docs.filter((d) => {
        const key = `${kind}:${d._id}`;
        if (this.seen.has(key)) return false;
        this.seen.set(key, started);
        return true;
      });
      const newFlags = fresh(flags, 'flag');
      const newMessages = fresh(messages, 'message');
      // Messages carry no care unit: their treatments' units, in one read.
      const unitOf = new Map<string, string>(newFlags.map((f) => [f.treatmentId, f.careUnitId]));
      const unknown = [...new Set(newMessages.map((m) => m.treatmentId))].filter((id) => !unitOf.has(id));
      if (unknown.length) {
        for (const t of await Treatment.find({ _id: { $in: unknown } }, { careUnitId: 1 }).lean<Array<{ _id: string; careUnitId: string }>>()) unitOf.set(t._id, t.careUnitId);
      }
      const events = new Map<string, LiveEvent & { careUnitId: string }>();
      for (const f of newFlags) events.set(`flag:${f.treatmentId}`, { type: 'flag', treatmentId: f.treatmentId, careUnitId: f.careUnitId });
      for (const m of newMessages) {
        const careUnitId = unitOf.get(m.treatmentId);
        if (careUnitId) events.set(`message:${m.treatmentId}`, { type: 'message', treatmentId: m.treatmentId, careUnitId });
      }
      for (const { careUnitId, ...event } of events.values()) {
        for (const s of this.subscribers) if (s.careUnits.includes(careUnitId)) s.listener(event);
      }
      this.since = new Date(started);
      const forgetBefore = started - 2 * this.overlapMs - this.intervalMs;
      for (const [key, at] of this.seen) if (at < forgetBefore) this.seen.delete(key);
    } catch (err) {
      logger.warn({ err }, 'live feed: poll failed');
    } finally {
      this.polling = false;
    }
  }
}
