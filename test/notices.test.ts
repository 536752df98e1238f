// Patient notices reach the patient (issue 22): every notice goes to the address a clinician
// entered in its neutral form, confirmed or not; the full form (the program, the step, the last day
// of Vidmakthåll) only to an address the patient confirmed; nothing to an address the patient
// typed and has not confirmed. On the real servers, counted at the SMTP server and the SMS gateway.
import { expect } from 'chai';
import { harness, type Harness } from './support/harness';
import { clock, eventually, testPersonnummer, weekday } from './support/fixtures';
import { confirmContact, mailBody, mailText } from './support/verify';
import { NotificationModel, TimelineModel } from '../models/clinical';
import { AccessLog } from '../models/access-log';
import { FULL_TEXT, NEUTRAL_TEXT, REVEALING } from './support/notice-texts';
import { createActivities } from '../activities';
import { notificationDelivery } from '../activities/notifications';
import { createTransports } from '../infra/notify';
import { loadPrograms } from '../infra/programs';
import type { PatientNotice } from '../domain/types';

describe('patient notices: neutral to the address a clinician entered, full once confirmed (issue 22)', function () {
  this.timeout(180_000);
  let h: Harness;
  let clinician: string;
  const UNIT = 'unit-notices';
  const HSA = 'SE2321000016-2222';

  before(async () => {
    h = await harness();
    clinician = await h.token({ role: 'clinician', sub: HSA, careUnits: [UNIT] });
  });

  const smsTo = (phone: string) => h.sms.messages.filter((m) => m.to === phone).map((m) => m.message);
  /** The bodies of the mails to an address; `whole` with the headers (the sender, the subject). */
  const mailTo = (email: string, whole = false) => h.mails.filter((m) => m.to.includes(email)).map((m) => (whole ? mailText(m.raw) : mailBody(m.raw)));

  async function start(contact: { phone: string; email: string }) {
    const pnr = testPersonnummer();
    const res = await h.request('POST', '/api/treatments', { token: clinician, body: { personnummer: pnr, programId: 'tobakshjalpen', careUnitId: UNIT, patient: contact } });
    expect(res.status).to.equal(201);
    return { id: res.body.id as string, pnr, patient: await h.token({ role: 'patient', sub: pnr }) };
  }

  /** The outbox of a treatment: each patient notice's status per channel, by notice type. */
  async function outbox(id: string) {
    const docs = await NotificationModel.find({ treatmentId: id, recipient: 'patient' }).lean();
    return docs.map((d) => ({ ...d, notice: (JSON.parse(d.template) as { notice: PatientNotice }).notice }));
  }

  /**
   * Walks a treatment through every patient notice the program sends on its own: the invitation, a
   * message with Avisera, an activity occasion, step 4's forms reminder, the 3-month follow-up
   * (due, reminder, escalation to the clinician) and the end with Vidmakthåll.
   */
  async function walk(id: string, patient: string, before?: () => Promise<void>) {
    expect((await h.request('GET', '/api/me/treatment', { token: patient })).status).to.equal(200);
    await before?.();
    const has = async (notice: PatientNotice, n = 2) => (await outbox(id)).filter((d) => d.notice === notice && d.status === 'sent').length >= n;
    // Avisera via SMS: a message the patient is told of.
    expect((await h.request('POST', `/api/treatments/${id}/conversations`, { token: clinician, body: { subject: 'Hej', text: 'Hur går det?', notify: true } })).status).to.equal(201);
    // An activity plan with an occasion in three seconds.
    const now = Date.now();
    const plan = await h.request('POST', `/api/treatments/${id}/activity-plans`, {
      token: clinician,
      body: {
        title: 'Dagbok', elements: [{ formId: 'check-in' }], answerWindowDays: 1,
        schedule: { weekdays: [weekday(now)], times: [clock(now + 3000)], weeks: 1 },
      },
    });
    expect(plan.status).to.equal(201);
    // Step 4 made current and left unanswered: its forms reminder (PT3S here).
    expect((await h.request('POST', `/api/treatments/${id}/modules/step-4/current`, { token: clinician })).status).to.equal(200);
    await eventually(() => has('new_message'), 20_000);
    await eventually(() => has('activity_due'), 20_000);
    await eventually(() => has('forms_reminder'), 20_000);
    // Step 4 completed: the 3-month follow-up falls due (PT4S), is reminded (PT3S) and escalated to the clinician (PT5S).
    expect((await h.request('POST', `/api/treatments/${id}/modules/step-4/complete`, { token: clinician })).status).to.equal(200);
    await eventually(() => has('followup_due'), 20_000);
    await eventually(() => has('followup_reminder'), 20_000);
    await eventually(async () => (await TimelineModel.countDocuments({ treatmentId: id, type: 'followup_unanswered' })) >= 1, 20_000);
    // The end, with Vidmakthåll: the last notice.
    expect((await h.request('POST', `/api/treatments/${id}/end`, { token: clinician, body: { reason: 'other', maintenance: true } })).status).to.equal(200);
    await eventually(() => has('treatment_ended'), 20_000);
  }

  /** Exactly one notice of each type per channel was sent, and the gateway and mail server received exactly that. */
  async function expectEachOnce(id: string, phone: string, email: string, form: 'neutral' | 'full') {
    const sent = (await outbox(id)).filter((d) => d.status === 'sent');
    const kinds = ['new_message', 'activity_due', 'forms_reminder', 'followup_due', 'followup_reminder', 'treatment_ended'] as const;
    for (const kind of kinds) {
      for (const channel of ['sms', 'email']) {
        const of = sent.filter((d) => d.notice === kind && d.channel === channel);
        // Step 5's follow-up; the later ones (PT8S, PT12S) may also have come due before the end.
        const first = kind.startsWith('followup') ? of.filter((d) => d._id.includes(':followup:0:')) : of;
        expect(first, `${kind} by ${channel}`).to.have.length(1);
      }
      const pattern = form === 'neutral' ? NEUTRAL_TEXT[kind] : FULL_TEXT[kind];
      const smsCount = smsTo(phone).filter((t) => pattern.test(t)).length;
      const mailCount = mailTo(email).filter((t) => pattern.test(t)).length;
      if (form === 'full' || kind === 'new_message' || kind === 'treatment_ended') {
        // Each full text (the follow-ups' name step 5), and each neutral text used by one kind only, arrived once per channel.
        expect(smsCount, `${kind} SMS`).to.equal(1);
        expect(mailCount, `${kind} e-mail`).to.equal(1);
      }
    }
    if (form === 'neutral') {
      // Nothing sent to the unconfirmed address names the program or anything health-related.
      for (const text of [...smsTo(phone), ...mailTo(email, true)]) expect(text).to.not.match(REVEALING);
      // The neutral "a task waits" text: the occasion, step 4's reminder and the follow-up's due and reminder, once each.
      const tasks = sent.filter((d) => d.channel === 'sms' && ['activity_due', 'followup_due'].includes(d.notice)).length;
      const reminders = sent.filter((d) => d.channel === 'sms' && ['forms_reminder', 'followup_reminder'].includes(d.notice)).length;
      expect(smsTo(phone).filter((t) => NEUTRAL_TEXT.activity_due.test(t))).to.have.length(tasks);
      expect(smsTo(phone).filter((t) => NEUTRAL_TEXT.forms_reminder.test(t))).to.have.length(reminders);
    }
    // The end notice is the last one: nothing after it (but a code the patient asks for).
    expect(smsTo(phone).at(-1)).to.match(form === 'neutral' ? NEUTRAL_TEXT.treatment_ended : FULL_TEXT.treatment_ended);
  }

  it('unconfirmed: every notice reaches the address the clinician entered once, in its neutral form, naming no program', async () => {
    const phone = '070-220 00 01';
    const email = 'neutral2201@example.se';
    const { id, patient } = await start({ phone, email });
    await eventually(async () => smsTo(phone).some((t) => NEUTRAL_TEXT.treatment_started.test(t)) && mailTo(email).some((t) => NEUTRAL_TEXT.treatment_started.test(t)));
    await walk(id, patient);
    const settings = await h.request('GET', '/api/me/settings', { token: patient });
    expect(settings.body).to.include({ phoneVerified: false, emailVerified: false });
    await expectEachOnce(id, phone, email, 'neutral');
    expect((await outbox(id)).filter((d) => d.status === 'skipped_unverified')).to.have.length(0);
  });

  it('confirmed: after the patient confirms, every notice comes in its full form (program, step, last day of Vidmakthåll)', async () => {
    const phone = '070-220 00 02';
    const email = 'full2202@example.se';
    const { id, patient } = await start({ phone, email });
    await walk(id, patient, async () => {
      await confirmContact(h, patient, 'patient', 'sms', phone);
      await confirmContact(h, patient, 'patient', 'email', email);
    });
    await expectEachOnce(id, phone, email, 'full');
  });

  it('the patient\'s own unconfirmed change gets nothing until confirmed; a clinician\'s change is used at once, neutral, and recorded', async () => {
    const phone = '070-220 00 03';
    const email = 'own2203@example.se';
    const { id, patient } = await start({ phone, email });
    expect((await h.request('GET', '/api/me/treatment', { token: patient })).status).to.equal(200);
    const message = async (subject: string) => {
      expect((await h.request('POST', `/api/treatments/${id}/conversations`, { token: clinician, body: { subject, text: 'x', notify: true } })).status).to.equal(201);
      // One notice per channel (SMS and e-mail), each written when its turn comes: wait for both, settled.
      return eventually(async () => {
        const docs = (await outbox(id)).filter((d) => d.notice === 'new_message');
        const settled = docs.filter((d) => !['pending', 'sending'].includes(d.status));
        return settled.length === docs.length && new Set(docs.map((d) => d.channel)).size === 2 ? docs : null;
      });
    };

    // The patient types a new number in Inställningar and does not confirm it: no notice goes there, nor to the old one.
    const own = '070-220 00 33';
    const saved = await h.request('PUT', '/api/me/settings', { token: patient, body: { phone: own, email, notifyBySms: true, notifyByEmail: true } });
    expect(saved.body).to.include({ phone: own, phoneVerified: false });
    const first = await message('Ett');
    expect(first.filter((d) => d.channel === 'sms').map((d) => d.status)).to.deep.equal(['skipped_unverified']);
    expect(first.filter((d) => d.channel === 'email').map((d) => d.status)).to.deep.equal(['sent']); // the clinician's e-mail, neutral
    expect(smsTo(own).filter((t) => /meddelande/.test(t))).to.have.length(0);
    expect(smsTo(phone).filter((t) => /meddelande/.test(t))).to.have.length(0);

    // Confirmed: the next message reaches the new number in full.
    await confirmContact(h, patient, 'patient', 'sms', own);
    await h.request('POST', `/api/treatments/${id}/conversations`, { token: clinician, body: { subject: 'Två', text: 'y', notify: true } });
    await eventually(async () => smsTo(own).some((t) => FULL_TEXT.new_message.test(t)));

    // The clinician enters another number (the start form again): used at once, neutral, and the timeline and access log say who.
    const clinicians = '070-220 00 44';
    const again = await h.request('POST', '/api/treatments', { token: clinician, body: { personnummer: (await h.request('GET', `/api/treatments/${id}`, { token: clinician })).body.patient.personnummer, programId: 'tobakshjalpen', careUnitId: UNIT, patient: { phone: clinicians } } });
    expect(again.status).to.equal(200);
    expect(again.body.patient).to.include({ phone: clinicians, phoneVerified: false });
    await h.request('POST', `/api/treatments/${id}/conversations`, { token: clinician, body: { subject: 'Tre', text: 'z', notify: true } });
    const neutral = await eventually(async () => smsTo(clinicians).find((t) => /meddelande/.test(t)));
    expect(neutral).to.match(NEUTRAL_TEXT.new_message).and.not.match(REVEALING);
    const changes = await TimelineModel.find({ treatmentId: id, type: 'contact_changed' }).sort({ at: 1 }).lean();
    expect(changes.map((c) => [c.data, c.actor])).to.deep.equal([[{ channel: 'sms', by: 'patient' }, null], [{ channel: 'sms', by: 'clinician' }, HSA]]);
    expect(JSON.stringify(changes)).to.not.contain('070');
    expect(await AccessLog.countDocuments({ treatmentId: id, actorId: HSA, action: 'POST /api/treatments' })).to.be.greaterThan(0);
    const timeline = await h.request('GET', `/api/treatments/${id}/timeline?types=contact_changed`, { token: clinician });
    expect(timeline.body.items.map((i: { actor: string | null }) => i.actor)).to.deep.equal([null, HSA]);
  });

  it('the invitation\'s reminder (not started) goes to the clinician\'s unconfirmed address once, neutral', async () => {
    const phone = '070-220 00 05';
    const { id } = await start({ phone, email: 'ns2205@example.se' });
    const activities = createActivities({ config: h.config, transports: createTransports(h.config), programs: loadPrograms(h.config.programOverrides) });
    const event = { key: 'not-started', type: 'not_started' as const, at: Date.now(), clinicianId: HSA, flag: 'not_started' as const, notifyPatient: 'not_started' as const };
    const ids = await activities.recordEvent(id, UNIT, event);
    expect(await activities.recordEvent(id, UNIT, event)).to.deep.equal(ids); // a retry queues nothing new
    const deliver = notificationDelivery({ config: h.config, transports: createTransports(h.config) });
    for (const n of ids) expect(await deliver(n, 1)).to.equal('sent');
    for (const n of ids) expect(await deliver(n, 2)).to.equal('sent'); // and sends nothing twice
    const reminders = smsTo(phone).filter((t) => NEUTRAL_TEXT.not_started.test(t));
    expect(reminders).to.have.length(1);
    expect(reminders[0]).to.not.match(REVEALING);
  });
});
