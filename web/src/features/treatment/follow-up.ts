// A follow-up's state in words, for Om behandlingen.
import type { Treatment } from '../../lib/treatment';
import { date } from '../../utils/format';

export type FollowUp = Treatment['followUps'][number];

/** Kommande (not sent yet), Skickad, Påmind, Besvarad or Obesvarad (escalated to the clinician unanswered). */
export function followUpState(f: FollowUp | undefined): string {
  if (!f) return 'Kommande';
  if (f.answeredAt) return `Besvarad ${date(f.answeredAt)}`;
  if (f.escalatedAt) return 'Obesvarad';
  if (f.remindedAt) return `Påmind ${date(f.remindedAt)}`;
  if (f.openedAt) return `Skickad ${date(f.openedAt)}`;
  return 'Kommande';
}
