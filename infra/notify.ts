// Transports for notifications: e-mail over SMTP (nodemailer) and SMS through an HTTP gateway.
// Texts never carry a name, a personnummer or message content: only that something waits.
// The invitation and its reminder go to an address nobody has verified yet (the one the clinician
// typed), so they say nothing health-related either: not even the program's name.
import nodemailer from 'nodemailer';
import type { Config } from './config';
import type { FlagType, PatientNotice } from '../domain/types';

export interface Outgoing { key: string; to: string; subject: string; text: string }

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
        from: n.smtpFrom,
        to: msg.to,
        subject: msg.subject,
        text: msg.text,
        // A stable Message-ID lets mail systems drop a copy resent after an interrupted attempt.
        messageId: `<${msg.key.replace(/[^A-Za-z0-9.:-]/g, '-')}@tobakshjalpen>`,
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
  | { kind: 'patient'; notice: PatientNotice; /** YYYY-MM-DD: the last day of Vidmakthåll, for the end notice. */ readableUntil?: string | null }
  | { kind: 'flag'; flag: FlagType; treatmentId: string }
  /** A one-time code proving that the owner receives this address; the code itself is never stored (see api/verification.ts). */
  | { kind: 'verification'; recipient: 'patient' | 'clinician'; channel: 'email' | 'sms'; minutes: number };

/** Patient notices that may go to an unverified address: they carry no health data (the invitation and its reminder). */
export const NOTICES_WITHOUT_VERIFICATION: ReadonlyArray<PatientNotice> = ['treatment_started', 'not_started'];

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
        + `Behandling: ${publicUrl}/treatments/${template.treatmentId}\n`,
    };
  }
  if (template.notice === 'followup_due' || template.notice === 'followup_reminder') {
    return {
      subject: 'Uppföljning i Tobakshjälpen',
      text: template.notice === 'followup_due'
        ? 'Det är dags för uppföljning i Tobakshjälpen. Logga in i 1177:s e-tjänster och svara på några frågor.'
        : 'Påminnelse: din uppföljning i Tobakshjälpen väntar på svar. Logga in i 1177:s e-tjänster.',
    };
  }
  if (template.notice === 'forms_reminder') {
    return {
      subject: 'Påminnelse från Tobakshjälpen',
      text: 'Påminnelse: det finns frågor i Tobakshjälpen som väntar på dina svar. Logga in i 1177:s e-tjänster.',
    };
  }
  if (template.notice === 'activity_due') {
    return {
      subject: 'Aktivitet i Tobakshjälpen',
      text: 'Du har en aktivitet att fylla i i Tobakshjälpen. Logga in i 1177:s e-tjänster.',
    };
  }
  if (template.notice === 'not_started') {
    // To an unverified address (see NOTICES_WITHOUT_VERIFICATION): no program, no treatment, no care unit.
    return {
      subject: 'Påminnelse från 1177',
      text: 'Påminnelse: du har en inbjudan som väntar i 1177:s e-tjänster. Logga in på 1177.se för att läsa den.',
    };
  }
  if (template.notice === 'treatment_ended') {
    // Never the reason: only that it has ended, and until when it can be read.
    return {
      subject: 'Din behandling i Tobakshjälpen har avslutats',
      text: template.readableUntil
        ? `Din behandling i Tobakshjälpen har avslutats. Du kan läsa ditt material i 1177:s e-tjänster till och med ${template.readableUntil}.`
        : 'Din behandling i Tobakshjälpen har avslutats.',
    };
  }
  if (template.notice === 'new_message') {
    return {
      subject: 'Nytt meddelande i 1177',
      text: 'Du har ett nytt meddelande från din behandlare i Tobakshjälpen. Logga in i 1177:s e-tjänster för att läsa det.',
    };
  }
  // The invitation (treatment_started), to the address the clinician typed: unverified, so neutral.
  return {
    subject: 'Inbjudan i 1177',
    text: 'Du har fått en inbjudan i 1177:s e-tjänster. Logga in på 1177.se för att läsa den.',
  };
}
