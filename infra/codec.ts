// Payload encryption for everything the engine puts in Temporal: AES-256-GCM, the key id in the
// payload's metadata. Payloads of a treatment's workflow (and of its activities) use that
// treatment's own data key, kept in MongoDB wrapped by a master key; gallring deletes the data key,
// which makes every history of the treatment unreadable at once (crypto-shredding). Other
// payloads use the current master key. Master keys rotate: new payloads use the first, all decrypt.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec, SerializationContext } from '@temporalio/common';
import { METADATA_ENCODING_KEY } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { Schema, model } from 'mongoose';
import { isOperationsValue } from '../domain/summary';
import { onDuplicateKey } from './duplicate-key';
import { ActivityPlanModel } from '../models/clinical';

const ENCODING = 'binary/encrypted';
const KEY_ID = 'encryption-key-id';
/**
 * From release 1.2 each payload names the workflow it belongs to, and the key id and that workflow
 * id are the cipher's associated data: changing either label breaks the seal, and a worker or
 * client refuses a payload of another workflow than the one it decodes for (security #12).
 */
const BOUND_TO = 'encryption-bound-to';
const enc = new TextEncoder();
const dec = new TextDecoder();

/**
 * The one exemption from encryption: the operations summary and current details of a treatment
 * (ids and states in a fixed form, domain/summary.ts) and the workflow-metadata query's answer
 * that carries them, so the Temporal UI shows what a treatment is without decoding. Any other
 * value, however similar, is encrypted.
 */
function isOperationsPayload(p: Payload): boolean {
  if (dec.decode(p.metadata?.[METADATA_ENCODING_KEY] ?? new Uint8Array()) !== 'json/plain' || !p.data || p.data.length > 4000) return false;
  try {
    return isOperationsValue(JSON.parse(dec.decode(p.data)));
  } catch {
    return false;
  }
}

export interface MasterKey { id: string; key: Buffer }

/** PAYLOAD_KEYS: "id:base64key,id2:base64key"; the first encrypts, all decrypt. */
export function parseMasterKeys(value: string): MasterKey[] {
  return value.split(',').map((part) => {
    const [id, b64] = part.split(':');
    const key = Buffer.from(b64 ?? '', 'base64');
    if (!id || !/^[A-Za-z0-9_-]{1,32}$/.test(id) || key.length !== 32) {
      throw new Error('PAYLOAD_KEYS must be "id:base64-32-byte-key[,id:key…]"');
    }
    return { id, key };
  });
}

function seal(key: Buffer, plain: Uint8Array, aad?: string): Uint8Array {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  if (aad !== undefined) cipher.setAAD(Buffer.from(aad));
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]);
}

function open(key: Buffer, sealed: Uint8Array, aad?: string): Buffer {
  const buf = Buffer.from(sealed);
  const decipher = createDecipheriv('aes-256-gcm', key, buf.subarray(0, 12));
  if (aad !== undefined) decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(buf.subarray(buf.length - 16));
  return Buffer.concat([decipher.update(buf.subarray(12, buf.length - 16)), decipher.final()]);
}

// A treatment's data key, wrapped by a master key. After gallring only a tombstone remains.
const dataKeySchema = new Schema(
  {
    _id: { type: String, required: true }, // `t:<treatmentId>`
    masterKeyId: { type: String, default: null },
    wrapped: { type: String, default: null },
    createdAt: { type: Date, required: true },
    shreddedAt: { type: Date, default: null },
  },
  { versionKey: false },
);
export const DataKey = model('DataKey', dataKeySchema, 'data_keys');

export const TREATMENT_WORKFLOW_PREFIX = 'treatment-';

/** The treatment a payload belongs to, from the serialization context Temporal gives the codec. */
export function treatmentOf(context?: SerializationContext): string | null {
  const workflowId = context?.workflowId;
  return workflowId?.startsWith(TREATMENT_WORKFLOW_PREFIX) ? workflowId.slice(TREATMENT_WORKFLOW_PREFIX.length) : null;
}

/** An activity plan's child workflow (workflows/definitions.ts planWorkflowIdFor): its payloads are its treatment's. */
export const PLAN_WORKFLOW_PREFIX = 'activity-plan-';

const MAX_CACHED = 10_000;

