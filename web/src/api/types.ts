// What the app reads from the API's answers (API.md). The OpenAPI document describes requests;
// these describe the answers until the document carries response schemas.
export type TreatmentStatus = 'invited' | 'active' | 'ended' | 'maintenance' | 'purged';

export interface TreatmentListItem {
  id: string;
  patient: { personnummer: string; name: string | null };
  startedAt: string;
  lastActiveAt: string | null;
  status: TreatmentStatus;
  currentModuleId: string | null;
  unreadFlags: number;
}

export interface Paged<T> { items: T[]; total: number; page?: number; pageSize?: number }

export interface ModuleView {
  id: string;
  title: string;
  kind: 'intro' | 'step' | 'individual';
  state: 'locked' | 'open' | 'closed' | 'completed';
  progress: 'none' | 'started' | 'finished';
  deadline: string | null;
  daysLeft: number | null;
  sections: Array<{ id: string; title: string; progress: 'none' | 'started' | 'finished' }>;
  forms: Array<{ id: string; title: string; submittedAt: string | null }>;
}

export interface Treatment {
  id: string;
  programId: string;
  status: TreatmentStatus;
  careUnitId: string;
  clinicianId: string;
  patient: { personnummer: string; name: string | null; phone: string | null; email: string | null };
  startedAt: string;
  activatedAt: string | null;
  lastActiveAt: string | null;
  endedAt: string | null;
  endReason: string | null;
  maintenanceUntil: string | null;
  quitDate: string | null;
  welcomeText: string | null;
  currentModuleId: string | null;
  modules: ModuleView[];
  unreadFlags: number;
}

export interface Message { id: string; author: 'clinician' | 'patient'; text: string; sentAt: string }
export interface Conversation { id: string; subject: string; messages: Message[] }

export interface Flag {
  id: string;
  treatmentId: string;
  type: string;
  severity: 'info' | 'action';
  createdAt: string;
  readAt: string | null;
  [key: string]: unknown;
}

export interface TimelineEvent { type: string; at: string; [key: string]: unknown }

export interface ActivityPlan {
  id: string;
  title: string;
  schedule?: { weekdays: string[]; times: string[]; weeks: number };
  answerWindowDays?: number;
  stoppedAt?: string | null;
  [key: string]: unknown;
}

export interface Program {
  id: string;
  title?: string;
  endReasons: Array<{ id: string; title: string }>;
  modules: Array<{ id: string; title: string }>;
}
