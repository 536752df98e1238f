// Dates and times in Europe/Stockholm, Swedish format.
const zone = 'Europe/Stockholm';
const dateFmt = new Intl.DateTimeFormat('sv-SE', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
const dateTimeFmt = new Intl.DateTimeFormat('sv-SE', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });

export function date(iso: string | null | undefined): string {
  return iso ? dateFmt.format(new Date(iso)) : '–';
}

export function dateTime(iso: string | null | undefined): string {
  return iso ? dateTimeFmt.format(new Date(iso)) : '–';
}

export const statusText: Record<string, string> = {
  invited: 'Inbjuden',
  active: 'Pågående',
  ended: 'Avslutad',
  maintenance: 'Vidmakthåll',
  purged: 'Gallrad',
};

export const moduleStateText = (m: { state: string; progress: string }): string => {
  if (m.state === 'completed' || m.progress === 'finished') return 'Klar';
  if (m.progress === 'started') return 'Påbörjad';
  return 'Ej påbörjad';
};

export const accessText: Record<string, string> = {
  locked: 'Låst',
  open: 'Öppen',
  closed: 'Stängd',
  completed: 'Avklarad',
};

export const progressText: Record<string, string> = { none: 'Ej påbörjad', started: 'Påbörjad', finished: 'Klar' };

export const flagTypeText: Record<string, string> = {
  first_login: 'Första inloggning',
  message_received: 'Nytt meddelande',
  form_submitted: 'Inskickat formulär',
  module_finished: 'Modul klar',
  deadline_passed: 'Svarstiden har gått ut',
  patient_inactive: 'Inaktiv invånare',
  followup_unanswered: 'Uppföljning ej besvarad',
  not_started: 'Har inte kommit igång',
  activity_missed: 'Missad aktivitet',
};

export const flagText = (type: string) => flagTypeText[type] ?? type.replace(/_/g, ' ');

export const timelineTypeText: Record<string, string> = {
  treatment_started: 'Behandling startad', activated: 'Aktiverad (första besök)', module_opened: 'Modul öppnad',
  module_current: 'Satt till aktuell', module_completed: 'Markerad som avklarad', module_finished: 'Modul klar',
  module_closed: 'Modul stängd', module_deadline_changed: 'Ny svarstid', form_submitted: 'Formulär inskickat',
  form_opened: 'Formulär öppnat', message_sent: 'Meddelande skickat', message_received: 'Meddelande mottaget',
  flag_raised: 'Flagga', patient_inactive: 'Inaktiv invånare', clinician_changed: 'Byte av behandlare',
  treatment_ended: 'Behandling avslutad', maintenance_ended: 'Vidmakthåll slut', followup_due: 'Uppföljning',
  followup_reminder: 'Påminnelse om uppföljning', followup_unanswered: 'Uppföljning ej besvarad',
  followup_answered: 'Uppföljning besvarad', activity_plan_added: 'Aktivitetsplan tillagd',
  activity_plan_removed: 'Aktivitetsplan borttagen', activity_due: 'Aktivitet', purge_requested: 'Gallring begärd',
  note: 'Kontaktanteckning', not_started: 'Har inte kommit igång', activity_answered: 'Aktivitet besvarad',
  activity_missed: 'Aktivitet missad', forms_reminder: 'Påminnelse om frågor', contact_changed: 'Kontaktuppgift ändrad',
};

/** 12 digits as ÅÅÅÅMMDD-NNNN; a purged treatment (gallrad) has none left: a dash. */
export const personnummerText = (p: string | null) => (p === null ? '–' : /^\d{12}$/.test(p) ? `${p.slice(0, 8)}-${p.slice(8)}` : p);

/** Option ids that are not words, in words (as the patient's forms show them). */
const optionWords: Record<string, string> = { 'tobacco-free': 'Tobaksfri', reduced: 'Minskad', unchanged: 'Oförändrad' };

/** One answer in words: Ja/Nej for a yes/no, options in words, several joined by commas, none a dash. */
export const answerText = (v: unknown): string => {
  if (v === true) return 'Ja';
  if (v === false) return 'Nej';
  if (Array.isArray(v)) return v.length ? v.map(answerText).join(', ') : '–';
  if (v === null || v === undefined || v === '') return '–';
  if (typeof v === 'string') return optionWords[v] ?? v;
  return typeof v === 'number' ? String(v) : JSON.stringify(v);
};