/** A payload that cannot be read: unknown key, shredded key, or ciphertext that does not open. */
export class UndecodablePayload extends Error {}

/** The treatment whose data key encrypts a payload, or null (a master-key payload). */
export function treatmentOfPayload(p: Payload): string | null {
  const keyId = keyIdOf(p);
  return keyId.startsWith('t:') ? keyId.slice(2) : null;
}

const keyIdOf = (p: Payload) => dec.decode(p.metadata?.[KEY_ID] ?? new Uint8Array());

export class TreatmentKeyCodec implements PayloadCodec {
  private readonly cache = new Map<string, { key: Buffer | null; until: number }>();

  /** Keys are cached briefly (a shredded key stays readable elsewhere at most this long) and at most MAX_CACHED of them. */
  constructor(private readonly masterKeys: MasterKey[], private readonly cacheMs = 5_000) {}

  private remember(keyId: string, entry: { key: Buffer | null; until: number }): void {
    // Attacker-chosen key ids must not grow the cache without bound: the oldest entry goes first.
    if (this.cache.size >= MAX_CACHED && !this.cache.has(keyId)) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(keyId, entry);
  }

  private master(id: string): Buffer {
    const m = this.masterKeys.find((k) => k.id === id);
    if (!m) throw new UndecodablePayload(`unknown master key "${id}"`);
    return m.key;
  }

  /** Reads of data keys under way ahead of their use (warm()). */
  private readonly warming = new Map<string, Promise<void>>();

  /**
   * Reads a treatment's data key into the cache ahead of its first use, so that a command's update
   * does not wait for it (the API calls this beside the visibility read). Only a key found is
   * kept, and not over anything the cache learnt meanwhile (a shred): a missing or shredded key
   * is left to the ordinary lookup.
   */
  warm(treatmentId: string): void {
    const keyId = `t:${treatmentId}`;
    const before = this.cache.get(keyId);
    if ((before && before.until > Date.now()) || this.warming.has(keyId)) return;
    const read = DataKey.findById(keyId).lean().then((doc) => {
      if (!doc?.wrapped || !doc.masterKeyId || this.cache.get(keyId) !== before) return;
      this.remember(keyId, { key: open(this.master(doc.masterKeyId), Buffer.from(doc.wrapped, 'base64')), until: Date.now() + this.cacheMs });
    }).catch(() => undefined).finally(() => this.warming.delete(keyId));
    this.warming.set(keyId, read);
  }

  /**
   * A new treatment's data key, made ahead of its workflow's start (the API calls this once it has
   * claimed the treatment): an insert, without the reads before and after it that a first use
   * makes. A key that exists already (a retried start) is left to the ordinary lookup.
   */
  prepareNew(treatmentId: string): void {
    const keyId = `t:${treatmentId}`;
    if (this.cache.get(keyId) || this.warming.has(keyId)) return;
    const fresh = randomBytes(32);
    const current = this.masterKeys[0]!;
    const made = DataKey.create({ _id: keyId, masterKeyId: current.id, wrapped: Buffer.from(seal(current.key, fresh)).toString('base64'), createdAt: new Date() })
      .then(() => this.remember(keyId, { key: fresh, until: Date.now() + this.cacheMs }))
      .catch(() => undefined).finally(() => this.warming.delete(keyId));
    this.warming.set(keyId, made);
  }

  /** The treatment's data key, created on first use; null once shredded. */
  private async dataKey(keyId: string, create: boolean): Promise<Buffer | null> {
    await this.warming.get(keyId);
    const hit = this.cache.get(keyId);
    if (hit && hit.until > Date.now()) return hit.key;
    let doc = await DataKey.findById(keyId).lean();
    if (!doc && create) {
      const fresh = randomBytes(32);
      const current = this.masterKeys[0]!;
      // Another process may make it first: then its key is the one read below.
      await onDuplicateKey(() => DataKey.create({ _id: keyId, masterKeyId: current.id, wrapped: Buffer.from(seal(current.key, fresh)).toString('base64'), createdAt: new Date() }), () => undefined);
      doc = await DataKey.findById(keyId).lean();
    }
    const key = doc?.wrapped && doc.masterKeyId ? open(this.master(doc.masterKeyId), Buffer.from(doc.wrapped, 'base64')) : null;
    this.remember(keyId, { key, until: Date.now() + this.cacheMs });
    return key;
  }

