// What the patient notices say, as the tests read them (test/notices.test.ts, test/notices-table.test.ts).
import type { PatientNotice } from '../../domain/types';

/** Words a neutral notice must not carry: the program, a health word, care, a step. */
export const REVEALING = /tobak|snus|nikotin|rök|behandl|vård|uppföljning|steg|aktivitet|vidmakthåll/i;

export const NEUTRAL_TEXT: Record<PatientNotice, RegExp> = {
  treatment_started: /^Du har fått en inbjudan i 1177:s e-tjänster/,
  not_started: /^Påminnelse: du har en inbjudan som väntar i 1177:s e-tjänster/,
  new_message: /^Du har ett nytt meddelande i 1177:s e-tjänster/,
  followup_due: /^Du har en uppgift som väntar i 1177:s e-tjänster/,
  activity_due: /^Du har en uppgift som väntar i 1177:s e-tjänster/,
  followup_reminder: /^Påminnelse: du har en uppgift som väntar i 1177:s e-tjänster/,
  forms_reminder: /^Påminnelse: du har en uppgift som väntar i 1177:s e-tjänster/,
  treatment_ended: /^Något har ändrats i dina e-tjänster på 1177/,
};

export const FULL_TEXT: Record<PatientNotice, RegExp> = {
  treatment_started: /inbjudan till Tobakshjälpen/,
  not_started: /inbjudan till Tobakshjälpen väntar/,
  new_message: /nytt meddelande från din behandlare i Tobakshjälpen/,
  followup_due: /dags för uppföljning i Tobakshjälpen \(Steg 5: Uppföljning efter 3 månader\)/,
  followup_reminder: /din uppföljning i Tobakshjälpen \(Steg 5: Uppföljning efter 3 månader\) väntar/,
  forms_reminder: /frågor i Tobakshjälpen som väntar på dina svar \(Steg 4: Återkoppling/,
  activity_due: /aktivitet att fylla i i Tobakshjälpen/,
  treatment_ended: /Din behandling i Tobakshjälpen har avslutats\. Du kan läsa ditt material i 1177:s e-tjänster till och med \d{4}-\d{2}-\d{2}/,
};

