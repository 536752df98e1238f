// The answers of the treatments feature: a treatment as the clinician sees it, and the overview's rows.
import { z } from 'zod';
import { FLAG_TYPES } from '../../domain/types';
import { calendarDate, flagSeverity, instant, paged, treatmentStatus } from '../responses';

/** A module with its own state and "what remains": each section's progress, each form's submission. */
export const moduleView = z.object({
  id: z.string(),
  title: z.string(),
  kind: z.enum(['intro', 'step', 'individual']),
  state: z.enum(['locked', 'open', 'closed', 'completed']),
  progress: z.enum(['none', 'started', 'finished']),
  deadline: instant.nullable(),
  /** Whole calendar days left in Sweden while the module is open; null otherwise. */
  daysLeft: z.number().int().min(0).nullable(),
  completedAt: instant.nullable(),
  sections: z.array(z.object({ id: z.string(), title: z.string(), progress: z.enum(['none', 'started', 'finished']) })),
  forms: z.array(z.object({ id: z.string(), title: z.string(), submittedAt: instant.nullable() })),
}).meta({ id: 'Module' });

export const treatmentDetail = z.object({
  id: z.string(),
  programId: z.string(),
  status: treatmentStatus,
  careUnitId: z.string(),
  /** Null once purged: gallring keeps no one responsible. */
  clinicianId: z.string().nullable(),
  patient: z.object({
    personnummer: z.string().nullable(), name: z.string().nullable(), phone: z.string().nullable(), email: z.string().nullable(),
    /** The patient has confirmed the number / address with a code: only then do health-related notices go there. */
    phoneVerified: z.boolean(), emailVerified: z.boolean(),
  }),
  startedAt: instant.nullable(),
  activatedAt: instant.nullable(),
  lastActiveAt: instant.nullable(),
  endedAt: instant.nullable(),
  endReason: z.string().nullable(),
  maintenanceUntil: instant.nullable(),
  quitDate: calendarDate.nullable(),
  /** The follow-ups (3, 6 and 12 months): when due, and when opened, reminded, escalated and answered. */
  followUps: z.array(z.object({
    index: z.number().int().min(0), dueAt: instant.nullable(), openedAt: instant.nullable(), remindedAt: instant.nullable(),
    escalatedAt: instant.nullable(), answeredAt: instant.nullable(),
  })),
  welcomeText: z.string(),
  currentModuleId: z.string().nullable(),
  modules: z.array(moduleView),
  unreadFlags: z.number().int().min(0),
}).meta({ id: 'Treatment' });

export const treatmentListItem = z.object({
  id: z.string(),
  patient: z.object({ personnummer: z.string().nullable(), name: z.string().nullable() }),
  startedAt: instant.nullable(),
  lastActiveAt: instant.nullable(),
  status: treatmentStatus,
  careUnitId: z.string(),
  currentModuleId: z.string().nullable(),
  unreadFlags: z.number().int().min(0),
  /** The unread flags by type, action ones first (the overview's Flaggor column names them in words). */
  unreadFlagTypes: z.array(z.object({ type: z.enum(FLAG_TYPES), count: z.number().int().min(1), severity: flagSeverity })),
}).meta({ id: 'TreatmentListItem' });

export const treatmentList = paged(treatmentListItem).extend({ sort: z.string() }).meta({ id: 'TreatmentList' });

export const purgeAccepted = z.object({ id: z.string(), status: z.literal('purging') });
