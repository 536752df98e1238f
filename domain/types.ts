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
  /**
   * How the plan adds calendar durations: 'offsets' from release 1.2 (right inside the workflow
   * sandbox); absent in older plans, which keep the TZDate calendar their histories were made with.
   */
  calendar?: 'offsets';
  durations: {
    moduleWork: string; inactivityFlag: string; maintenance: string; retention: string;
    followUps: string[]; followUpReminder: string; followUpEscalation: string;
    /** Invited but never logged in: one reminder and a flag after this long. Absent in 1.0 plans (release 1.1). */
    notStarted?: string;
  };
  endReasonIds: string[];
  modules: Array<{
    id: string;
    kind: ModuleKind;
    openAtStart: boolean;
    workDuration?: string;
    /** Informational (Inledning, Bra att veta): no work time, never closes. Absent in 1.0 plans (release 1.1). */
    noWorkTime?: boolean;
    sectionIds: string[];
    formIds: string[];
    /** Steps 5–7: the index into durations.followUps. */
    followUpIndex?: number;
    /**
     * Step 4 and step 7 (closing questions): unsent forms are reminded like a follow-up, after
     * durations.followUpReminder (release 1.2; absent in older plans, which keep the old rule).
     */
    remindUnanswered?: boolean;
  }>;
}

export const FLAG_TYPES = [
  'first_login', 'message_received', 'form_submitted', 'module_finished', 'deadline_passed',
  'patient_inactive', 'followup_unanswered', 'not_started', 'activity_missed',
] as const;
export type FlagType = (typeof FLAG_TYPES)[number];

export const TIMELINE_TYPES = [
  'treatment_started', 'activated', 'module_opened', 'module_current', 'module_completed', 'module_finished',
  'module_closed', 'module_deadline_changed', 'form_submitted', 'form_opened', 'message_sent', 'message_received',
  'flag_raised', 'patient_inactive', 'clinician_changed', 'treatment_ended', 'maintenance_ended',
  'followup_due', 'followup_reminder', 'followup_unanswered', 'followup_answered',
  'activity_plan_added', 'activity_plan_removed', 'activity_due', 'purge_requested', 'note', 'not_started', 'activity_answered',
  'activity_missed', 'forms_reminder', 'contact_changed',
] as const;
export type TimelineType = (typeof TIMELINE_TYPES)[number];

/** A notification to the patient; the text is chosen by the activity, never carried here. */
export const PATIENT_NOTICE_TYPES = [
  'treatment_started', 'new_message', 'followup_due', 'followup_reminder', 'activity_due', 'not_started', 'treatment_ended', 'forms_reminder',
] as const;
export type PatientNotice = (typeof PATIENT_NOTICE_TYPES)[number];

export interface FollowUpState {
  moduleId: string;
  openedAt: number | null;
  remindedAt: number | null;
  escalatedAt: number | null;
  answeredAt: number | null;
  tobaccoStatus: string | null;
}

/**
 * Something that happened in the treatment. `key` is unique within the treatment and derived from
 * the event itself, so recording it twice (a retry, a replay) writes nothing new.
 */
export interface DomainEvent {
  key: string;
  type: TimelineType;
  at: number;
  /** The responsible clinician when it happened: flags and e-mails go to them. */
  clinicianId: string;
  moduleId?: string;
  /** Ids of MongoDB documents (form submission, conversation, message), never their content. */
  ref?: string;
  flag?: FlagType;
  notifyPatient?: PatientNotice;
  data?: Record<string, string | number | boolean | null>;
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
  /** Events not yet recorded in MongoDB (timeline, flags, notifications); drained by the workflow. */
  pendingEvents: DomainEvent[];
  /** The lastActiveAt for which patient_inactive was raised: once per quiet period. */
  inactivityFlaggedFor: number | null;
  /** Follow-ups (steps 5–7), by index of durations.followUps. */
  followUps: FollowUpState[];
  /** Activity plans whose child workflows run. */
  activityPlans: string[];
  /** Gallring asked for (by a clinician or the retention timer); the workflow archives, purges and completes. */
  purgeRequested: boolean;
  /** When the invited patient was reminded for not having started (release 1.1; absent before). */
  notStartedNoticedAt?: number | null;
  /** Modules whose unsent forms the patient has been reminded of (release 1.2; absent before). */
  formsRemindedFor?: string[];
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
  /**
   * Set by the API, which wrote the read model of the initial state and started the workflow with
   * its search attributes: the first workflow task writes neither again.
   */
  readModelWritten?: boolean;
  /** Continue as new past this many history events (tests); Temporal's own suggestion applies regardless. */
  continueAsNewAfterEvents?: number;
  /** Notification ids the previous run had in flight when it continued as new (release 1.2). */
  deliveriesInFlight?: string[];
}

/** What the read model stores for a treatment, derived from the workflow state (times in epoch ms; mongoose casts them to dates). */
export type TreatmentProjection = Omit<TreatmentState, 'treatmentId' | 'modules' | 'pendingEvents' | 'inactivityFlaggedFor' | 'followUps' | 'purgeRequested' | 'formsRemindedFor'> & {
  _id: string;
  followUps: Array<FollowUpState & { index: number; dueAt: number | null }>;
  modules: Array<Pick<ModuleState, 'id' | 'state' | 'openedAt' | 'deadline' | 'completedAt' | 'sections' | 'submittedForms'> & { kind: ModuleKind; progress: ModuleProgress }>;
};

export const FAILURE_TYPES = {
  illegalTransition: 'IllegalTransition',
  unknownModule: 'UnknownModule',
  unknownSection: 'UnknownSection',
  unknownForm: 'UnknownForm',
} as const;
