// Transports for notifications: e-mail over SMTP (nodemailer) and SMS through an HTTP gateway.
// Texts never carry a name, a personnummer or message content: only that something waits.
// Every patient notice has a neutral form (no program, no health word) for the address a clinician
// entered, confirmed or not, and a full form for an address the patient confirmed (PATIENT_NOTICES).
import { createHash } from 'node:crypto';
import nodemailer from 'nodemailer';
import type { Config } from './config';
import type { FlagType, PatientNotice } from '../domain/types';

export interface Outgoing {
  key: string; to: string; subject: string; text: string;
  /** A neutral notice (or a patient's code): sent from the neutral sender, since the address may be a stranger's. */
  neutral?: boolean;
}

export interface Transports {
  email(msg: Outgoing): Promise<void>;
  sms(msg: Outgoing): Promise<void>;
}

export function createTransports(config: Config): Transports {
  const n = config.notifications;
  const mailer = n.smtpUrl ? nodemailer.createTransport(n.smtpUrl) : null;
  return {
    async email(msg) {
      if (!mailer) throw new Error('SMTP_URL is not configured');
      await mailer.sendMail({
        from: msg.neutral ? n.smtpFromNeutral : n.smtpFrom,
        to: msg.to,
        subject: msg.subject,
        text: msg.text,
        // A stable Message-ID lets mail systems drop a copy resent after an interrupted attempt; a
        // hash of the key, so that neither the program nor the kind of notice shows in the header.
        messageId: `<${createHash('sha256').update(msg.key).digest('hex').slice(0, 32)}@notice.invalid>`,
      });
    },
    async sms(msg) {
      if (!n.smsGatewayUrl) throw new Error('SMS_GATEWAY_URL is not configured');
      const res = await fetch(n.smsGatewayUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          // The gateway keeps one message per key: a resend after a lost answer is not a second SMS.
          'idempotency-key': msg.key,
          ...(n.smsGatewayToken ? { authorization: `Bearer ${n.smsGatewayToken}` } : {}),
        },
        body: JSON.stringify({ to: msg.to, message: msg.text }),
        signal: AbortSignal.timeout(15_000),
      });
      if (!res.ok) throw new Error(`SMS gateway answered ${res.status}`);
    },
  };
}

const FLAG_LABELS: Record<FlagType, string> = {
  first_login: 'invånaren har loggat in första gången',
  message_received: 'nytt meddelande från invånaren',
  form_submitted: 'nytt inskickat formulär',
  module_finished: 'en modul är färdig',
  deadline_passed: 'svarstiden för en modul har gått ut',
  patient_inactive: 'invånaren har inte varit aktiv på länge',
  followup_unanswered: 'en uppföljning är obesvarad',
  not_started: 'invånaren har inte loggat in sedan inbjudan',
  activity_missed: 'ett tillfälle i en aktivitetsplan blev inte besvarat',
};

export type Template =
  | {
    kind: 'patient'; notice: PatientNotice;
    /**
     * Which text goes out (decided when queued, see `patientNoticeForm`): `neutral` says only that
     * something waits in 1177; `full` names the program and the step. Absent in notices queued
     * before issue 22 (neutral notices): those were all sent to a confirmed address but the invitation and its reminder.
     */
    form?: NoticeForm;
    /** YYYY-MM-DD: the last day of Vidmakthåll, for the end notice. */
    readableUntil?: string | null;
    /** The program's title of the step the notice is about ("Steg 5: Uppföljning efter 3 månader"), for the full form. */
    step?: string | null;
  }
  | { kind: 'flag'; flag: FlagType; treatmentId: string }
  /** A one-time code proving that the owner receives this address; the code itself is never stored (see api/verification.ts). */
  | { kind: 'verification'; recipient: 'patient' | 'clinician'; channel: 'email' | 'sms'; minutes: number };

export type NoticeForm = 'neutral' | 'full';

/**
 * Which form of a patient notice an address gets (docs/security.md #14, docs/clinical.md "Notices"):
 * - an address the patient has confirmed with a code gets the full text;
 * - the address a clinician entered (at the start or later) gets the neutral text, confirmed or not:
 *   a typo there must not tell a stranger about someone's tobacco treatment, but the patient who
 *   never opens Inställningar must still hear that something waits;
 * - an address the patient changed themselves and has not confirmed gets nothing until confirmed.
 * `null`: nothing is sent (recorded `skipped_unverified` in the outbox).
 */
export function patientNoticeForm(address: string | null | undefined, confirmed: string | null | undefined, enteredByClinician: string | null | undefined): NoticeForm | null {
  if (!address) return null;
  if (address === confirmed) return 'full';
  if (address === enteredByClinician) return 'neutral';
  return null;
}

interface Text { subject: string; text: string }

/** The neutral texts: no program, no health word, no care unit, no clinician. */
const NEUTRAL = {
  invitation: { subject: 'Inbjudan i 1177', text: 'Du har fått en inbjudan i 1177:s e-tjänster. Logga in på 1177.se för att läsa den.' },
  invitationReminder: { subject: 'Påminnelse från 1177', text: 'Påminnelse: du har en inbjudan som väntar i 1177:s e-tjänster. Logga in på 1177.se för att läsa den.' },
  message: { subject: 'Nytt meddelande i 1177', text: 'Du har ett nytt meddelande i 1177:s e-tjänster. Logga in på 1177.se för att läsa det.' },
  task: { subject: 'En uppgift väntar i 1177', text: 'Du har en uppgift som väntar i 1177:s e-tjänster. Logga in på 1177.se.' },
  taskReminder: { subject: 'Påminnelse från 1177', text: 'Påminnelse: du har en uppgift som väntar i 1177:s e-tjänster. Logga in på 1177.se.' },
  changed: { subject: 'Ändring i 1177:s e-tjänster', text: 'Något har ändrats i dina e-tjänster på 1177. Logga in på 1177.se för att se vad.' },
} satisfies Record<string, Text>;