  /** Gallring: the data key is gone for good; a tombstone keeps it from being made again. */
  async shred(treatmentId: string): Promise<void> {
    const keyId = `t:${treatmentId}`;
    await DataKey.updateOne({ _id: keyId }, { $set: { wrapped: null, masterKeyId: null, shreddedAt: new Date() }, $setOnInsert: { createdAt: new Date() } }, { upsert: true });
    this.remember(keyId, { key: null, until: Number.MAX_SAFE_INTEGER });
  }

  /** Plan id → its treatment (never changes once the plan exists). */
  private readonly planTreatments = new Map<string, string>();

  /**
   * The treatment whose key seals a payload: the treatment workflow's own, and an activity plan's
   * child workflow's too (security #4: gallring's crypto-shredding reaches the plans' histories).
   */
  private async treatmentFor(context?: SerializationContext): Promise<string | null> {
    const direct = treatmentOf(context);
    const workflowId = context?.workflowId;
    if (direct || !workflowId?.startsWith(PLAN_WORKFLOW_PREFIX)) return direct;
    const planId = workflowId.slice(PLAN_WORKFLOW_PREFIX.length);
    const known = this.planTreatments.get(planId);
    if (known) return known;
    const plan = await ActivityPlanModel.findById(planId, { treatmentId: 1 }).lean<{ treatmentId?: string }>();
    if (!plan?.treatmentId) return null; // gone after gallring: the master key, as for a treatment's last words
    if (this.planTreatments.size >= MAX_CACHED) this.planTreatments.delete(this.planTreatments.keys().next().value!);
    this.planTreatments.set(planId, plan.treatmentId);
    return plan.treatmentId;
  }

  async encode(payloads: Payload[], context?: SerializationContext): Promise<Payload[]> {
    const treatment = await this.treatmentFor(context);
    let keyId = `m:${this.masterKeys[0]!.id}`;
    let key = this.masterKeys[0]!.key;
    if (treatment) {
      const dataKey = await this.dataKey(`t:${treatment}`, true);
      // After gallring the workflow's last words (its completion) carry nothing personal.
      if (dataKey) { keyId = `t:${treatment}`; key = dataKey; }
    }
    // Never empty, so its presence survives every encoding of the metadata map.
    const boundTo = `wf:${context?.workflowId ?? ''}`;
    return payloads.map((p) => (isOperationsPayload(p) ? p : {
      metadata: { [METADATA_ENCODING_KEY]: enc.encode(ENCODING), [KEY_ID]: enc.encode(keyId), [BOUND_TO]: enc.encode(boundTo) },
      data: seal(key, temporal.api.common.v1.Payload.encode(p).finish(), `${keyId}\n${boundTo}`),
    }));
  }

  async decode(payloads: Payload[], context?: SerializationContext): Promise<Payload[]> {
    return Promise.all(payloads.map(async (p) => {
      if (!p.metadata || dec.decode(p.metadata[METADATA_ENCODING_KEY] ?? new Uint8Array()) !== ENCODING) return p;
      const keyId = keyIdOf(p);
      // Payloads written before release 1.2 carry no binding and open as they were sealed.
      const bound = p.metadata[BOUND_TO] ? dec.decode(p.metadata[BOUND_TO]) : undefined;
      if (bound !== undefined && bound !== 'wf:' && context?.workflowId && bound !== `wf:${context.workflowId}`) {
        throw new UndecodablePayload('the payload belongs to another workflow');
      }
      let key: Buffer | null;
      if (keyId.startsWith('m:')) key = this.master(keyId.slice(2));
      else if (keyId.startsWith('t:')) key = await this.dataKey(keyId, false);
      else throw new UndecodablePayload(`payload has an unknown key id "${keyId}"`);
      if (!key) throw new UndecodablePayload(`the data key ${keyId} has been shredded (gallring): this payload can no longer be read`);
      try {
        return temporal.api.common.v1.Payload.decode(open(key, p.data ?? new Uint8Array(), bound === undefined ? undefined : `${keyId}\n${bound}`));
      } catch {
        throw new UndecodablePayload('the payload does not decrypt with its key');
      }
    }));
  }
}
