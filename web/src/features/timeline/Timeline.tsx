// Tidslinje: the treatment's events, newest first and paged on the server (Visa fler), filtered by
// several types at once and by Swedish calendar days; a sent or opened form's answers behind Se
// historik; a contact note.
import { useId, useState } from 'react';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { ErrorText } from '../../components/ErrorText';
import { send } from '../../lib/api';
import { FormHistory } from '../../components/FormHistory';
import { programForms, treatmentKeys, useProgram, type Treatment } from '../../lib/treatment';
import { dayEnd, dayStart } from '../../utils/dates';
import { dateTime, timelineTypeText } from '../../utils/format';
import { entryDetail, NOTE_KINDS, noteKind, submissionOf, type NoteKind } from './entry';
import { timelineKeys, type TimelineQuery } from './queries';

const PAGE_SIZE = 50;

export function Timeline({ t }: { t: Treatment }) {
  const base = useId();
  const qc = useQueryClient();
  const [types, setTypes] = useState<string[]>([]);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const start = dayStart(from);
  const end = dayEnd(to);
  const query: Omit<TimelineQuery, 'page'> = { order: 'newest', pageSize: PAGE_SIZE, ...(types.length ? { types: types.join(',') } : {}), ...(start ? { from: start } : {}), ...(end ? { to: end } : {}) };
  const timeline = useInfiniteQuery(timelineKeys.pages(t.id, query));
  const entries = timeline.data?.pages.flatMap((p) => p.items) ?? [];
  const total = timeline.data?.pages[0]?.total ?? 0;
  const [kind, setKind] = useState<NoteKind>('phone');
  const [text, setText] = useState('');
  const note = useMutation({
    mutationFn: () => send(api.POST('/api/treatments/{id}/notes', { params: { path: { id: t.id } }, body: { kind, text: text.trim() } })),
    onSuccess: () => { setText(''); void qc.invalidateQueries({ queryKey: treatmentKeys.timeline(t.id) }); },
  });
  const moduleTitle = (id: string) => t.modules.find((m) => m.id === id)?.title;
  const program = useProgram(t.programId);
  const formTitle = (formId: unknown) => programForms(program.data).find((f) => f.id === formId)?.title ?? 'Formulär';
  return (
    <div className="stack">
      <h2>Tidslinje</h2>
      <form className="filters" aria-label="Filtrera tidslinjen" onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <label htmlFor={`${base}-type`}>Händelsetyper</label>
          <span className="hint" id={`${base}-typehint`}>Välj en eller flera (Ctrl eller Skift och klick, eller piltangenter med Skift).</span>
          <select id={`${base}-type`} multiple size={6} aria-describedby={`${base}-typehint`} value={types.length ? types : ['']}
            onChange={(e) => { const chosen = [...e.target.selectedOptions].map((o) => o.value); setTypes(chosen.includes('') && chosen.length === 1 ? [] : chosen.filter(Boolean)); }}>
            <option value="">Alla</option>
            {Object.entries(timelineTypeText).map(([k, v]) => <option key={k} value={k}>{v}</option>)}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${base}-from`}>Från och med</label>
          <input id={`${base}-from`} type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${base}-to`}>Till och med</label>
          <input id={`${base}-to`} type="date" value={to} onChange={(e) => setTo(e.target.value)} />
        </div>
      </form>
      {timeline.error && <ErrorText error={timeline.error} />}
      {timeline.data && entries.length === 0 && <p className="muted">Inga händelser.</p>}
      {entries.length > 0 && <p className="muted">De senaste först. Visar {entries.length} av {total}.</p>}
      {entries.length > 0 && (
        <ol className="timeline" aria-label="Händelser">
          {entries.map((e) => {
            const detail = entryDetail(e, moduleTitle);
            // Keyed by the entry: a new one on top leaves the others (and an open Se historik) in place.
            return (
              <li key={e.id}>
                <time dateTime={e.at}>{dateTime(e.at)}</time>
                <span><strong>{timelineTypeText[e.type] ?? e.type}</strong>{detail ? ` – ${detail}` : ''}</span>
                {submissionOf(e) && (
                  <span className="timeline-action"><FormHistory t={t} of={{ submissionId: submissionOf(e)! }} formTitle={formTitle(e.data?.formId)} /></span>
                )}
              </li>
            );
          })}
        </ol>
      )}
      {timeline.hasNextPage && (
        <button type="button" disabled={timeline.isFetchingNextPage} onClick={() => void timeline.fetchNextPage()}>Visa fler</button>
      )}
      {t.status !== 'purged' && (
        <form className="card stack" aria-labelledby={`${base}-nh`} onSubmit={(e) => { e.preventDefault(); note.mutate(); }}>
          <h3 id={`${base}-nh`}>Ny kontaktanteckning</h3>
          <div className="field">
            <label htmlFor={`${base}-kind`}>Typ av kontakt</label>
            <select id={`${base}-kind`} value={kind} onChange={(e) => setKind(noteKind(e.target.value) ?? 'phone')}>
              {Object.entries(NOTE_KINDS).map(([k, v]) => <option key={k} value={k}>{v}</option>)}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${base}-note`}>Anteckning</label>
            <textarea id={`${base}-note`} rows={3} value={text} required onChange={(e) => setText(e.target.value)} />
          </div>
          {note.error && <ErrorText error={note.error} />}
          <div className="actions"><button type="submit" disabled={note.isPending || !text.trim()}>Spara anteckning</button></div>
        </form>
      )}
    </div>
  );
}
