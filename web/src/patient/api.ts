// What the patient's side reads from the API (the answers of /api/me/...), and the shared query.
import { useQuery } from '@tanstack/react-query';
import { api, ApiError, unwrap } from '../api/client';

export interface Question {
  id: string;
  text: string;
  type: 'text' | 'number' | 'boolean' | 'date' | 'single-choice' | 'multi-choice';
  required: boolean;
  options?: string[];
  min?: number;
  max?: number;
  maxLength?: number;
}

export interface PatientForm { id: string; title: string; submittedAt: string | null; questions: Question[] }

export interface PatientModule {
  id: string;
  title: string;
  kind: 'intro' | 'step' | 'individual';
  state: 'locked' | 'open' | 'closed' | 'completed';
  progress: 'none' | 'started' | 'finished';
  deadline: string | null;
  daysLeft: number | null;
  /** Steg 5–7: a follow-up, reminded if unanswered. */
  followUp: boolean;
  /** body: the section's text from the program, Markdown (rendered by Markdown.tsx); null: none. */
  sections: Array<{ id: string; title: string; progress: 'none' | 'started' | 'finished'; body: string | null }>;
  forms: PatientForm[];
}

export interface PatientTreatment {
  id: string;
  programId: string;
  programTitle: string;
  status: string;
  readOnly: boolean;
  maintenanceUntil: string | null;
  welcomeText: string;
  currentModuleId: string | null;
  quitDate: string | null;
  modules: PatientModule[];
  /** The clinician's messages not yet read (reading Meddelanden marks them read). */
  unreadMessages: number;
}

/** unread: a clinician's message the patient had not read before this read of the conversations (which marks it read). */
export interface Message { id: string; author: 'clinician' | 'patient'; text: string; sentAt: string; unread?: boolean }
export interface Conversation { id: string; subject: string; messages: Message[] }

export interface Occasion {
  id: string;
  planId: string;
  dueAt: string;
  answerBy: string;
  state: 'due' | 'answered' | 'missed';
  answeredAt: string | null;
  title: string | null;
  elements: Array<{ formId: string; title: string; questions: Question[] }>;
}

export interface Settings { phone: string | null; email: string | null; notifyBySms: boolean; notifyByEmail: boolean; phoneVerified?: boolean; emailVerified?: boolean }

export interface AccessLogEntry { at: string; careUnitId: string; action: 'read' | 'write' }

/** The patient's treatment; the first call activates it. A 404 means there is none (ended). */
export function useMe() {
  // Fresh on every page: the treatment's state (Vidmakthåll, ended) decides what the page may offer.
  return useQuery({ queryKey: ['me'], queryFn: () => unwrap<PatientTreatment>(api.GET('/api/me/treatment')), staleTime: 0 });
}

export const isEnded = (error: unknown) => error instanceof ApiError && error.problem.status === 404;
