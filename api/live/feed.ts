// Live updates for the web app: which treatments have a new flag or message, by care unit.
//
// Flags are written by the worker (activities/events.ts) and messages by the API
// (clinical-work/service.ts); in production they may be separate processes, so an in-process
// emitter would miss the worker's writes. How the feed learns of them depends on the store
// (infra/store.ts), asked when the first stream opens:
//
// - With `store.capabilities.changeStreams` (a MongoDB replica set or sharded cluster) it watches
//   the inserts into `flags` and `messages` (two change streams per API process, only while at
//   least one stream is open; a message's care unit is read from its treatment). The streams start
//   `overlapMs` back, as the poller's first read does. Should a change stream fail (the driver
//   resumes on its own after what it can resume from), the feed logs it and polls from then on.
//   NOT TESTED HERE: the tests run FerretDB, which has no change streams (docs/operations.md).
// - Otherwise (FerretDB) one poller per API process reads the store every `intervalMs` (flags by
//   careUnitId + createdAt, messages by sentAt), only while at least one stream is open, for the
//   union of the care units of the open streams, and hands each new document's treatment id to the
//   streams of its care unit. Writers' clocks may differ a little from this process's: each poll
//   looks back `overlapMs` past the previous poll and drops the ids it has already seen.
import { mongo } from 'mongoose';
import { FlagModel, MessageModel } from '../../models/clinical';
import { Treatment } from '../../models/treatment';
import { logger } from '../../infra/logger';
import { store } from '../../infra/store';

export interface LiveEvent { type: 'flag' | 'message'; treatmentId: string }
type Listener = (event: LiveEvent) => void;
interface Subscriber { careUnits: string[]; listener: Listener }
type UnitEvent = LiveEvent & { careUnitId: string };

/** An insert as the feed's change streams report it (only the fields the pipeline keeps). */
export interface InsertChange { fullDocument?: { treatmentId?: unknown; careUnitId?: unknown } }
/** What the feed needs of a change stream (the driver's ChangeStream). */
export interface ChangeStreamLike {
  on(event: 'change', listener: (change: InsertChange) => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
  close(): Promise<void>;
}
export type WatchInserts = (collection: 'flags' | 'messages', pipeline: Array<Record<string, unknown>>, options: { startAtOperationTime: InstanceType<typeof mongo.Timestamp> }) => ChangeStreamLike;

export interface LiveFeedOptions {
  /** Whether to watch change streams instead of polling, asked when the first stream opens. Default: the store's capability. */
  changeStreams?: () => boolean;
  /** Opens a change stream (default: the models' collections; the unit tests give fakes). */
  watch?: WatchInserts;
  /** The care units of these treatments (default: one read of `treatments`). */
  careUnitsOf?: (treatmentIds: string[]) => Promise<Map<string, string>>;
}

const defaultWatch: WatchInserts = (collection, pipeline, options) =>
  (collection === 'flags' ? FlagModel : MessageModel).collection.watch(pipeline, options) as unknown as ChangeStreamLike;

async function defaultCareUnitsOf(treatmentIds: string[]): Promise<Map<string, string>> {
  const units = new Map<string, string>();
  for (const t of await Treatment.find({ _id: { $in: treatmentIds } }, { careUnitId: 1 }).lean<Array<{ _id: string; careUnitId: string }>>()) units.set(t._id, t.careUnitId);
  return units;
}

/** Inserts only, and of each only what the feed hands on (ids, never a message's text). */
const INSERTS = [{ $match: { operationType: 'insert' } }, { $project: { 'fullDocument.treatmentId': 1, 'fullDocument.careUnitId': 1 } }];

export class LiveFeed {
  private readonly subscribers = new Set<Subscriber>();
  private timer: NodeJS.Timeout | undefined;
  private streams: ChangeStreamLike[] = [];
  /** A change stream failed in this process: poll from then on. */
  private watchFailed = false;
  private since = new Date();
  private readonly seen = new Map<string, number>();
  private polling = false;
  private readonly changeStreams: () => boolean;
  private readonly watch: WatchInserts;
  private readonly careUnitsOf: (treatmentIds: string[]) => Promise<Map<string, string>>;

  constructor(private readonly intervalMs = 2000, private readonly overlapMs = 30_000, options: LiveFeedOptions = {}) {
    this.changeStreams = options.changeStreams ?? (() => store.capabilities.changeStreams);
    this.watch = options.watch ?? defaultWatch;
    this.careUnitsOf = options.careUnitsOf ?? defaultCareUnitsOf;
  }

