// Contact verification (issue 13, point 14): an e-mail address or phone number of a clinician or a
// patient is unverified until its owner proves they receive it, by entering a one-time code sent
// there. Health-related notices go only to verified addresses (activities/notifications.ts).
//
// A code is 6 digits from node:crypto's randomInt, stored only as an HMAC keyed with the server's
// patient-key secret and bound to the owner, the channel and the address; it expires after
// CODE_MINUTES and is burnt after MAX_ATTEMPTS wrong guesses. Codes go through the outbox like every
// notice (the per-recipient quota applies), delivered at once by the API, which alone holds the code.
import { createHmac, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Model } from 'mongoose';
import { z } from 'zod';
import pRetry from 'p-retry';
import type { Config } from '../infra/config';
import { createTransports } from '../infra/notify';
import { notificationDelivery, notificationQueue } from '../activities/notifications';
import type { PendingCode } from '../models/verification';
import { NotificationModel } from '../models/clinical';
import { updateByIdWhere } from '../infra/store';
import { HttpError, conflict } from './errors';

export const CODE_MINUTES = 15;
/** Wrong codes before the code is burnt and a new one must be asked for. */
export const MAX_ATTEMPTS = 5;
/** A new code for the same address while the last one is unused and younger than this: 429. */
export const RESEND_AFTER_MS = 60_000;
/** Codes per owner and channel per hour. */
export const MAX_CODES_PER_HOUR = 5;
/** Delivery attempts while the caller waits (at most NOTIFICATION_MAX_ATTEMPTS); then `failed` and 503. */
const SEND_ATTEMPTS = 3;

export const CHANNELS = ['email', 'sms'] as const;
export type Channel = typeof CHANNELS[number];

export const channelBody = z.strictObject({ channel: z.enum(CHANNELS) });
export const verifyBody = z.strictObject({ channel: z.enum(CHANNELS), code: z.string().trim().regex(/^\d{6}$/, 'must be the 6 digits that were sent') });

/** The answer to "send me a code". */
export const codeSent = z.object({ channel: z.enum(CHANNELS), expiresAt: z.iso.datetime() }).meta({ id: 'VerificationCodeSent' });

/** What a verifiable owner's document holds (a patient's or a clinician's). */
export interface Verifiable {
  _id: string;
  email?: string | null; phone?: string | null;
  verifiedEmail?: string | null; verifiedPhone?: string | null;
  verification?: { email?: PendingCode | null; sms?: PendingCode | null } | null;
}

export interface Owner {
  kind: 'patient' | 'clinician';
  // Model<any>: the patient's and the clinician's models.
  model: Model<any>;
  id: string;
  /** The outbox row's treatment (the patient's, so gallring removes it); null for a clinician. */
  treatmentId: string | null;
}

const addressOf = (doc: Verifiable | null, channel: Channel) => (channel === 'email' ? doc?.email : doc?.phone) ?? null;
const verifiedOf = (doc: Verifiable | null, channel: Channel) => (channel === 'email' ? doc?.verifiedEmail : doc?.verifiedPhone) ?? null;

/** The fields the settings answers read. */
export type ContactFields = Pick<Verifiable, 'email' | 'phone' | 'verifiedEmail' | 'verifiedPhone'>;

/** `emailVerified` and `phoneVerified` for the settings answers. */
export function verificationState(doc: ContactFields | null) {
  return {
    emailVerified: !!doc?.email && doc.verifiedEmail === doc.email,
    phoneVerified: !!doc?.phone && doc.verifiedPhone === doc.phone,
  };
}

