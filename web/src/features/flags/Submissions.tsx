// Inskickade svar: open one to read its answers (the first open marks it read and its flag too).
import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ErrorText } from '../../components/ErrorText';
import { programForms, useProgram, type Treatment } from '../../lib/treatment';
import { answerText, dateTime } from '../../utils/format';
import { flagsKeys } from './queries';

export function Submissions({ t }: { t: Treatment }) {
  const qc = useQueryClient();
  const program = useProgram(t.programId);
  const [openId, setOpenId] = useState<string | null>(null);
  const forms = useQuery(flagsKeys.submissions(t.id));
  const opened = useQuery({
    ...flagsKeys.submission(t.id, openId ?? ''),
    enabled: !!openId,
  });
  const formOf = (formId: string) => programForms(program.data).find((f) => f.id === formId);
  const open = (id: string | null) => {
    setOpenId(id);
    if (!id) return;
    // The first read marks the submission and its flag read: their lists follow once it is in.
    void qc.fetchQuery(flagsKeys.submission(t.id, id)).then(() => {
      void qc.invalidateQueries({ queryKey: flagsKeys.submissions(t.id).queryKey, exact: true });
      void qc.invalidateQueries({ queryKey: flagsKeys.flags(t.id).queryKey });
    }, () => undefined);
  };
  return (
    <section aria-labelledby="submissions-heading">
      <h2 id="submissions-heading">Inskickade svar</h2>
      {forms.error && <ErrorText error={forms.error} />}
      {forms.data?.items.length === 0 && <p className="muted">Inga inskickade formulär.</p>}
      {forms.data && forms.data.items.length > 0 && (
        <ul className="items">
          {forms.data.items.map((f) => (
            <li key={f.id}>
              <strong>{formOf(f.formId)?.title ?? f.formId}</strong> – inskickat {dateTime(f.submittedAt)}, {f.openedAt ? `öppnat ${dateTime(f.openedAt)}` : 'inte öppnat'}{' '}
              <button type="button" aria-expanded={openId === f.id} onClick={() => open(openId === f.id ? null : f.id)}>
                {openId === f.id ? 'Stäng svar' : 'Öppna svar'}
              </button>
              {openId === f.id && opened.data && (
                <dl className="answers">
                  {Object.entries(opened.data.answers ?? {}).map(([q, v]) => (
                    <div key={q}><dt>{formOf(f.formId)?.questions.find((x) => x.id === q)?.text ?? q}</dt><dd>{answerText(v)}</dd></div>
                  ))}
                </dl>
              )}
              {openId === f.id && opened.error && <ErrorText error={opened.error} />}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
