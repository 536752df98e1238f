// How a treatment looks to a clinician and to the patient.
import { differenceInCalendarDays } from 'date-fns';
import { TZDate } from '@date-fns/tz';
import type { Program } from '../../infra/programs';
import { TIME_ZONE } from '../../domain/durations';
import type { FlagType } from '../../domain/types';
import type { TreatmentDoc } from '../../models/treatment';
import type { PatientDoc } from '../../models/patient';
import type { OverviewRowRecord } from '../../models/overview';
import { verificationState } from '../verification';

/** Instants are UTC (`…Z`); calendar dates stay `YYYY-MM-DD`. */
const iso = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);

/** Whole calendar days left in Sweden until the deadline; 0 on its last day, never negative. */
export function daysLeft(deadline: Date | null | undefined, now: Date): number | null {
  if (!deadline) return null;
  if (deadline.getTime() <= now.getTime()) return 0;
  return Math.max(0, differenceInCalendarDays(new TZDate(deadline, TIME_ZONE), new TZDate(now, TIME_ZONE)));
}

type TreatmentRecord = TreatmentDoc & { _id: string };

/** When each form was last submitted, by `moduleId:formId`. */
export type Submissions = Map<string, Date>;
/** The patient's last answers to each form, by `moduleId:formId`. */
export type OwnAnswers = Map<string, { submittedAt: Date; answers: Record<string, unknown> }>;

/**
 * Each module with its own state and, for "what remains": every section with its progress and
 * every form with the time it was submitted (null: not yet).
 */
function moduleViews(doc: TreatmentRecord, program: Program, now: Date, submissions: Submissions) {
  // A purged treatment's document keeps no modules (gallring).
  return (doc.modules ?? []).map((m) => {
    const def = program.modules.find((p) => p.id === m.id);
    const progress = (m.sections ?? {}) as Record<string, string>;
    return {
      id: m.id,
      title: def?.title ?? m.id,
      kind: m.kind,
      state: m.state,
      progress: m.progress,
      deadline: iso(m.deadline),
      daysLeft: m.state === 'open' ? daysLeft(m.deadline, now) : null,
      completedAt: iso(m.completedAt),
      sections: (def?.sections ?? []).map((s) => ({ id: s.id, title: s.title, progress: progress[s.id] ?? 'none' })),
      forms: (def?.forms ?? []).map((f) => ({ id: f.id, title: f.title, submittedAt: iso(submissions.get(`${m.id}:${f.id}`)) })),
    };
  });
}

/** What the treatment document does not hold: kept apart so the workflow stays its only writer. */
export interface Extras { welcomeText: string | null; unreadFlags: number; submissions?: Submissions }

export function clinicianView(doc: TreatmentRecord, patient: PatientDoc | null, extras: Extras, program: Program, now = new Date()) {
  return {
    id: doc._id,
    programId: doc.programId,
    status: doc.status,
    careUnitId: doc.careUnitId,
    clinicianId: doc.clinicianId ?? null,
    patient: {
      personnummer: patient?.personnummer ?? null,
      name: patient?.name ?? null,
      phone: patient?.phone ?? null,
      email: patient?.email ?? null,
      // Whether the patient has confirmed them: health-related notices go only to confirmed addresses.
      ...verificationState(patient),
    },
    startedAt: iso(doc.startedAt),
    activatedAt: iso(doc.activatedAt),
    lastActiveAt: iso(doc.lastActiveAt),
    endedAt: iso(doc.endedAt),
    endReason: doc.endReason ?? null,
    maintenanceUntil: iso(doc.maintenanceUntil),
    quitDate: doc.quitDate ?? null,
    followUps: (doc.followUps ?? []).map((f) => ({
      index: f.index ?? 0, dueAt: iso(f.dueAt), openedAt: iso(f.openedAt), remindedAt: iso(f.remindedAt), escalatedAt: iso(f.escalatedAt), answeredAt: iso(f.answeredAt),
    })),
    welcomeText: extras.welcomeText ?? program.defaultWelcomeText,
    currentModuleId: doc.currentModuleId ?? null,
    modules: moduleViews(doc, program, now, extras.submissions ?? new Map()),
    unreadFlags: extras.unreadFlags,
  };
}

/** An overview row (models/overview.ts) as the list shows it. */
export function listItem(doc: OverviewRowRecord, unreadFlags: number, unreadFlagTypes: Array<{ type: FlagType; count: number; severity: 'info' | 'action' }> = []) {
  return {
    id: doc._id,
    patient: { personnummer: doc.personnummer ?? null, name: doc.name ?? null },
    startedAt: iso(doc.startedAt),
    lastActiveAt: iso(doc.lastActiveAt),
    status: doc.status,
    careUnitId: doc.careUnitId,
    currentModuleId: doc.currentModuleId ?? null,
    unreadFlags,
    unreadFlagTypes,
  };
}

/** The patient sees open, closed and completed modules with their sections, never locked ones, the timeline or flags. */
export function patientView(doc: TreatmentRecord, welcomeText: string | null, program: Program, own: OwnAnswers = new Map(), now = new Date(), unreadMessages = 0) {
  const submissions: Submissions = new Map([...own].map(([k, v]) => [k, v.submittedAt]));
  const views = moduleViews(doc, program, now, submissions).filter((m) => m.state !== 'locked');
  return {
    id: doc._id,
    programId: doc.programId,
    programTitle: program.title,
    status: doc.status,
    readOnly: doc.status === 'maintenance',
    maintenanceUntil: iso(doc.maintenanceUntil),
    welcomeText: welcomeText ?? program.defaultWelcomeText,
    currentModuleId: doc.currentModuleId ?? null,
    quitDate: doc.quitDate ?? null,
    modules: views.map((m) => {
      const def = program.modules.find((p) => p.id === m.id);
      return {
        ...m,
        // Steg 5–7: the patient is told it is a follow-up and that a reminder comes if unanswered.
        followUp: def?.followUpIndex !== undefined,
        sections: m.sections.map((s) => ({ ...s, body: def?.sections.find((x) => x.id === s.id)?.body ?? null })),
        // "Dina svar": the patient's own last answers to the form, beside its questions.
        forms: m.forms.map((f) => ({ ...f, questions: def?.forms.find((x) => x.id === f.id)?.questions ?? [], answers: own.get(`${m.id}:${f.id}`)?.answers ?? null })),
      };
    }),
    unreadMessages,
  };
}