type PatientTemplate = Extract<Template, { kind: 'patient' }>;

/**
 * The one table of patient notices: for each, its neutral text (to the address the clinician
 * entered, confirmed or not) and its full text (only to an address the patient confirmed).
 */
export const PATIENT_NOTICES: Record<PatientNotice, { neutral: Text; full(t: PatientTemplate): Text }> = {
  treatment_started: {
    neutral: NEUTRAL.invitation,
    full: () => ({ subject: 'Inbjudan till Tobakshjälpen', text: 'Du har fått en inbjudan till Tobakshjälpen i 1177:s e-tjänster. Logga in på 1177.se för att börja.' }),
  },
  not_started: {
    neutral: NEUTRAL.invitationReminder,
    full: () => ({ subject: 'Påminnelse från Tobakshjälpen', text: 'Påminnelse: din inbjudan till Tobakshjälpen väntar i 1177:s e-tjänster. Logga in på 1177.se för att börja.' }),
  },
  new_message: {
    neutral: NEUTRAL.message,
    full: () => ({ subject: 'Nytt meddelande i 1177', text: 'Du har ett nytt meddelande från din behandlare i Tobakshjälpen. Logga in i 1177:s e-tjänster för att läsa det.' }),
  },
  followup_due: {
    neutral: NEUTRAL.task,
    full: (t) => ({
      subject: 'Uppföljning i Tobakshjälpen',
      text: `Det är dags för uppföljning i Tobakshjälpen${t.step ? ` (${t.step})` : ''}. Logga in i 1177:s e-tjänster och svara på några frågor.`,
    }),
  },
  followup_reminder: {
    neutral: NEUTRAL.taskReminder,
    full: (t) => ({
      subject: 'Uppföljning i Tobakshjälpen',
      text: `Påminnelse: din uppföljning i Tobakshjälpen${t.step ? ` (${t.step})` : ''} väntar på svar. Logga in i 1177:s e-tjänster.`,
    }),
  },
  forms_reminder: {
    neutral: NEUTRAL.taskReminder,
    full: (t) => ({
      subject: 'Påminnelse från Tobakshjälpen',
      text: `Påminnelse: det finns frågor i Tobakshjälpen som väntar på dina svar${t.step ? ` (${t.step})` : ''}. Logga in i 1177:s e-tjänster.`,
    }),
  },
  activity_due: {
    neutral: NEUTRAL.task,
    full: () => ({ subject: 'Aktivitet i Tobakshjälpen', text: 'Du har en aktivitet att fylla i i Tobakshjälpen. Logga in i 1177:s e-tjänster.' }),
  },
  treatment_ended: {
    neutral: NEUTRAL.changed,
    // Never the reason: only that it has ended, and until when it can be read.
    full: (t) => ({
      subject: 'Din behandling i Tobakshjälpen har avslutats',
      text: t.readableUntil
        ? `Din behandling i Tobakshjälpen har avslutats. Du kan läsa ditt material i 1177:s e-tjänster till och med ${t.readableUntil}.`
        : 'Din behandling i Tobakshjälpen har avslutats.',
    }),
  },
};

/** Whether a template is sent as a neutral notice (from the neutral sender): a patient notice in its neutral form, or a code to a patient. */
export function isNeutral(template: Template): boolean {
  if (template.kind === 'patient') return formOf(template) === 'neutral';
  return template.kind === 'verification' && template.recipient === 'patient';
}

/** Notices queued before issue 22 (neutral notices) carry no form: the invitation and its reminder were neutral, the rest went to confirmed addresses. */
const formOf = (t: PatientTemplate): NoticeForm => t.form ?? (t.notice === 'treatment_started' || t.notice === 'not_started' ? 'neutral' : 'full');

export function render(template: Template, publicUrl: string, code?: string): { subject: string; text: string } {
  if (template.kind === 'verification') {
    if (!code) throw new Error('a verification notice is sent only with its code');
    const what = template.channel === 'email' ? 'din e-postadress' : 'ditt mobilnummer';
    // To the patient, as neutral as the invitation: the address may be a stranger's (a typo).
    const where = template.recipient === 'patient' ? '1177:s e-tjänster' : 'aviseringar från Tobakshjälpen (min profil)';
    return {
      subject: 'Bekräftelsekod',
      text: `Kod: ${code}\nAnge koden för att bekräfta ${what} för ${where}. Koden gäller i ${template.minutes} minuter.\n`
        + 'Har du inte bett om en kod kan du bortse från den.',
    };
  }
  if (template.kind === 'flag') {
    return {
      subject: `Tobakshjälpen: ${FLAG_LABELS[template.flag]}`,
      text: `Något har hänt i en behandling i Tobakshjälpen: ${FLAG_LABELS[template.flag]}.\n`
        + `Behandling: ${publicUrl}/behandlare/behandlingar/${encodeURIComponent(template.treatmentId)}\n`,
    };
  }
  const notice = PATIENT_NOTICES[template.notice];
  return formOf(template) === 'full' ? notice.full(template) : notice.neutral;
}
