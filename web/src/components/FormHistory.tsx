// Se historik: a submitted form's answers in a modal dialog, each question beside its answer and
// when it was sent, reachable from the form in Hantera (every time it was sent) and from its row in
// Tidslinje (that submission). Reading a submission the first time marks it (and its flag) read and
// puts it on the timeline, as in Flaggor. Escape and Stäng close it; focus stays inside meanwhile.
import { useEffect, useId, useRef, useState } from 'react';
import { useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { formKeys } from '../lib/forms';
import { programForms, treatmentKeys, useProgram, type ProgramForm, type Treatment } from '../lib/treatment';
import { answerText, dateTime } from '../utils/format';
import { keepFocusInside } from './ConfirmDialog';
import { ErrorText } from './ErrorText';

/** Which submissions: one (`submissionId`, from the timeline) or every one of a module's form (Hantera). */
export type HistoryOf = { submissionId: string } | { moduleId: string; formId: string };

export function FormHistory({ t, of, formTitle }: { t: Treatment; of: HistoryOf; formTitle: string }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      {/* The name says which form: a module may have several. */}
      <button type="button" aria-haspopup="dialog" aria-label={`Se historik: ${formTitle}`} onClick={() => setOpen(true)}>Se historik</button>
      {open && <HistoryDialog t={t} of={of} formTitle={formTitle} onClose={() => setOpen(false)} />}
    </>
  );
}

function HistoryDialog({ t, of, formTitle, onClose }: { t: Treatment; of: HistoryOf; formTitle: string; onClose: () => void }) {
  const base = useId();
  const ref = useRef<HTMLDialogElement>(null);
  const qc = useQueryClient();
  const program = useProgram(t.programId);
  const list = useQuery(formKeys.submissions(t.id));
  const chosen = (list.data?.items ?? [])
    .filter((s) => ('submissionId' in of ? s.id === of.submissionId : s.moduleId === of.moduleId && s.formId === of.formId))
    .sort((a, b) => b.submittedAt.localeCompare(a.submittedAt));
  const answers = useQueries({ queries: chosen.map((s) => formKeys.submission(t.id, s.id)) });
  const unread = chosen.some((s) => !s.openedAt);
  const allIn = answers.length > 0 && answers.every((a) => a.isSuccess);
  useEffect(() => { ref.current?.showModal(); }, []);
  // Once the unread ones are read, the lists that show them read follow.
  useEffect(() => {
    if (!allIn || !unread) return;
    void qc.invalidateQueries({ queryKey: formKeys.submissions(t.id).queryKey, exact: true });
    void qc.invalidateQueries({ queryKey: treatmentKeys.flags(t.id) });
    void qc.invalidateQueries({ queryKey: treatmentKeys.timeline(t.id) });
    void qc.invalidateQueries({ queryKey: treatmentKeys.lists });
  }, [allIn, unread, qc, t.id]);
  const form = programForms(program.data).find((f) => f.id === chosen[0]?.formId);
  const moduleTitle = (moduleId: string) => t.modules.find((m) => m.id === moduleId)?.title ?? '';
  return (
    <dialog ref={ref} className="wide" aria-labelledby={`${base}-h`} onKeyDown={keepFocusInside}
      onClose={onClose}>
      <h2 id={`${base}-h`}>Historik: {formTitle}</h2>
      {list.error && <ErrorText error={list.error} />}
      {list.isPending && <p role="status">Hämtar svaren …</p>}
      {list.data && chosen.length === 0 && <p>Formuläret har inte skickats in.</p>}
      {chosen.map((s, i) => {
        const answered = answers[i];
        return (
          <div key={s.id}>
            {answered?.error && <ErrorText error={answered.error} />}
            {answered?.data ? (
              <AnswersTable caption={`Inskickat ${dateTime(s.submittedAt)}${moduleTitle(s.moduleId) ? `, ${moduleTitle(s.moduleId)}` : ''}`} form={form} answers={answered.data.answers} />
            ) : !answered?.error && <p role="status">Hämtar svaren …</p>}
          </div>
        );
      })}
      <div className="actions">
        <button type="button" onClick={() => ref.current?.close()}>Stäng</button>
      </div>
    </dialog>
  );
}

/** Each question of the form beside its answer in words; answers to questions the program no longer has last. */
function AnswersTable({ caption, form, answers }: { caption: string; form: ProgramForm | undefined; answers: Record<string, unknown> }) {
  const questions = form?.questions ?? [];
  const extra = Object.keys(answers).filter((k) => !questions.some((q) => q.id === k));
  return (
    <table className="answers-table">
      <caption>{caption}</caption>
      <thead><tr><th scope="col">Fråga</th><th scope="col">Svar</th></tr></thead>
      <tbody>
        {questions.map((q) => <tr key={q.id}><th scope="row">{q.text}</th><td>{answerText(answers[q.id])}</td></tr>)}
        {extra.map((k) => <tr key={k}><th scope="row">Tidigare fråga</th><td>{answerText(answers[k])}</td></tr>)}
      </tbody>
    </table>
  );
}
