// Plain-JSON shapes shared by the workflow, its activities and the API. Times are epoch ms.
// Nothing here may hold personal data: workflow histories carry ids and small facts only.

export type TreatmentStatus = 'invited' | 'active' | 'ended' | 'maintenance' | 'purged';
export type ModuleKind = 'intro' | 'step' | 'individual';
export type ModuleStateName = 'locked' | 'open' | 'closed' | 'completed';
export type SectionProgress = 'started' | 'finished';
export type ModuleProgress = 'none' | 'started' | 'finished';

/** The part of a program a treatment runs on, frozen at start so that later program edits do not rewrite running treatments. */
export interface TreatmentPlan {
  programId: string;
  programVersion: number;
  durations: { moduleWork: string; maintenance: string; retention: string };
  endReasonIds: string[];
  modules: Array<{
    id: string;
    kind: ModuleKind;
    openAtStart: boolean;
    workDuration?: string;
    sectionIds: string[];
    formIds: string[];
  }>;
}

export interface ModuleState {
  id: string;
  state: ModuleStateName;
  openedAt: number | null;
  deadline: number | null;
  completedAt: number | null;
  sections: Record<string, SectionProgress>;
  submittedForms: string[];
}

export interface TreatmentState {
  treatmentId: string;
  programId: string;
  careUnitId: string;
  clinicianId: string;
  status: TreatmentStatus;
  startedAt: number;
  activatedAt: number | null;
  lastActiveAt: number | null;
  endedAt: number | null;
  endReason: string | null;
  maintenanceUntil: number | null;
  quitDate: string | null;
  currentModuleId: string | null;
  modules: ModuleState[];
  /** Grows with every change; the read model keeps the highest it has seen. */
  version: number;
}

export interface TreatmentInput {
  treatmentId: string;
  careUnitId: string;
  clinicianId: string;
  /** Key of the "one open treatment per patient and program" slot in MongoDB; an opaque hash. */
  openSlotKey: string;
  startedAt: number;
  plan: TreatmentPlan;
  /** Present when the workflow continues as new. */
  state?: TreatmentState;
}

/** What the read model stores for a treatment, derived from the workflow state (times in epoch ms; mongoose casts them to dates). */
export type TreatmentProjection = Omit<TreatmentState, 'treatmentId' | 'modules'> & {
  _id: string;
  modules: Array<Pick<ModuleState, 'id' | 'state' | 'openedAt' | 'deadline' | 'completedAt'> & { kind: ModuleKind; progress: ModuleProgress }>;
};

export const FAILURE_TYPES = {
  illegalTransition: 'IllegalTransition',
  unknownModule: 'UnknownModule',
  unknownSection: 'UnknownSection',
} as const;
