// "Dina svar": what the patient sent, each question beside its answer, and when it was sent. Shown
// for a sent form after a reload, in Vidmakthåll and in closed or completed steps (never a blank,
// disabled form), and for an answered activity occasion (answers by form, then question).
import type { QuestionGroup } from './answers';
import { optionText } from './answers';
import { dateTime } from '../../utils/format';
import type { Question } from '../../lib/me';

const longDate = new Intl.DateTimeFormat('sv-SE', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' });

/** One answer in words, as the question asked it: Ja/Nej, the options in words, a date written out. */
export function sentAnswerText(q: Question, v: unknown): string {
  if (v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0)) return 'Inget svar';
  if (typeof v === 'boolean') return v ? 'Ja' : 'Nej';
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'string' ? optionText(x) : String(x))).join(', ');
  if (q.type === 'date' && typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) return longDate.format(new Date(`${v}T12:00:00Z`));
  if (typeof v === 'string') return q.type === 'single-choice' ? optionText(v) : v;
  if (typeof v === 'number') return String(v).replace('.', ',');
  return '–';
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function SentAnswers({ groups, answers, sentAt, sentWord = 'Skickat' }: {
  groups: QuestionGroup[];
  answers: Record<string, unknown>;
  sentAt: string | null;
  /** "Skickat" for a form, "Besvarad" for an activity. */
  sentWord?: string;
}) {
  return (
    <div className="sent-answers">
      <h4>Dina svar</h4>
      {sentAt && <p className="muted">{sentWord} {dateTime(sentAt)}</p>}
      {groups.map((g) => {
        const own = g.key ? answers[g.key] : answers;
        const values = isRecord(own) ? own : {};
        return (
          <div key={g.key ?? ''}>
            {g.title && groups.length > 1 && <p className="group-title">{g.title}</p>}
            <dl className="answers">
              {g.questions.map((q) => (
                <div key={q.id} className="answer">
                  <dt>{q.text}</dt>
                  <dd>{sentAnswerText(q, values[q.id])}</dd>
                </div>
              ))}
            </dl>
          </div>
        );
      })}
    </div>
  );
}