export function contactVerification(config: Config) {
  const queue = notificationQueue({ config });
  const deliver = notificationDelivery({ config, transports: createTransports(config) });

  const hashOf = (owner: Owner, channel: Channel, address: string, code: string) =>
    createHmac('sha256', config.patientKeySecret).update(`contact-verification\0${owner.kind}\0${owner.id}\0${channel}\0${address}\0${code}`).digest('hex');

  const load = async (owner: Owner) => (await owner.model.findById(owner.id).lean()) as Verifiable | null;

  /**
   * Sends a new code to the owner's current address on this channel. `quiet` (a settings change)
   * sends nothing, rather than failing, when a limit is reached; otherwise a limit answers 429.
   */
  async function sendCode(owner: Owner, channel: Channel, opts: { quiet?: boolean } = {}): Promise<{ channel: Channel; expiresAt: string } | null> {
    const doc = await load(owner);
    const address = addressOf(doc, channel);
    const field = channel === 'email' ? 'email' : 'phone';
    if (!address) { if (opts.quiet) return null; throw conflict(`no ${field} in the settings to verify`); }
    if (verifiedOf(doc, channel) === address) { if (opts.quiet) return null; throw conflict(`the ${field} is already verified`); }
    const now = Date.now();
    const pending = doc?.verification?.[channel] ?? null;
    const sent = (pending?.sent ?? []).filter((d) => now - new Date(d).getTime() < 3_600_000);
    const live = pending?.hash && pending.address === address && pending.expiresAt && pending.expiresAt.getTime() > now;
    const lastSent = sent.length ? Math.max(...sent.map((d) => new Date(d).getTime())) : 0;
    const refusal = sent.length >= MAX_CODES_PER_HOUR ? `at most ${MAX_CODES_PER_HOUR} codes per hour; try again later`
      : live && now - lastSent < RESEND_AFTER_MS ? 'a code was sent less than a minute ago; wait for it or try again in a minute'
        : null;
    if (refusal) {
      if (opts.quiet) return null;
      throw new HttpError(429, 'Too many requests', refusal, [{ field: 'channel', message: refusal, code: 'rate_limited' }]);
    }
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const expiresAt = new Date(now + CODE_MINUTES * 60_000);
    const state: PendingCode = { address, hash: hashOf(owner, channel, address, code), expiresAt, attempts: 0, sent: [...sent, new Date(now)] };
    await owner.model.updateOne({ _id: owner.id }, { $set: { [`verification.${channel}`]: state } });
    const id = `verify:${owner.kind}:${owner.id}:${channel}:${randomUUID()}`;
    await queue.queueNotification(id, {
      treatmentId: owner.treatmentId, channel, recipient: owner.kind, to: address,
      template: { kind: 'verification', recipient: owner.kind, channel, minutes: CODE_MINUTES },
    });
    // Delivered now, while the caller waits; the code lives only in this call.
    const attempts = Math.min(SEND_ATTEMPTS, config.notifications.maxAttempts);
    let status = (await NotificationModel.findById(id, { status: 1 }).lean())?.status ?? 'gone';
    if (status === 'pending') {
      // Each attempt at once (the caller waits): one short of the last throws when not delivered, and is tried again.
      status = await pRetry((attempt) => deliver(id, attempt, code, attempts), { retries: attempts - 1, minTimeout: 0, maxTimeout: 0 }).catch(() => 'pending');
    }
    if (status !== 'sent') {
      // A code that was not sent (over the per-recipient quota, or undeliverable) cannot be guessed at.
      await owner.model.updateOne({ _id: owner.id }, { $set: { [`verification.${channel}.hash`]: null } });
      if (opts.quiet) return null;
      if (status === 'suppressed') throw new HttpError(429, 'Too many requests', 'too many notices to this address in the last hour; try again later', [{ field: 'channel', message: 'too many notices to this address', code: 'rate_limited' }]);
      throw new HttpError(503, 'Service unavailable', 'the code could not be sent; try again later');
    }
    return { channel, expiresAt: expiresAt.toISOString() };
  }

  /** After a settings change: a code to each address that is set, unverified and has no live code. */
  async function afterChange(owner: Owner): Promise<void> {
    const doc = await load(owner);
    for (const channel of CHANNELS) {
      const address = addressOf(doc, channel);
      const pending = doc?.verification?.[channel];
      const live = pending?.hash && pending.address === address && pending.expiresAt && pending.expiresAt.getTime() > Date.now();
      if (address && verifiedOf(doc, channel) !== address && !live) await sendCode(owner, channel, { quiet: true });
    }
  }

  /** Checks a code: 400 naming `code` when wrong, expired or for another address; 429 when burnt. */
  async function confirm(owner: Owner, channel: Channel, code: string): Promise<void> {
    const doc = await load(owner);
    const address = addressOf(doc, channel);
    const field = channel === 'email' ? 'email' : 'phone';
    if (!address) throw conflict(`no ${field} in the settings to verify`);
    if (verifiedOf(doc, channel) === address) return; // already verified: confirming again changes nothing
    const pending = doc?.verification?.[channel];
    const refuse = (message: string, code: string, status = 400) => new HttpError(status, status === 429 ? 'Too many requests' : 'Invalid request', `code: ${message}`, [{ field: 'code', message, code }]);
    if (!pending || pending.address !== address || (!pending.hash && pending.attempts < MAX_ATTEMPTS)) throw refuse(`no code is waiting for this ${field}; ask for a new one`, 'no_code');
    if (pending.attempts >= MAX_ATTEMPTS) throw refuse(`too many wrong codes; ask for a new one`, 'rate_limited', 429);
    if (!pending.expiresAt || pending.expiresAt.getTime() <= Date.now()) throw refuse('the code has expired; ask for a new one', 'code_expired');
    const given = Buffer.from(hashOf(owner, channel, address, code), 'hex');
    if (given.length === 32 && timingSafeEqual(given, Buffer.from(pending.hash!, 'hex'))) {
      // Only if the address and code are still the ones checked (a concurrent change wins).
      const done = await updateByIdWhere(owner.model, owner.id,
        { [channel === 'email' ? 'email' : 'phone']: address, [`verification.${channel}.hash`]: pending.hash },
        { $set: { [channel === 'email' ? 'verifiedEmail' : 'verifiedPhone']: address, [`verification.${channel}.hash`]: null } });
      if (!done) throw refuse('the settings changed meanwhile; ask for a new code', 'no_code');
      return;
    }
    const attempts = pending.attempts + 1;
    await updateByIdWhere(owner.model, owner.id, { [`verification.${channel}.hash`]: pending.hash, [`verification.${channel}.attempts`]: pending.attempts },
      { $set: { [`verification.${channel}.attempts`]: attempts, ...(attempts >= MAX_ATTEMPTS ? { [`verification.${channel}.hash`]: null } : {}) } });
    throw attempts >= MAX_ATTEMPTS
      ? refuse('wrong code, and too many wrong codes; ask for a new one', 'rate_limited', 429)
      : refuse(`wrong code; ${MAX_ATTEMPTS - attempts} attempts left`, 'wrong_code');
  }

  return { sendCode, afterChange, confirm };
}

export type ContactVerification = ReturnType<typeof contactVerification>;
