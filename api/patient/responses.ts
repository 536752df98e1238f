// The answers of the patient's own side: the treatment as the patient sees it, and their settings.
import { z } from 'zod';
import { questionSchema } from '../../domain/program';
import { calendarDate, instant, treatmentStatus } from '../responses';
import { moduleView } from '../treatments/responses';

export const question = questionSchema.meta({ id: 'Question' });

/** A module as the patient sees it: its sections carry their text (Markdown), its forms their questions. */
export const patientModule = moduleView.extend({
  /** A follow-up step (Steg 5–7, `followUpIndex` in the program): reminded once if unanswered, then the clinician is told. */
  followUp: z.boolean(),
  sections: z.array(z.object({
    id: z.string(), title: z.string(), progress: z.enum(['none', 'started', 'finished']),
    /** The section's text from the program (Markdown; the app renders a sanitised subset); null: none. */
    body: z.string().nullable(),
  })),
  forms: z.array(z.object({
    id: z.string(), title: z.string(), submittedAt: instant.nullable(), questions: z.array(question),
    /** "Dina svar": the patient's own last answers to the form, by question id (sent at submittedAt); null before the first. */
    answers: z.record(z.string(), z.unknown()).nullable(),
  })),
}).meta({ id: 'PatientModule' });

export const patientTreatment = z.object({
  id: z.string(),
  /** The patient's name as the clinician entered it, for the page's header; null: none entered. Never the personnummer. */
  patientName: z.string().nullable(),
  programId: z.string(),
  programTitle: z.string(),
  status: treatmentStatus,
  /** During Vidmakthåll the patient reads and writes nothing, until maintenanceUntil. */
  readOnly: z.boolean(),
  maintenanceUntil: instant.nullable(),
  welcomeText: z.string(),
  currentModuleId: z.string().nullable(),
  quitDate: calendarDate.nullable(),
  modules: z.array(patientModule),
  /** The clinician's messages not yet read by the patient (reading the conversations marks them read). */
  unreadMessages: z.number().int().min(0),
}).meta({ id: 'PatientTreatment' });

export const patientSettings = z.object({
  phone: z.string().nullable(), email: z.string().nullable(), notifyBySms: z.boolean(), notifyByEmail: z.boolean(),
  /** The address is confirmed: the patient entered the code sent there. Full notices go only to confirmed addresses; the one a clinician entered gets neutral ones until then. */
  phoneVerified: z.boolean(), emailVerified: z.boolean(),
}).meta({ id: 'PatientSettings' });
