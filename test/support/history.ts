// Reads a history the way an attacker without the codec would (raw) and the way operations staff
// with the codec server would (decoded), so tests can look for personal data in both.
import type { Payload } from '@temporalio/common';
import type { TreatmentKeyCodec } from '../../infra/codec';

type History = { events?: unknown[] | null };

function payloadsIn(value: unknown, out: Payload[] = []): Payload[] {
  if (Array.isArray(value)) value.forEach((v) => payloadsIn(v, out));
  else if (value && typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (v.metadata && typeof v.metadata === 'object' && v.data instanceof Uint8Array) out.push(v as Payload);
    else Object.values(v).forEach((x) => payloadsIn(x, out));
  }
  return out;
}

const text = (p: Payload) => Buffer.from(p.data ?? new Uint8Array()).toString('utf8');

/** Everything in the history as stored: payload bytes as text (what a reader without the codec sees). */
export function rawHistoryText(history: History): string {
  return JSON.stringify(history) + payloadsIn(history.events).map(text).join('\n');
}

/** Every payload decoded with the codec, as text. Throws when a key is gone (shredded). */
export async function decodedHistoryText(history: History, codec: TreatmentKeyCodec): Promise<string> {
  const payloads = payloadsIn(history.events);
  const decoded = await codec.decode(payloads);
  return decoded.map(text).join('\n');
}

/** Decodes every payload of a history in place, so that a saved history replays with any key. */
export async function decodeHistoryInPlace<T extends History>(history: T, codec: TreatmentKeyCodec): Promise<T> {
  const payloads = payloadsIn(history.events);
  const decoded = await codec.decode(payloads);
  payloads.forEach((p, i) => {
    const d = decoded[i]!;
    (p as { metadata: unknown }).metadata = d.metadata;
    (p as { data: unknown }).data = d.data;
  });
  return history;
}
