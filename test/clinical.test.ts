// Clinical work end to end on real servers: deadlines, forms, flags, messages, timeline, change of
// clinician, and notifications received by a real SMTP server and a local SMS gateway.
import { expect } from 'chai';
import { harness, type Harness } from './support/harness';
import { eventually, swedishDaysAhead, testPersonnummer } from './support/fixtures';
import { quietFor, settled } from './support/settle';
import { randomUUID } from 'node:crypto';
import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import { FlagModel, NotificationModel, TimelineModel } from '../models/clinical';
import { AccessLog } from '../models/access-log';
import { stateQuery, TREATMENT_WORKFLOW } from '../workflows/definitions';
import { planOf } from '../domain/program';
import { loadPrograms } from '../infra/programs';
import { createTransports, render } from '../infra/notify';
import { createActivities } from '../activities';
import type { TreatmentInput } from '../domain/types';
import { workflowIdFor } from '../workflows/definitions';
import { decodedHistoryText, rawHistoryText } from './support/history';
import { payloadCodec } from '../infra/data-converter';
import { Patient } from '../models/patient';
import { codesTo, confirmContact } from './support/verify';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../api/app';


/** Quit dates within the twelve weeks the API allows, whenever the suite runs. */
const QUIT_A = swedishDaysAhead(56);
const QUIT_B = swedishDaysAhead(40);
describe('clinical work (real Temporal, MongoDB, SMTP and SMS gateway)', function () {
  this.timeout(120_000);
  let h: Harness;
  let clinician: string;
  const HSA = 'SE2321000016-3003';
  const UNIT = 'unit-clin';

  before(async () => {
    h = await harness();
    clinician = await h.token({ role: 'clinician', sub: HSA, careUnits: [UNIT] });
  });

  /**
   * A fresh, activated treatment with the patient's phone and e-mail, both verified by the patient
   * with the codes sent there (unless `verify` names fewer channels).
   */
  async function activeTreatment(extra: { phone?: string; email?: string; verify?: Array<'sms' | 'email'> } = {}) {
    const pnr = testPersonnummer();
    const res = await h.request('POST', '/api/treatments', {
      token: clinician,
      body: { personnummer: pnr, programId: 'tobakshjalpen', careUnitId: UNIT, patient: { name: 'Karin Karlsson', phone: extra.phone ?? '070-111 22 33', email: extra.email ?? 'karin@example.se' } },
    });
    expect(res.status).to.equal(201);
    const patient = await h.token({ role: 'patient', sub: pnr });
    expect((await h.request('GET', '/api/me/treatment', { token: patient })).status).to.equal(200);
    for (const channel of extra.verify ?? ['sms', 'email'] as const) {
      await confirmContact(h, patient, 'patient', channel, channel === 'sms' ? extra.phone ?? '070-111 22 33' : extra.email ?? 'karin@example.se');
    }
    return { id: res.body.id as string, pnr, patient };
  }
  const flagsOf = async (id: string, token = clinician) =>
    (await h.request('GET', `/api/flags?treatmentId=${id}`, { token })).body.items as Array<{ id: string; type: string; severity: string; readAt: string | null; clinicianId: string }>;
  const moduleOf = async (id: string, moduleId: string) =>
    (await h.request('GET', `/api/treatments/${id}`, { token: clinician })).body.modules.find((m: { id: string }) => m.id === moduleId);
  /** A clinician becomes known in a care unit by signing in there (any request). */
  const signIn = async (hsaId: string, unit = UNIT) => h.request('GET', '/api/clinicians/me/settings', { token: await h.token({ role: 'clinician', sub: hsaId, careUnits: [unit] }) });
  const smsTo = (phone: string) => h.sms.messages.filter((m) => m.to === phone);
  const mailTo = (address: string) => h.mails.filter((m) => m.to.includes(address));
  /** Mails other than verification codes. */
  const noticesTo = (address: string) => mailTo(address).filter((m) => !/Kod: \d{6}/.test(m.raw));

  describe('module time', () => {
    it('a passed deadline closes the module, answers forms with 409 and flags deadline_passed once', async () => {
      const { id } = await activeTreatment();
      const opened = await h.request('POST', `/api/treatments/${id}/modules/surgery/open`, { token: clinician });
      expect(opened.body.modules.find((m: { id: string }) => m.id === 'surgery').deadline).to.be.a('string');
      const closed = await eventually(async () => (await moduleOf(id, 'surgery')).state === 'closed', 20_000);
      expect(closed).to.equal(true);
      const flags = await eventually(async () => {
        const f = (await flagsOf(id)).filter((x) => x.type === 'deadline_passed');
        return f.length ? f : null;
      });
      expect(flags).to.have.length(1);
      // Opening a closed module is refused with the reason; more days open it again.
      expect((await h.request('POST', `/api/treatments/${id}/modules/surgery/open`, { token: clinician })).status).to.equal(409);
      const extended = await h.request('PATCH', `/api/treatments/${id}/modules/surgery`, { token: clinician, body: { workDays: 5 } });
      expect(extended.status).to.equal(200);
      const m = extended.body.modules.find((x: { id: string }) => x.id === 'surgery');
      expect(m).to.include({ state: 'open', daysLeft: 5 });
      // Only its deadline closes a module: now days away, so it stays open (no stale timer recloses it).
      await settled(h, id);
      const after = await moduleOf(id, 'surgery');
      expect(after.state).to.equal('open');
      expect(Date.parse(after.deadline)).to.be.greaterThan(Date.now() + 4 * 86_400_000);
      expect((await flagsOf(id)).filter((x) => x.type === 'deadline_passed')).to.have.length(1);
    });

    it('a deadline moved before it passes never fires', async () => {
      const { id } = await activeTreatment();
      // A witness: the same module opened just after, its deadline left alone. Once the witness's has
      // passed, the moved one's first deadline has passed too.
      const { id: witness } = await activeTreatment();
      await h.request('POST', `/api/treatments/${id}/modules/young/open`, { token: clinician });
      await h.request('POST', `/api/treatments/${witness}/modules/young/open`, { token: clinician });
      const moved = await h.request('PATCH', `/api/treatments/${id}/modules/young`, { token: clinician, body: { workDays: 2 } });
      expect(moved.body.modules.find((x: { id: string }) => x.id === 'young').daysLeft).to.equal(2);
      await eventually(async () => (await flagsOf(witness)).some((x) => x.type === 'deadline_passed'), 20_000);
      await settled(h, id);
      expect((await moduleOf(id, 'young')).state).to.equal('open');
      expect((await flagsOf(id)).filter((x) => x.type === 'deadline_passed')).to.have.length(0);
    });

    it('workDays must be 1–365 (400 naming workDays); a locked module answers 409', async () => {
      const { id } = await activeTreatment();
      const bad = await h.request('PATCH', `/api/treatments/${id}/modules/step-1`, { token: clinician, body: { workDays: 0 } });
      expect(bad.status).to.equal(400);
      expect(bad.body.errors[0].field).to.equal('workDays');
      expect((await h.request('PATCH', `/api/treatments/${id}/modules/step-3`, { token: clinician, body: { workDays: 3 } })).status).to.equal(409);
    });

    it('a quiet patient is flagged patient_inactive, once per quiet period', async () => {
      const { id } = await activeTreatment();
      const flags = await eventually(async () => {
        const f = (await flagsOf(id)).filter((x) => x.type === 'patient_inactive');
        return f.length ? f : null;
      }, 20_000);
      // Flagged for this quiet period: nothing wakes the treatment again within a minute (the period is 6 s).
      await quietFor(h, id, 60_000);
      expect((await flagsOf(id)).filter((x) => x.type === 'patient_inactive')).to.have.length(flags.length).and.to.have.length(1);
    });
  });

  describe('forms (inskickade svar)', () => {
    it('rejects bad answers naming the question, and stores nothing', async () => {
      const { id, patient } = await activeTreatment();
      const url = '/api/me/treatment/modules/step-1/forms/tobacco-habits';
      const missing = await h.request('POST', url, { token: patient, body: { answers: { tobaccoType: ['snus'] } } });
      expect(missing.status).to.equal(400);
      expect(missing.body.errors.map((e: { field: string }) => e.field)).to.deep.equal(['answers.amountPerDay']);
      const option = await h.request('POST', url, { token: patient, body: { answers: { tobaccoType: ['pipe'], amountPerDay: 3 } } });
      expect(option.status).to.equal(400);
      expect(option.body.errors[0].field).to.equal('answers.tobaccoType.0');
      const type = await h.request('POST', url, { token: patient, body: { answers: { tobaccoType: ['snus'], amountPerDay: 'many' } } });
      expect(type.body.errors[0].field).to.equal('answers.amountPerDay');
      const extra = await h.request('POST', url, { token: patient, body: { answers: { tobaccoType: ['snus'], amountPerDay: 3, shoeSize: 44 } } });
      expect(extra.status).to.equal(400);
      expect(extra.body.errors[0].field).to.contain('shoeSize');
      expect((await h.request('GET', `/api/treatments/${id}/forms`, { token: clinician })).body.items).to.have.length(0);
    });

    it('a form of a locked or a completed module answers 409 (API.md)', async () => {
      const { id, patient } = await activeTreatment();
      expect((await h.request('POST', '/api/me/treatment/modules/step-2/forms/quit-date', { token: patient, body: { answers: { quitDate: QUIT_A } } })).status).to.equal(409);
      await h.request('POST', `/api/treatments/${id}/modules/step-1/complete`, { token: clinician });
      const done = await h.request('POST', '/api/me/treatment/modules/step-1/forms/tobacco-habits', { token: patient, body: { answers: { tobaccoType: ['snus'], amountPerDay: 3 } } });
      expect(done.status).to.equal(409);
    });

    it('a submission flags form_submitted; the first open marks it read and puts it on the timeline; the quit date is kept', async () => {
      const { id, patient } = await activeTreatment();
      await h.request('POST', `/api/treatments/${id}/modules/step-2/current`, { token: clinician });
      const sent = await h.request('POST', '/api/me/treatment/modules/step-2/forms/quit-date', { token: patient, body: { answers: { quitDate: QUIT_A, plan: 'Promenera' } } });
      expect(sent.status).to.equal(201);
      const flag = await eventually(async () => (await flagsOf(id)).find((f) => f.type === 'form_submitted'));
      expect(flag.readAt).to.equal(null);
      const listed = await h.request('GET', '/api/treatments?pageSize=100', { token: clinician });
      expect(listed.body.items.find((i: { id: string }) => i.id === id).unreadFlags).to.be.greaterThan(0);
      const forms = await h.request('GET', `/api/treatments/${id}/forms`, { token: clinician });
      expect(forms.body.items).to.deep.equal([{ id: sent.body.id, moduleId: 'step-2', formId: 'quit-date', submittedAt: sent.body.submittedAt, openedAt: null }]);
      const opened = await h.request('GET', `/api/treatments/${id}/forms/${sent.body.id}`, { token: clinician });
      expect(opened.body.answers).to.deep.equal({ quitDate: QUIT_A, plan: 'Promenera' });
      expect(opened.body.openedAt).to.be.a('string');
      const again = await h.request('GET', `/api/treatments/${id}/forms/${sent.body.id}`, { token: clinician });
      expect(again.body.openedAt).to.equal(opened.body.openedAt);
      expect((await flagsOf(id)).find((f) => f.type === 'form_submitted')!.readAt).to.be.a('string');
      const timeline = await h.request('GET', `/api/treatments/${id}/timeline?types=form_opened`, { token: clinician });
      expect(timeline.body.items).to.have.length(1);
      expect(timeline.body.items[0]).to.include({ type: 'form_opened', ref: sent.body.id, actor: HSA });
      expect((await h.request('GET', `/api/treatments/${id}`, { token: clinician })).body.quitDate).to.equal(QUIT_A);
    });

    it('a quit date before the start or more than twelve weeks ahead is a 400 at the field, and nothing is written', async () => {
      const { id, patient } = await activeTreatment();
      await h.request('POST', `/api/treatments/${id}/modules/step-2/current`, { token: clinician });
      const url = '/api/me/treatment/modules/step-2/forms/quit-date';
      const past = await h.request('POST', url, { token: patient, body: { answers: { quitDate: swedishDaysAhead(-1) } } });
      expect(past.status).to.equal(400);
      expect(past.body.errors).to.deep.equal([{ field: 'answers.quitDate', message: `must not be before the treatment started (${swedishDaysAhead(0)})` }]);
      const far = await h.request('POST', url, { token: patient, body: { answers: { quitDate: swedishDaysAhead(12 * 7 + 1) } } });
      expect(far.status).to.equal(400);
      expect(far.body.errors[0]).to.include({ field: 'answers.quitDate' });
      expect(far.body.errors[0].message).to.match(/at most 12 weeks ahead/);
      expect((await h.request('GET', `/api/treatments/${id}/forms`, { token: clinician })).body.items).to.have.length(0);
      // Today and the last allowed day are fine.
      expect((await h.request('POST', url, { token: patient, body: { answers: { quitDate: swedishDaysAhead(12 * 7) } } })).status).to.equal(201);
      expect((await h.request('POST', url, { token: patient, body: { answers: { quitDate: swedishDaysAhead(0) } } })).status).to.equal(201);
    });

    it('"Dina svar": the patient reads back their own last answers with when they were sent; the access log is unchanged by it', async () => {
      const { id, patient } = await activeTreatment();
      await h.request('POST', `/api/treatments/${id}/modules/step-2/current`, { token: clinician });
      const before = await h.request('GET', '/api/me/treatment', { token: patient });
      const blank = before.body.modules.find((m: { id: string }) => m.id === 'step-2').forms.find((f: { id: string }) => f.id === 'quit-date');
      expect(blank).to.include({ submittedAt: null, answers: null });
      await h.request('POST', '/api/me/treatment/modules/step-2/forms/quit-date', { token: patient, body: { answers: { quitDate: QUIT_B, plan: 'Första' } } });
      const sent = await h.request('POST', '/api/me/treatment/modules/step-2/forms/quit-date', { token: patient, body: { answers: { quitDate: QUIT_A, plan: 'Promenera' } } });
      const logged = await AccessLog.countDocuments({ treatmentId: id });
      const after = await h.request('GET', '/api/me/treatment', { token: patient });
      const form = after.body.modules.find((m: { id: string }) => m.id === 'step-2').forms.find((f: { id: string }) => f.id === 'quit-date');
      expect(form).to.include({ submittedAt: sent.body.submittedAt });
      expect(form.answers).to.deep.equal({ quitDate: QUIT_A, plan: 'Promenera' });
      expect(await AccessLog.countDocuments({ treatmentId: id })).to.equal(logged);
      // The clinician's view of the treatment carries no answers (they are read per submission, access-logged).
      const theirs = await h.request('GET', `/api/treatments/${id}`, { token: clinician });
      expect(JSON.stringify(theirs.body)).to.not.contain('Promenera');
    });

    it('every section read and every form sent turns the module green and flags module_finished', async () => {
      const { id, patient } = await activeTreatment();
      for (const s of ['motivation', 'habits', 'preparations']) {
        await h.request('POST', `/api/me/treatment/modules/step-1/sections/${s}`, { token: patient, body: { progress: 'finished' } });
      }
      expect((await moduleOf(id, 'step-1')).progress).to.equal('started');
      await h.request('POST', '/api/me/treatment/modules/step-1/forms/tobacco-habits', { token: patient, body: { answers: { tobaccoType: ['snus', 'cigaretter'], amountPerDay: 10 } } });
      expect((await moduleOf(id, 'step-1')).progress).to.equal('finished');
      await eventually(async () => (await flagsOf(id)).some((f) => f.type === 'module_finished'));
    });
  });

  describe('messages and notifications', () => {
    it('a clinician message with notify sends exactly one SMS without its text; without notify none', async () => {
      const phone = '070-200 00 01';
      const { id } = await activeTreatment({ phone });
      const secret = 'Hemligt meddelande om din hälsa';
      const conv = await h.request('POST', `/api/treatments/${id}/conversations`, { token: clinician, body: { subject: 'Hej', text: secret, notify: true } });
      expect(conv.status).to.equal(201);
      expect(conv.body.messages[0]).to.include({ author: 'clinician', text: secret });
      await eventually(async () => smsTo(phone).filter((m) => /meddelande/.test(m.message)).length === 1);
      const reply = await h.request('POST', `/api/treatments/${id}/conversations/${conv.body.id}/messages`, { token: clinician, body: { text: 'Utan avisering', notify: false } });
      expect(reply.status).to.equal(201);
      await settled(h, id);
      const sms = smsTo(phone);
      // One invitation SMS at the start, the patient's verification code, one for the notified message.
      expect(sms.map((m) => m.message).filter((m) => /nytt meddelande/.test(m))).to.have.length(1);
      expect(sms.length).to.equal(3);
      for (const m of sms) {
        expect(m.message).to.not.contain(secret);
        expect(m.message).to.not.contain('Karin');
      }
    });

    it('attack: notices cannot flood a number: repeats within the window are coalesced, and past the hourly quota suppressed (security #6)', async () => {
      const phone = '070-200 00 66';
      const { id } = await activeTreatment({ phone });
      for (let i = 0; i < 3; i++) {
        await h.request('POST', `/api/treatments/${id}/conversations`, { token: clinician, body: { subject: `Hej ${i}`, text: 'x', notify: true } });
      }
      await eventually(async () => smsTo(phone).some((m) => /nytt meddelande/.test(m.message)));
      await settled(h, id);
      expect(smsTo(phone).filter((m) => /nytt meddelande/.test(m.message))).to.have.length(1);
      expect(await NotificationModel.countDocuments({ treatmentId: id, channel: 'sms', status: 'coalesced' })).to.equal(2);
      // A worker with a quota of 4 notices per number and hour: the invitation, the verification code and the message used three.
      const limited = createActivities({ config: { ...h.config, notifications: { ...h.config.notifications, maxPerRecipientPerHour: 4 } }, transports: createTransports(h.config) });
      for (let i = 0; i < 4; i++) {
        await limited.recordEvent(id, UNIT, { key: `quota-test-${i}`, type: 'activity_due', at: Date.now(), clinicianId: HSA, notifyPatient: 'activity_due' });
      }
      const toVictim = await NotificationModel.find({ to: phone }).lean();
      expect(toVictim.filter((n) => n.status === 'suppressed')).to.have.length(3);
      expect(toVictim.filter((n) => !['suppressed', 'coalesced'].includes(n.status))).to.have.length(4);
    });

    it('the patient sees the conversation, replies, and the reply flags message_received', async () => {
      const { id, patient } = await activeTreatment();
      const conv = await h.request('POST', `/api/treatments/${id}/conversations`, { token: clinician, body: { subject: 'Välkommen', text: 'Svara gärna', notify: false } });
      const mine = await h.request('GET', '/api/me/treatment/conversations', { token: patient });
      expect(mine.body.items[0].id).to.equal(conv.body.id);
      const answer = await h.request('POST', `/api/me/treatment/conversations/${conv.body.id}/messages`, { token: patient, body: { text: 'Det fungerar!' } });
      expect(answer.status).to.equal(201);
      await eventually(async () => (await flagsOf(id)).some((f) => f.type === 'message_received'));
      const started = await h.request('POST', '/api/me/treatment/conversations', { token: patient, body: { subject: 'Fråga', text: 'Får jag använda plåster?' } });
      expect(started.status).to.equal(201);
      const all = await h.request('GET', `/api/treatments/${id}/conversations`, { token: clinician });
      expect(all.body.items).to.have.length(2);
      expect(all.body.items.find((c: { id: string }) => c.id === conv.body.id).messages.map((m: { author: string }) => m.author)).to.deep.equal(['clinician', 'patient']);
      expect((await h.request('POST', `/api/me/treatment/conversations/00000000-0000-4000-8000-000000000000/messages`, { token: patient, body: { text: 'x' } })).status).to.equal(404);
    });

    it('the clinician\'s messages are unread for the patient until the patient reads the conversations; that read marks them read, a later one does not', async () => {
      const { id, patient } = await activeTreatment();
      const first = await h.request('POST', `/api/treatments/${id}/conversations`, { token: clinician, body: { subject: 'Hej', text: 'Hur går det?', notify: false } });
      await h.request('POST', `/api/treatments/${id}/conversations/${first.body.id}/messages`, { token: clinician, body: { text: 'Och en fråga till', notify: false } });
      expect((await h.request('GET', '/api/me/treatment', { token: patient })).body.unreadMessages).to.equal(2);
      // The clinician reading the conversation marks nothing read for the patient.
      await h.request('GET', `/api/treatments/${id}/conversations`, { token: clinician });
      expect((await h.request('GET', '/api/me/treatment', { token: patient })).body.unreadMessages).to.equal(2);

      const read = await h.request('GET', '/api/me/treatment/conversations', { token: patient });
      expect(read.status).to.equal(200);
      expect(read.body.items[0].messages.map((m: { unread: boolean }) => m.unread)).to.deep.equal([true, true]);
      expect((await h.request('GET', '/api/me/treatment', { token: patient })).body.unreadMessages).to.equal(0);
      // The patient's own messages are never unread; a new clinician message is, the read ones stay read.
      await h.request('POST', `/api/me/treatment/conversations/${first.body.id}/messages`, { token: patient, body: { text: 'Bra!' } });
      await h.request('POST', `/api/treatments/${id}/conversations/${first.body.id}/messages`, { token: clinician, body: { text: 'Fint att höra', notify: false } });
      expect((await h.request('GET', '/api/me/treatment', { token: patient })).body.unreadMessages).to.equal(1);
      const again = await h.request('GET', '/api/me/treatment/conversations', { token: patient });
      expect(again.body.items[0].messages.map((m: { author: string; unread: boolean }) => `${m.author}:${m.unread}`))
        .to.deep.equal(['clinician:false', 'clinician:false', 'patient:false', 'clinician:true']);
      const third = await h.request('GET', '/api/me/treatment/conversations', { token: patient });
      expect(third.body.items[0].messages.some((m: { unread: boolean }) => m.unread)).to.equal(false);
      // The clinician's view has no such field (the answer is checked against /openapi.json).
      const theirs = await h.request('GET', `/api/treatments/${id}/conversations`, { token: clinician });
      expect(theirs.body.items[0].messages[0]).not.to.have.property('unread');
    });

    it('the patient\'s own settings are honoured: no SMS when SMS notices are off', async () => {
      const phone = '070-200 00 02';
      const { id, patient } = await activeTreatment({ phone });
      await eventually(async () => smsTo(phone).some((m) => /inbjudan/.test(m.message))); // the invitation, sent before the change
      const settings = await h.request('PUT', '/api/me/settings', { token: patient, body: { phone, email: null, notifyBySms: false, notifyByEmail: false } });
      expect(settings.body).to.deep.equal({ phone, email: null, notifyBySms: false, notifyByEmail: false, phoneVerified: true, emailVerified: false });
      const before = smsTo(phone).length;
      await h.request('POST', `/api/treatments/${id}/conversations`, { token: clinician, body: { subject: 'Hej', text: 'x', notify: true } });
      await settled(h, id);
      expect(smsTo(phone).length).to.equal(before);
    });

    it('each flag of a chosen type e-mails the clinician once, with a link and no personal data', async () => {
      const hsa = 'SE2321000016-4004';
      const token = await h.token({ role: 'clinician', sub: hsa, careUnits: [UNIT] });
      const email = 'behandlare4004@region.example';
      const put = await h.request('PUT', '/api/clinicians/me/settings', { token, body: { email, phone: null, emailFlagTypes: ['message_received', 'form_submitted'] } });
      expect(put.status).to.equal(200);
      expect(put.body).to.include({ emailVerified: false, phoneVerified: false });
      await confirmContact(h, token, 'clinician', 'email', email);
      expect((await h.request('GET', '/api/clinicians/me/settings', { token })).body.emailFlagTypes).to.deep.equal(['message_received', 'form_submitted']);
      const pnr = testPersonnummer();
      const res = await h.request('POST', '/api/treatments', { token, body: { personnummer: pnr, programId: 'tobakshjalpen', careUnitId: UNIT, patient: { name: 'Pelle Persson' } } });
      const patient = await h.token({ role: 'patient', sub: pnr });
      await h.request('GET', '/api/me/treatment', { token: patient }); // first_login: not chosen, no e-mail
      const text = 'Jag har svårt att sova';
      await h.request('POST', '/api/me/treatment/conversations', { token: patient, body: { subject: 'Sömn', text } });
      await eventually(async () => noticesTo(email).length === 1);
      await settled(h, res.body.id);
      const mails = noticesTo(email);
      expect(mails).to.have.length(1);
      expect(mails[0]!.raw).to.contain(res.body.id);
      for (const secret of [text, 'Pelle', pnr, pnr.slice(2)]) expect(mails[0]!.raw).to.not.contain(secret);
    });

    it('after a change of clinician only the new clinician is e-mailed, and the timeline records it', async () => {
      const oldHsa = 'SE2321000016-5005';
      const newHsa = 'SE2321000016-6006';
      const oldToken = await h.token({ role: 'clinician', sub: oldHsa, careUnits: [UNIT] });
      const newToken = await h.token({ role: 'clinician', sub: newHsa, careUnits: [UNIT] });
      for (const [token, email] of [[oldToken, 'old5005@region.example'], [newToken, 'new6006@region.example']] as const) {
        await h.request('PUT', '/api/clinicians/me/settings', { token, body: { email, phone: null, emailFlagTypes: ['message_received'] } });
        await confirmContact(h, token, 'clinician', 'email', email);
      }
      const pnr = testPersonnummer();
      const res = await h.request('POST', '/api/treatments', { token: oldToken, body: { personnummer: pnr, programId: 'tobakshjalpen', careUnitId: UNIT } });
      const patient = await h.token({ role: 'patient', sub: pnr });
      await h.request('GET', '/api/me/treatment', { token: patient });
      const changed = await h.request('PUT', `/api/treatments/${res.body.id}/clinician`, { token: oldToken, body: { clinicianId: newHsa } });
      expect(changed.body.clinicianId).to.equal(newHsa);
      await h.request('POST', '/api/me/treatment/conversations', { token: patient, body: { subject: 'Hej', text: 'Hej igen' } });
      await eventually(async () => noticesTo('new6006@region.example').length === 1);
      await settled(h, res.body.id);
      expect(noticesTo('old5005@region.example')).to.have.length(0);
      const timeline = await h.request('GET', `/api/treatments/${res.body.id}/timeline?types=clinician_changed`, { token: newToken });
      expect(timeline.body.items).to.have.length(1);
      expect(timeline.body.items[0].data).to.deep.equal({ from: oldHsa, to: newHsa });
      // Only to a clinician known in the care unit: never signed in there is a 400 naming the field.
      await signIn('SE2321000016-7878', 'another-unit');
      for (const stranger of ['SE2321000016-0000', 'SE2321000016-7878']) {
        const refused = await h.request('PUT', `/api/treatments/${res.body.id}/clinician`, { token: newToken, body: { clinicianId: stranger } });
        expect(refused.status).to.equal(400);
        expect(refused.body.errors[0].field).to.equal('clinicianId');
      }
      // At any time: also after the end.
      await h.request('POST', `/api/treatments/${res.body.id}/end`, { token: newToken, body: { reason: 'other', maintenance: false } });
      const back = await h.request('PUT', `/api/treatments/${res.body.id}/clinician`, { token: newToken, body: { clinicianId: oldHsa } });
      expect(back.status).to.equal(200);
      expect(back.body).to.include({ clinicianId: oldHsa, status: 'ended' });
    });

    it('a delivery whose answer is lost after the send is retried and still yields one SMS, marked sent', async () => {
      const phone = '070-200 00 03';
      const { id } = await activeTreatment({ phone });
      await eventually(async () => smsTo(phone).some((m) => /inbjudan/.test(m.message))); // the invitation
      h.sms.dropAnswers(1); // the gateway takes the next SMS but the connection drops before it answers
      await h.request('POST', `/api/treatments/${id}/conversations`, { token: clinician, body: { subject: 'Hej', text: 'x', notify: true } });
      const outbox = await eventually(async () => {
        const n = await NotificationModel.findOne({ treatmentId: id, channel: 'sms', template: /new_message/ }).lean();
        return n?.status === 'sent' ? n : null;
      }, 30_000);
      expect(outbox.attempts).to.be.greaterThan(1);
      expect(smsTo(phone).filter((m) => /nytt meddelande/.test(m.message))).to.have.length(1);
    });

    it('a notification that keeps failing ends failed and visible, not lost', async () => {
      const { id, pnr } = await activeTreatment({ phone: '070-200 00 04', email: 'nobody@mailbox.invalid', verify: ['sms'] });
      // No code reaches a refusing mailbox: the address is marked verified in the store, to test the transport's failure.
      await Patient.updateOne({ personnummer: pnr }, { $set: { verifiedEmail: 'nobody@mailbox.invalid' } });
      await h.request('POST', `/api/treatments/${id}/conversations`, { token: clinician, body: { subject: 'Hej', text: 'x', notify: true } });
      // NOTIFICATION_MAX_ATTEMPTS is 3 in the tests.
      const failed = await eventually(async () => {
        const n = await NotificationModel.findOne({ treatmentId: id, channel: 'email', template: /new_message/ }).lean();
        return n?.status === 'failed' ? n : null;
      }, 30_000);
      expect(failed.attempts).to.equal(3);
      expect(failed.lastError).to.match(/550|mailbox/);
      const sms = await NotificationModel.findOne({ treatmentId: id, channel: 'sms', template: /new_message/ }).lean();
      expect(sms!.status).to.equal('sent'); // the other channel is not held back
    });
  });

  describe('timeline (tidslinje)', () => {
    it('lists every event in order and filters exactly by types and range; patients cannot reach it', async () => {
      const { id, patient } = await activeTreatment();
      await h.request('POST', `/api/treatments/${id}/modules/pregnancy/open`, { token: clinician });
      await h.request('POST', `/api/treatments/${id}/modules/step-1/complete`, { token: clinician });
      await h.request('POST', `/api/treatments/${id}/end`, { token: clinician, body: { reason: 'other', maintenance: false } });
      const all = await eventually(async () => {
        const r = await h.request('GET', `/api/treatments/${id}/timeline`, { token: clinician });
        return r.body.items.some((i: { type: string }) => i.type === 'treatment_ended') ? r.body.items as Array<{ type: string; at: string }> : null;
      });
      const types = all.map((i) => i.type);
      for (const t of ['treatment_started', 'activated', 'flag_raised', 'module_opened', 'module_completed', 'treatment_ended']) expect(types).to.include(t);
      expect([...all.map((i) => i.at)].sort()).to.deep.equal(all.map((i) => i.at));
      const only = await h.request('GET', `/api/treatments/${id}/timeline?types=module_opened,module_completed`, { token: clinician });
      expect(only.body.items.map((i: { type: string }) => i.type).sort()).to.deep.equal(['module_completed', 'module_opened']);
      const activatedAt = all.find((i) => i.type === 'activated')!.at;
      const ranged = await h.request('GET', `/api/treatments/${id}/timeline?from=${encodeURIComponent(activatedAt)}&to=${encodeURIComponent(activatedAt)}`, { token: clinician });
      expect(ranged.body.items.every((i: { at: string }) => i.at === activatedAt)).to.equal(true);
      expect(ranged.body.items.map((i: { type: string }) => i.type)).to.include('activated');
      expect(ranged.body.items.map((i: { type: string }) => i.type)).to.not.include('treatment_started');
      const bad = await h.request('GET', `/api/treatments/${id}/timeline?types=nonsense`, { token: clinician });
      expect(bad.status).to.equal(400);
      expect(bad.body.errors[0].field).to.equal('types');
      expect((await h.request('GET', `/api/treatments/${id}/timeline`, { token: patient })).status).to.equal(403);
    });
  });

  it('a contact note (kontaktanteckning) lands on the timeline as a note with its kind and text; bad kinds name the field', async () => {
    const { id, patient } = await activeTreatment();
    const bad = await h.request('POST', `/api/treatments/${id}/notes`, { token: clinician, body: { kind: 'letter', text: 'x' } });
    expect(bad.status).to.equal(400);
    expect(bad.body.errors[0].field).to.equal('kind');
    const empty = await h.request('POST', `/api/treatments/${id}/notes`, { token: clinician, body: { kind: 'phone', text: '  ' } });
    expect(empty.status).to.equal(400);
    expect(empty.body.errors[0].field).to.equal('text');
    const added = await h.request('POST', `/api/treatments/${id}/notes`, { token: clinician, body: { kind: 'phone', text: 'Ringde, mår bra' } });
    expect(added.status).to.equal(201);
    expect(added.body).to.include({ type: 'note', kind: 'phone', text: 'Ringde, mår bra', actor: HSA });
    const notes = await h.request('GET', `/api/treatments/${id}/timeline?types=note`, { token: clinician });
    expect(notes.body.items).to.have.length(1);
    expect(notes.body.items[0]).to.include({ type: 'note', actor: HSA, at: added.body.at });
    expect(notes.body.items[0].data).to.deep.equal({ kind: 'phone', text: 'Ringde, mår bra' });
    expect((await h.request('POST', `/api/treatments/${id}/notes`, { token: patient, body: { kind: 'phone', text: 'x' } })).status).to.equal(403);
    const other = await h.token({ role: 'clinician', sub: 'x', careUnits: ['elsewhere'] });
    expect((await h.request('POST', `/api/treatments/${id}/notes`, { token: other, body: { kind: 'phone', text: 'x' } })).status).to.equal(404);
  });

  it('attack: a patient posting messages in a loop is stopped by the treatment\'s hourly write quota; nothing past it is stored or reaches the workflow (security #7)', async () => {
    const { id, patient } = await activeTreatment();
    // The same system with a quota of 3 patient writes an hour.
    const app = createApp({ config: { ...h.config, patientWritesPerHour: 3 }, client: h.client, programs: loadPrograms(h.config.programOverrides) });
    const server = await new Promise<http.Server>((r) => { const srv = app.listen(0, '127.0.0.1', () => r(srv)); });
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const post = (text: string) => fetch(`${base}/api/me/treatment/conversations`, {
      method: 'POST', headers: { authorization: `Bearer ${patient}`, 'content-type': 'application/json' }, body: JSON.stringify({ subject: 'Fråga', text }),
    });
    try {
      const answers = [];
      for (let i = 0; i < 5; i++) answers.push(await post(`meddelande ${i}`));
      expect(answers.map((r) => r.status)).to.deep.equal([201, 201, 201, 429, 429]);
      expect(Number(answers[3]!.headers.get('retry-after'))).to.be.within(1, 3600);
      expect(((await answers[3]!.json()) as { detail: string }).detail).to.match(/at most 3 messages, forms and answers an hour/);
    } finally {
      server.close();
    }
    const conversations = await h.request('GET', `/api/treatments/${id}/conversations?pageSize=50`, { token: clinician });
    expect(conversations.body.total).to.equal(3);
    const state = await h.client.workflow.getHandle(workflowIdFor(id)).query(stateQuery);
    expect(JSON.stringify(state)).to.not.contain('meddelande 3');
  });

  it('flags are listed for the clinician\'s care units only, and can be marked read', async () => {
    const { id } = await activeTreatment();
    const flag = await eventually(async () => (await flagsOf(id)).find((f) => f.type === 'first_login'));
    const other = await h.token({ role: 'clinician', sub: 'x', careUnits: ['elsewhere'] });
    expect((await flagsOf(id, other))).to.have.length(0);
    expect((await h.request('POST', `/api/flags/${encodeURIComponent(flag.id)}/read`, { token: other })).status).to.equal(404);
    const read = await h.request('POST', `/api/flags/${encodeURIComponent(flag.id)}/read`, { token: clinician });
    expect(read.status).to.equal(200);
    expect(read.body.readAt).to.be.a('string');
    const unread = await h.request('GET', `/api/flags?unread=true&treatmentId=${id}`, { token: clinician });
    expect(unread.body.items.map((f: { id: string }) => f.id)).to.not.include(flag.id);
    // Listing flags and marking one read are accesses to the patient's data, logged like any other (security #11).
    const logged = await AccessLog.find({ treatmentId: id, actorId: HSA }).lean();
    expect(logged.map((e) => e.action)).to.include.members(['GET /api/flags', 'POST /api/flags/:id/read']);
  });

  it('the workflow history of a treatment with messages and forms holds no text, answers or contact details', async () => {
    const { id, pnr, patient } = await activeTreatment({ phone: '070-999 88 77', email: 'hemlig@example.se' });
    const text = 'Mitt hemliga meddelande';
    const conv = await h.request('POST', `/api/treatments/${id}/conversations`, { token: clinician, body: { subject: 'Ämne X', text, notify: true } });
    await h.request('POST', `/api/me/treatment/conversations/${conv.body.id}/messages`, { token: patient, body: { text: 'Mitt svar Y' } });
    await h.request('POST', '/api/me/treatment/modules/step-1/forms/tobacco-habits', { token: patient, body: { answers: { tobaccoType: ['snus'], amountPerDay: 7, reasons: 'Min hemliga anledning' } } });
    await signIn('SE2321000016-9009');
    await h.request('PUT', `/api/treatments/${id}/clinician`, { token: clinician, body: { clinicianId: 'SE2321000016-9009' } });
    await eventually(async () => (await flagsOf(id)).some((f) => f.type === 'form_submitted'));
    const history = await h.client.workflow.getHandle(workflowIdFor(id)).fetchHistory();
    const raw = rawHistoryText(history);
    const decoded = await decodedHistoryText(history, payloadCodec(h.config));
    expect(decoded).to.contain(conv.body.id); // the payloads were found and decoded
    expect(raw).to.not.contain(conv.body.id); // without the codec even the ids are unreadable
    for (const secret of [pnr, pnr.slice(2), 'Karin', '070-999 88 77', 'hemlig@example.se', text, 'Ämne X', 'Mitt svar Y', 'Min hemliga anledning']) {
      expect(raw, secret).to.not.contain(secret);
      expect(decoded, secret).to.not.contain(secret);
    }
  });

  describe('fidelity to the guide: what a screen needs from one response', () => {
    it('each module shows its sections with progress and its forms with the time they were sent, for clinician and patient alike', async () => {
      const { id, patient } = await activeTreatment();
      await h.request('POST', '/api/me/treatment/modules/step-1/sections/motivation', { token: patient, body: { progress: 'finished' } });
      await h.request('POST', '/api/me/treatment/modules/step-1/sections/habits', { token: patient, body: { progress: 'started' } });
      const sent = await h.request('POST', '/api/me/treatment/modules/step-1/forms/tobacco-habits', { token: patient, body: { answers: { tobaccoType: ['snus'], amountPerDay: 3 } } });
      expect(sent.status).to.equal(201);
      const step1 = await moduleOf(id, 'step-1');
      expect(step1.sections).to.deep.equal([
        { id: 'motivation', title: 'Dina skäl att sluta', progress: 'finished' },
        { id: 'habits', title: 'Dina tobaksvanor', progress: 'started' },
        { id: 'preparations', title: 'Förberedelser', progress: 'none' },
      ]);
      expect(step1.forms).to.deep.equal([{ id: 'tobacco-habits', title: 'Mina tobaksvanor', submittedAt: sent.body.submittedAt }]);
      const mine = (await h.request('GET', '/api/me/treatment', { token: patient })).body.modules.find((m: { id: string }) => m.id === 'step-1');
      expect(mine.sections.map((x: { progress: string }) => x.progress)).to.deep.equal(['finished', 'started', 'none']);
      expect(mine.forms[0]).to.include({ id: 'tobacco-habits', submittedAt: sent.body.submittedAt });
      expect(mine.forms[0].questions.map((q: { id: string }) => q.id)).to.include('amountPerDay');
    });

    it('every instant is UTC (…Z) and calendar dates are YYYY-MM-DD', async () => {
      const { id, patient } = await activeTreatment();
      await h.request('POST', `/api/treatments/${id}/modules/step-2/open`, { token: clinician });
      const quit = await h.request('POST', '/api/me/treatment/modules/step-2/forms/quit-date', { token: patient, body: { answers: { quitDate: QUIT_B } } });
      expect(quit.status).to.equal(201);
      expect((await h.request('GET', `/api/treatments/${id}`, { token: clinician })).body.quitDate).to.equal(QUIT_B);
      for (const body of [(await h.request('GET', `/api/treatments/${id}`, { token: clinician })).body, (await h.request('GET', '/api/me/treatment', { token: patient })).body]) {
        const text = JSON.stringify(body);
        expect(text).to.not.match(/T\d\d:\d\d:\d\d(\.\d+)?[+-]\d\d:\d\d/);
        expect(text).to.match(/T\d\d:\d\d:\d\d\.\d{3}Z/);
      }
    });

    it('a form of a locked module answers 409 (API.md), an unknown form 404', async () => {
      const { patient } = await activeTreatment();
      const locked = await h.request('POST', '/api/me/treatment/modules/step-3/forms/check-in', { token: patient, body: { answers: {} } });
      expect(locked.status).to.equal(409);
      expect(locked.body.detail).to.match(/locked/);
      expect((await h.request('POST', '/api/me/treatment/modules/step-1/forms/nope', { token: patient, body: { answers: {} } })).status).to.equal(404);
    });

    it('flags carry their severity from the program; reading a conversation marks its message flags read', async () => {
      const { id, patient } = await activeTreatment();
      await h.request('POST', '/api/me/treatment/conversations', { token: patient, body: { subject: 'Fråga', text: 'Hej' } });
      const flags = await eventually(async () => {
        const f = await flagsOf(id);
        return f.some((x) => x.type === 'message_received') && f.some((x) => x.type === 'first_login') ? f : null;
      });
      expect(flags.find((f) => f.type === 'first_login')!.severity).to.equal('info');
      expect(flags.find((f) => f.type === 'message_received')).to.include({ severity: 'action', readAt: null });
      const read = await h.request('GET', `/api/treatments/${id}/conversations`, { token: clinician });
      expect(read.body).to.include({ total: 1, page: 1 });
      const after = await flagsOf(id) as Array<{ type: string; readAt: string | null }>;
      expect(after.find((f) => f.type === 'message_received')!.readAt).to.be.a('string');
      expect(after.find((f) => f.type === 'first_login')!.readAt).to.equal(null); // other flags stay unread
      // The patient reading the same conversation marks nothing.
      expect((await h.request('GET', '/api/me/treatment/conversations', { token: patient })).body.total).to.equal(1);
    });

    it('informational modules (Inledning, Bra att veta) have no work time: no deadline, no more days, never closed', async () => {
      const { id } = await activeTreatment();
      for (const m of ['intro', 'good-to-know']) expect(await moduleOf(id, m)).to.include({ state: 'open', deadline: null, daysLeft: null });
      expect((await moduleOf(id, 'step-1')).deadline).to.be.a('string');
      const more = await h.request('PATCH', `/api/treatments/${id}/modules/intro`, { token: clinician, body: { workDays: 5 } });
      expect(more.status).to.equal(409);
      expect(more.body.detail).to.match(/informational/);
    });

    it('an invited patient who never logs in is reminded once after durations.notStarted, and the clinician flagged not_started', async () => {
      const plan = planOf(loadPrograms(h.config.programOverrides).get('tobakshjalpen')!);
      plan.durations.notStarted = 'PT2S';
      const treatmentId = randomUUID();
      const input: TreatmentInput = { treatmentId, careUnitId: UNIT, clinicianId: HSA, openSlotKey: `slot-${treatmentId}`, startedAt: Date.now(), plan };
      const handle = await h.client.workflow.start(TREATMENT_WORKFLOW, { workflowId: workflowIdFor(treatmentId), taskQueue: h.config.temporal.taskQueue, args: [input] });
      const flags = await eventually(async () => {
        const f = await FlagModel.find({ treatmentId }).lean();
        return f.length ? f : null;
      }, 20_000);
      expect(flags.map((f) => f.type)).to.deep.equal(['not_started']);
      expect((await handle.query(stateQuery)).notStartedNoticedAt).to.be.a('number');
      await quietFor(h, treatmentId, 60_000);
      expect(await FlagModel.countDocuments({ treatmentId })).to.equal(1); // once
      expect(await TimelineModel.countDocuments({ treatmentId, type: 'not_started' })).to.equal(1);
      expect(render({ kind: 'patient', notice: 'not_started' }, h.config.notifications.publicUrl).text).to.match(/Påminnelse/).and.not.match(/\d{8}/);
      await handle.terminate('test done');
    });

    it('the clinician chooses SMS per flag type: the profile phone gets one SMS for a chosen flag, none for another', async () => {
      const hsa = 'SE2321000016-4141';
      const token = await h.token({ role: 'clinician', sub: hsa, careUnits: [UNIT] });
      const saved = await h.request('PUT', '/api/clinicians/me/settings', { token, body: { email: null, phone: '070-414 14 14', emailFlagTypes: [], smsFlagTypes: ['message_received'] } });
      expect(saved.body).to.deep.include({ phone: '070-414 14 14', smsFlagTypes: ['message_received'], phoneVerified: false });
      await confirmContact(h, token, 'clinician', 'sms', '070-414 14 14');
      const codes = codesTo(h, '070-414 14 14').length;
      const pnr = testPersonnummer();
      const started = await h.request('POST', '/api/treatments', { token, body: { personnummer: pnr, programId: 'tobakshjalpen', careUnitId: UNIT } });
      const patient = await h.token({ role: 'patient', sub: pnr });
      await h.request('GET', '/api/me/treatment', { token: patient }); // first_login: not chosen
      await h.request('POST', '/api/me/treatment/conversations', { token: patient, body: { subject: 'Fråga', text: 'Hemlig fråga' } });
      const sms = await eventually(async () => { const m = smsTo('070-414 14 14').filter((x) => !/Kod: /.test(x.message)); return m.length ? m : null; });
      await settled(h, started.body.id);
      expect(smsTo('070-414 14 14')).to.have.length(codes + 1);
      expect(sms[0]!.message).to.match(/nytt meddelande/).and.not.contain('Hemlig');
    });

    it('the end is told to the patient with the last day of Vidmakthåll, never the reason', async () => {
      const phone = '070-515 15 15';
      const { id } = await activeTreatment({ phone });
      const ended = await h.request('POST', `/api/treatments/${id}/end`, { token: clinician, body: { reason: 'patient-withdrew', maintenance: true } });
      expect(ended.status).to.equal(200);
      const notice = await eventually(async () => smsTo(phone).find((m) => /avslutats/.test(m.message)));
      const lastDay = format(new TZDate(Date.parse(ended.body.maintenanceUntil), 'Europe/Stockholm'), 'yyyy-MM-dd');
      expect(notice.message).to.contain(`till och med ${lastDay}`).and.not.match(/withdrew|avbröt/);
    });

    it('flags, the timeline and conversations page with page, pageSize and total; nothing is cut silently', async () => {
      const { id } = await activeTreatment();
      for (const m of ['pregnancy', 'young', 'cancer']) await h.request('POST', `/api/treatments/${id}/modules/${m}/open`, { token: clinician });
      const all = await eventually(async () => {
        const r = (await h.request('GET', `/api/treatments/${id}/timeline`, { token: clinician })).body;
        return r.items.filter((i: { type: string }) => i.type === 'module_opened').length >= 3 ? r : null;
      });
      expect(all.total).to.equal(all.items.length);
      expect(all.total).to.be.at.least(5);
      const page2 = (await h.request('GET', `/api/treatments/${id}/timeline?page=2&pageSize=2`, { token: clinician })).body;
      expect(page2).to.include({ total: all.total, page: 2, pageSize: 2 });
      expect(page2.items.map((i: { id: string }) => i.id)).to.deep.equal(all.items.slice(2, 4).map((i: { id: string }) => i.id));
      const flags = (await h.request('GET', `/api/flags?treatmentId=${id}&pageSize=1`, { token: clinician })).body;
      expect(flags.items).to.have.length(1);
      expect(flags.total).to.be.at.least(1);
      expect((await h.request('GET', `/api/treatments/${id}/timeline?pageSize=501`, { token: clinician })).body.errors[0].field).to.equal('pageSize');
    });
  });
});