  /** How the feed learns of new flags and messages now: `idle` with no stream open. */
  get mode(): 'idle' | 'polling' | 'watching' {
    return this.streams.length ? 'watching' : this.timer ? 'polling' : 'idle';
  }

  /** Events for treatments of these care units until the returned function is called. */
  subscribe(careUnits: string[], listener: Listener): () => void {
    const s: Subscriber = { careUnits, listener };
    this.subscribers.add(s);
    if (this.mode === 'idle') this.start();
    return () => {
      this.subscribers.delete(s);
      if (this.subscribers.size === 0) this.stop();
    };
  }

  private start(): void {
    this.since = new Date();
    if (!this.watchFailed && this.changeStreams()) {
      try {
        this.startWatching();
        return;
      } catch (err) {
        this.watchFailed = true;
        this.closeStreams();
        logger.warn({ err }, 'live feed: change streams could not be opened; polling instead');
      }
    }
    this.startPolling();
  }

  private startPolling(): void {
    this.timer = setInterval(() => { void this.poll(); }, this.intervalMs);
    this.timer.unref();
  }

  private stop(): void {
    if (this.timer) { clearInterval(this.timer); this.timer = undefined; }
    this.seen.clear();
    this.closeStreams();
  }

  private closeStreams(): void {
    const streams = this.streams;
    this.streams = [];
    for (const s of streams) s.close().catch(() => undefined);
  }

  private startWatching(): void {
    // Like the poller's first read, from `overlapMs` back: a write just before the first stream
    // opened (or on a writer whose clock is a little behind) still arrives.
    const startAtOperationTime = new mongo.Timestamp({ t: Math.floor((this.since.getTime() - this.overlapMs) / 1000), i: 0 });
    const flags = this.watch('flags', INSERTS, { startAtOperationTime });
    this.streams.push(flags);
    const messages = this.watch('messages', INSERTS, { startAtOperationTime });
    this.streams.push(messages);
    flags.on('change', (change) => {
      const { treatmentId, careUnitId } = change.fullDocument ?? {};
      if (typeof treatmentId === 'string' && typeof careUnitId === 'string') this.deliver([{ type: 'flag', treatmentId, careUnitId }]);
    });
    messages.on('change', (change) => {
      const treatmentId = change.fullDocument?.treatmentId;
      if (typeof treatmentId === 'string') void this.messageInserted(treatmentId);
    });
    for (const s of this.streams) s.on('error', (err) => this.watchError(s, err));
  }

  /** A message was inserted: its treatment's care unit (messages carry none), then the event. */
  private async messageInserted(treatmentId: string): Promise<void> {
    try {
      const careUnitId = (await this.careUnitsOf([treatmentId])).get(treatmentId);
      if (careUnitId) this.deliver([{ type: 'message', treatmentId, careUnitId }]);
    } catch (err) {
      logger.warn({ err }, 'live feed: the care unit of a new message could not be read');
    }
  }

  /** A change stream failed beyond what the driver resumes from: poll from now on (looking back `overlapMs`). */
  private watchError(stream: ChangeStreamLike, err: Error): void {
    if (!this.streams.includes(stream)) return; // closed already (the other stream failed, or the feed stopped)
    logger.warn({ err }, 'live feed: change stream failed; polling from now on');
    this.watchFailed = true;
    this.closeStreams();
    if (this.subscribers.size === 0) return;
    this.since = new Date();
    this.startPolling();
  }

  /** Hands each event to the streams of its care unit. */
  private deliver(events: Iterable<UnitEvent>): void {
    for (const { careUnitId, ...event } of events) {
      for (const s of this.subscribers) if (s.careUnits.includes(careUnitId)) s.listener(event);
    }
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
        for (const [id, unit] of await this.careUnitsOf(unknown)) unitOf.set(id, unit);
      }
      const events = new Map<string, UnitEvent>();
      for (const f of newFlags) events.set(`flag:${f.treatmentId}`, { type: 'flag', treatmentId: f.treatmentId, careUnitId: f.careUnitId });
      for (const m of newMessages) {
        const careUnitId = unitOf.get(m.treatmentId);
        if (careUnitId) events.set(`message:${m.treatmentId}`, { type: 'message', treatmentId: m.treatmentId, careUnitId });
      }
      this.deliver(events.values());
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
