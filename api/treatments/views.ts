// How a treatment looks to a clinician and to the patient.
import { differenceInCalendarDays } from 'date-fns';
import { TZDate } from '@date-fns/tz';
import type { Program } from '../../infra/programs';
import { TIME_ZONE } from '../../domain/durations';
import type { TreatmentDoc } from '../../models/treatment';
import type { PatientDoc } from '../../models/patient';

const iso = (d: Date | null | undefined): string | null => (d ? new TZDate(d, TIME_ZONE).toISOString() : null);

/** Whole calendar days left in Sweden until the deadline; 0 on its last day, never negative. */
export function daysLeft(deadline: Date | null | undefined, now: Date): number | null {
  if (!deadline) return null;
  if (deadline.getTime() <= now.getTime()) return 0;
  return Math.max(0, differenceInCalendarDays(new TZDate(deadline, TIME_ZONE), new TZDate(now, TIME_ZONE)));
}

type TreatmentRecord = TreatmentDoc & { _id: string };

function moduleViews(doc: TreatmentRecord, program: Program, now: Date) {
  return doc.modules.map((m) => {
    const def = program.modules.find((p) => p.id === m.id);
    return {
      id: m.id,
      title: def?.title ?? m.id,
      kind: m.kind,
      state: m.state,
      progress: m.progress,
      deadline: iso(m.deadline),
      daysLeft: m.state === 'open' ? daysLeft(m.deadline, now) : null,
      completedAt: iso(m.completedAt),
    };
  });
}

/** What the treatment document does not hold: kept apart so the workflow stays its only writer. */
export interface Extras { welcomeText: string | null; unreadFlags: number }

export function clinicianView(doc: TreatmentRecord, patient: PatientDoc | null, extras: Extras, program: Program, now = new Date()) {
  return {
    id: doc._id,
    programId: doc.programId,
    status: doc.status,
    careUnitId: doc.careUnitId,
    clinicianId: doc.clinicianId,
    patient: {
      personnummer: patient?.personnummer ?? null,
      name: patient?.name ?? null,
      phone: patient?.phone ?? null,
      email: patient?.email ?? null,
    },
    startedAt: iso(doc.startedAt),
    activatedAt: iso(doc.activatedAt),
    lastActiveAt: iso(doc.lastActiveAt),
    endedAt: iso(doc.endedAt),
    endReason: doc.endReason ?? null,
    maintenanceUntil: iso(doc.maintenanceUntil),
    quitDate: doc.quitDate ?? null,
    welcomeText: extras.welcomeText ?? program.defaultWelcomeText,
    currentModuleId: doc.currentModuleId ?? null,
    modules: moduleViews(doc, program, now),
    unreadFlags: extras.unreadFlags,
  };
}

export function listItem(doc: TreatmentRecord, patient: PatientDoc | null, unreadFlags: number) {
  return {
    id: doc._id,
    patient: { personnummer: patient?.personnummer ?? null, name: patient?.name ?? null },
    startedAt: iso(doc.startedAt),
    lastActiveAt: iso(doc.lastActiveAt),
    status: doc.status,
    careUnitId: doc.careUnitId,
    currentModuleId: doc.currentModuleId ?? null,
    unreadFlags,
  };
}

/** The patient sees open, closed and completed modules with their sections, never locked ones, the timeline or flags. */
export function patientView(doc: TreatmentRecord, welcomeText: string | null, program: Program, now = new Date()) {
  const views = moduleViews(doc, program, now).filter((m) => m.state !== 'locked');
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
        sections: def?.sections ?? [],
        forms: (def?.forms ?? []).map((f) => ({ id: f.id, title: f.title, questions: f.questions })),
      };
    }),
  };
}
