// Verified contact addresses (security, issue 13 point 14): health-related notices go only to an
// e-mail address or phone number whose owner entered the one-time code sent there.
import { expect } from 'chai';
import { harness, type Harness } from './support/harness';
import { eventually, testPersonnummer } from './support/fixtures';
import { settled } from './support/settle';
import { codesTo } from './support/verify';
import { ClinicianModel, NotificationModel } from '../models/clinical';
import { Patient } from '../models/patient';
import { render } from '../infra/notify';

describe('verified contact addresses (security #14)', function () {
  this.timeout(120_000);
  let h: Harness;
  const UNIT = 'unit-verify';

  before(async () => {
    h = await harness();
  });

  const smsTo = (phone: string) => h.sms.messages.filter((m) => m.to === phone);
  const mailTo = (address: string) => h.mails.filter((m) => m.to.includes(address));
  const clinicianToken = (hsa: string) => h.token({ role: 'clinician', sub: hsa, careUnits: [UNIT] });

  /** A treatment of this clinician whose patient has signed in; returns the patient's token. */
  async function startAndSignIn(token: string, patient: { phone?: string; email?: string } = {}) {
    const pnr = testPersonnummer();
    const res = await h.request('POST', '/api/treatments', { token, body: { personnummer: pnr, programId: 'tobakshjalpen', careUnitId: UNIT, patient } });
    expect(res.status).to.equal(201);
    const patientToken = await h.token({ role: 'patient', sub: pnr });
    expect((await h.request('GET', '/api/me/treatment', { token: patientToken })).status).to.equal(200);
    return { id: res.body.id as string, pnr, patient: patientToken };
  }

  it('attack: a clinician sets a victim\'s e-mail and phone in their profile: no flag notice reaches them until the code is confirmed', async () => {
    const token = await clinicianToken('SE2321000016-8101');
    const victim = { email: 'victim8101@example.se', phone: '070-810 10 10' };
    const put = await h.request('PUT', '/api/clinicians/me/settings', { token, body: { ...victim, emailFlagTypes: ['message_received'], smsFlagTypes: ['message_received'] } });
    expect(put.status).to.equal(200);
    expect(put.body).to.include({ ...victim, emailVerified: false, phoneVerified: false });
    // The victim receives only a code, which says nothing about any patient.
    expect(codesTo(h, victim.phone)).to.have.length(1);
    expect(codesTo(h, victim.email)).to.have.length(1);
    expect(smsTo(victim.phone)[0]!.message).to.not.match(/nytt meddelande|flagga|invånare/i);

    const { id, patient } = await startAndSignIn(token);
    await h.request('POST', '/api/me/treatment/conversations', { token: patient, body: { subject: 'Fråga', text: 'Hemlig fråga' } });
    const skipped = await eventually(async () => {
      const n = await NotificationModel.find({ treatmentId: id, recipient: 'clinician' }).lean();
      return n.length === 2 ? n : null;
    });
    expect(skipped.map((n) => n.status)).to.deep.equal(['skipped_unverified', 'skipped_unverified']);
    await settled(h, id);
    expect(smsTo(victim.phone)).to.have.length(1); // the code only
    expect(mailTo(victim.email)).to.have.length(1);

    // Whoever holds the phone enters its code: from then on the flag notices go there (and only there).
    const code = codesTo(h, victim.phone)[0]!;
    const confirmed = await h.request('POST', '/api/clinicians/me/settings/verify', { token, body: { channel: 'sms', code } });
    expect(confirmed.status).to.equal(200);
    expect(confirmed.body).to.include({ phoneVerified: true, emailVerified: false });
    await h.request('POST', '/api/me/treatment/conversations', { token: patient, body: { subject: 'Fråga 2', text: 'Hemlig fråga 2' } });
    await eventually(async () => smsTo(victim.phone).some((m) => /nytt meddelande/.test(m.message)));
    await settled(h, id);
    expect(mailTo(victim.email)).to.have.length(1);
    expect(await NotificationModel.countDocuments({ treatmentId: id, channel: 'email', status: 'skipped_unverified' })).to.equal(2);

    // Changing the number makes it unverified again, and a code goes to the new one.
    const moved = await h.request('PUT', '/api/clinicians/me/settings', { token, body: { ...victim, phone: '070-810 10 11', emailFlagTypes: [], smsFlagTypes: ['message_received'] } });
    expect(moved.body).to.include({ phoneVerified: false });
    expect(codesTo(h, '070-810 10 11')).to.have.length(1);
  });

  it('wrong, malformed, expired and over-tried codes are refused with 4xx naming the code; codes are kept only as hashes and rate-limited', async () => {
    const hsa = 'SE2321000016-8202';
    const token = await clinicianToken(hsa);
    const phone = '070-820 20 20';
    await h.request('PUT', '/api/clinicians/me/settings', { token, body: { email: null, phone, emailFlagTypes: [] } });
    const code = codesTo(h, phone).at(-1)!;
    expect(code).to.match(/^\d{6}$/);
    const wrong = code === '000000' ? '111111' : '000000';
    const verify = (c: string, channel = 'sms') => h.request('POST', '/api/clinicians/me/settings/verify', { token, body: { channel, code: c } });

    // The code is nowhere in the store: the profile holds a keyed hash, the outbox only the template.
    const stored = JSON.stringify(await ClinicianModel.findById(hsa).lean());
    expect(stored).to.not.contain(code);
    expect(JSON.stringify(await NotificationModel.find({ to: phone }).lean())).to.not.contain(code);

    const malformed = await verify('12ab');
    expect(malformed.status).to.equal(400);
    expect(malformed.body.errors[0].field).to.equal('code');
    const noEmail = await verify(code, 'email');
    expect(noEmail.status).to.equal(409);

    // Asking again within a minute while the code is live: 429.
    expect((await h.request('POST', '/api/clinicians/me/settings/verification-code', { token, body: { channel: 'sms' } })).status).to.equal(429);

    // Expired: 400 naming the code.
    await ClinicianModel.updateOne({ _id: hsa }, { $set: { 'verification.sms.expiresAt': new Date(Date.now() - 1000) } });
    const expired = await verify(code);
    expect(expired.status).to.equal(400);
    expect(expired.body.errors[0]).to.include({ field: 'code' });
    expect(expired.body.errors[0].message).to.match(/expired/);

    // A new code (the old one is no longer live); five wrong tries burn it, and then even the right one is refused.
    const fresh = await h.request('POST', '/api/clinicians/me/settings/verification-code', { token, body: { channel: 'sms' } });
    expect(fresh.status).to.equal(202);
    expect(fresh.body.channel).to.equal('sms');
    expect(Date.parse(fresh.body.expiresAt) - Date.now()).to.be.within(14 * 60_000, 15 * 60_000 + 1000);
    const second = codesTo(h, phone).at(-1)!;
    const wrong2 = second === '000000' ? '111111' : '000000';
    for (let i = 1; i <= 4; i++) {
      const r = await verify(wrong2);
      expect(r.status).to.equal(400);
      expect(r.body.errors[0]).to.include({ field: 'code' });
      expect(r.body.errors[0].message).to.contain(`${5 - i} attempts left`);
    }
    const fifth = await verify(wrong2);
    expect(fifth.status).to.equal(429);
    expect(fifth.body.errors[0]).to.include({ field: 'code' });
    const burnt = await verify(second);
    expect(burnt.status).to.equal(429);
    expect((await h.request('GET', '/api/clinicians/me/settings', { token })).body.phoneVerified).to.equal(false);
    expect(wrong).to.not.equal(code);

    // A third code works; confirming is what verifies.
    expect((await h.request('POST', '/api/clinicians/me/settings/verification-code', { token, body: { channel: 'sms' } })).status).to.equal(202);
    const ok = await verify(codesTo(h, phone).at(-1)!);
    expect(ok.status).to.equal(200);
    expect(ok.body.phoneVerified).to.equal(true);
    // Already verified: no new code.
    expect((await h.request('POST', '/api/clinicians/me/settings/verification-code', { token, body: { channel: 'sms' } })).status).to.equal(409);

    // At most five codes an hour per owner and channel, however the address changes.
    for (let i = 0; i < 3; i++) {
      await h.request('PUT', '/api/clinicians/me/settings', { token, body: { email: null, phone: `070-820 20 3${i}`, emailFlagTypes: [] } });
    }
    expect(codesTo(h, '070-820 20 32')).to.have.length(0); // the sixth: not sent
    const capped = await h.request('POST', '/api/clinicians/me/settings/verification-code', { token, body: { channel: 'sms' } });
    expect(capped.status).to.equal(429);
  });

  it('the patient: the address the clinician typed gets neutral notices; the full ones only after the patient confirms it with the code', async () => {
    const token = await clinicianToken('SE2321000016-8303');
    const phone = '070-830 30 30';
    const email = 'patient8303@example.se';
    const { id, patient } = await startAndSignIn(token, { phone, email });
    const invitation = await eventually(async () => smsTo(phone).find((m) => /inbjudan/.test(m.message)));
    expect(invitation.message).to.not.match(/tobak|snus|nikotin|rök|Tobakshjälpen/i);
    const settings = await h.request('GET', '/api/me/settings', { token: patient });
    expect(settings.body).to.include({ phone, email, phoneVerified: false, emailVerified: false });
    // The clinician sees that the patient has not confirmed them yet.
    expect((await h.request('GET', `/api/treatments/${id}`, { token })).body.patient).to.include({ phone, phoneVerified: false, emailVerified: false });

    await h.request('POST', `/api/treatments/${id}/conversations`, { token, body: { subject: 'Hej', text: 'x', notify: true } });
    // Unconfirmed, typed by the clinician: the neutral form (test/notices.test.ts walks every kind).
    const neutral = await eventually(async () => smsTo(phone).find((m) => /meddelande/.test(m.message)));
    expect(neutral.message).to.match(/^Du har ett nytt meddelande i 1177:s e-tjänster/).and.not.match(/tobak|behandl/i);

    // Saving the typed number in Inställningar sends a code (a typo is the common failure); a wrong code is 400 naming it.
    const saved = await h.request('PUT', '/api/me/settings', { token: patient, body: { phone, email, notifyBySms: true, notifyByEmail: true } });
    expect(saved.body).to.include({ phoneVerified: false, emailVerified: false });
    const code = codesTo(h, phone).at(-1)!;
    expect(codesTo(h, email)).to.have.length(1);
    const wrong = await h.request('POST', '/api/me/settings/verify', { token: patient, body: { channel: 'sms', code: code === '999999' ? '999998' : '999999' } });
    expect(wrong.status).to.equal(400);
    expect(wrong.body.errors[0].field).to.equal('code');
    const ok = await h.request('POST', '/api/me/settings/verify', { token: patient, body: { channel: 'sms', code } });
    expect(ok.status).to.equal(200);
    expect(ok.body).to.include({ phoneVerified: true, emailVerified: false });
    expect((await h.request('GET', `/api/treatments/${id}`, { token })).body.patient).to.include({ phoneVerified: true, emailVerified: false });

    await h.request('POST', `/api/treatments/${id}/conversations`, { token, body: { subject: 'Hej igen', text: 'y', notify: true } });
    await eventually(async () => smsTo(phone).some((m) => /meddelande från din behandlare i Tobakshjälpen/.test(m.message)));
    // The e-mail is still unconfirmed: neutral, from the neutral sender; the second, within the
    // coalescing window of the first, is coalesced with it (security #6).
    const email2 = await eventually(async () => {
      const n = await NotificationModel.find({ treatmentId: id, channel: 'email', template: /new_message/ }).sort({ createdAt: 1 }).lean();
      return n.length === 2 && n[0]!.status === 'sent' ? n : null;
    });
    expect(email2.map((n) => [n.status, JSON.parse(n.template).form])).to.deep.equal([['sent', 'neutral'], ['coalesced', 'neutral']]);
    expect(mailTo(email).filter((m) => /Tobakshj/.test(m.raw))).to.have.length(0);

    // A new number is unverified again, and gets its own code; the patient record keeps the proof per address.
    const moved = await h.request('PUT', '/api/me/settings', { token: patient, body: { phone: '070-830 30 31', email, notifyBySms: true, notifyByEmail: true } });
    expect(moved.body).to.include({ phoneVerified: false });
    expect(codesTo(h, '070-830 30 31')).to.have.length(1);
    const record = await Patient.findOne({ phone: '070-830 30 31' }).lean();
    expect(JSON.stringify(record)).to.not.contain(codesTo(h, '070-830 30 31')[0]);
  });

  it('a code that cannot be delivered ends failed in the outbox, answers 503, and leaves nothing to guess', async () => {
    const hsa = 'SE2321000016-8404';
    const token = await clinicianToken(hsa);
    const email = 'nobody8404@mailbox.invalid'; // the test mail server refuses this mailbox
    const put = await h.request('PUT', '/api/clinicians/me/settings', { token, body: { email, phone: null, emailFlagTypes: ['message_received'] } });
    expect(put.status).to.equal(200); // saving works; the code just did not go out
    expect(put.body.emailVerified).to.equal(false);
    const asked = await h.request('POST', '/api/clinicians/me/settings/verification-code', { token, body: { channel: 'email' } });
    expect(asked.status).to.equal(503);
    const outbox = await NotificationModel.find({ to: email }).lean();
    expect(outbox.map((n) => n.status)).to.deep.equal(['failed', 'failed']);
    const guess = await h.request('POST', '/api/clinicians/me/settings/verify', { token, body: { channel: 'email', code: '123456' } });
    expect(guess.status).to.equal(400);
    expect(guess.body.errors[0].field).to.equal('code');
  });

  it('the invitation and its reminder, sent to an unverified address, carry no health data', () => {
    for (const notice of ['treatment_started', 'not_started'] as const) {
      const { subject, text } = render({ kind: 'patient', notice }, h.config.notifications.publicUrl);
      expect(`${subject} ${text}`).to.not.match(/tobak|snus|nikotin|rök|Tobakshjälpen|behandl|vårdenhet/i);
    }
  });
});
