// Contact verification in tests: read the code that was sent to an address (the harness captures
// every SMS and e-mail) and confirm it, as the owner of the address would.
import { expect } from 'chai';
import type { Harness } from './harness';
import { eventually } from './fixtures';

const CODE = /Kod: (\d{6})/;

/** Every verification code sent to this phone number or e-mail address, oldest first. */
export function codesTo(h: Harness, address: string): string[] {
  const texts = [
    ...h.sms.messages.filter((m) => m.to === address).map((m) => m.message),
    // Quoted-printable soft line breaks joined, so the code reads as one line.
    ...h.mails.filter((m) => m.to.includes(address)).map((m) => m.raw.replace(/=\r?\n/g, '')),
  ];
  return texts.map((t) => CODE.exec(t)?.[1]).filter((c): c is string => !!c);
}

/**
 * Confirms the caller's address on a channel with the code sent there: asks for a new code, or,
 * when one was just sent (a settings change sends one; asking again within a minute is 429), uses it.
 */
export async function confirmContact(h: Harness, token: string, who: 'clinician' | 'patient', channel: 'email' | 'sms', address: string): Promise<void> {
  const base = who === 'clinician' ? '/api/clinicians/me/settings' : '/api/me/settings';
  const before = codesTo(h, address).length;
  const asked = await h.request('POST', `${base}/verification-code`, { token, body: { channel } });
  if (asked.status === 409 && /already verified/.test(asked.body.detail)) return;
  expect(asked.status, JSON.stringify(asked.body)).to.be.oneOf([202, 429]);
  const code = asked.status === 202
    ? await eventually(async () => codesTo(h, address).length > before && codesTo(h, address).at(-1))
    : codesTo(h, address).at(-1);
  expect(code, `a code sent to ${address}`).to.be.a('string');
  const confirmed = await h.request('POST', `${base}/verify`, { token, body: { channel, code } });
  expect(confirmed.status, JSON.stringify(confirmed.body)).to.equal(200);
  expect(confirmed.body[channel === 'email' ? 'emailVerified' : 'phoneVerified']).to.equal(true);
}

/** A captured mail as text (headers and body), quoted-printable undone, so Swedish words read as written. */
export function mailText(raw: string): string {
  const joined = raw.replace(/=\r?\n/g, '');
  return joined.replace(/(=[0-9A-F]{2})+/g, (m) => Buffer.from(m.split('=').slice(1).map((x) => parseInt(x, 16))).toString('utf8'));
}

/** A captured mail's body as text (after the headers), quoted-printable undone. */
export function mailBody(raw: string): string {
  const text = mailText(raw);
  const blank = text.search(/\r?\n\r?\n/);
  return (blank < 0 ? text : text.slice(blank).trimStart()).trim();
}
