// One module in Hantera: its state in words (colour only adds to them), the days left in Sweden,
// its sections and forms (a sent form's answers behind Se historik), and Sätt till aktuell, Markera som avklarad, Öppna and Fler dagar.
import { useId, useState, type FormEvent } from 'react';
import { api } from '../../api/client';
import { ErrorText } from '../../components/ErrorText';
import { FormHistory } from '../../components/FormHistory';
import { request } from '../../lib/api';
import { useTreatmentCommand, writable, type ModuleView, type Treatment } from '../../lib/treatment';
import { daysLeft, daysText } from '../../utils/dates';
import { accessText, date, dateTime, moduleStateText, progressText } from '../../utils/format';

type Command = 'open' | 'current' | 'complete' | { workDays: number };

export function ModuleRegion({ t, m }: { t: Treatment; m: ModuleView }) {
  const hid = useId();
  const daysId = useId();
  const [moreDays, setMoreDays] = useState(false);
  const [days, setDays] = useState('7');
  const command = useTreatmentCommand(t, (action: Command) => {
    const params = { params: { path: { id: t.id, moduleId: m.id } } };
    if (action === 'open') return request(api.POST('/api/treatments/{id}/modules/{moduleId}/open', params));
    if (action === 'current') return request(api.POST('/api/treatments/{id}/modules/{moduleId}/current', params));
    if (action === 'complete') return request(api.POST('/api/treatments/{id}/modules/{moduleId}/complete', params));
    return request(api.PATCH('/api/treatments/{id}/modules/{moduleId}', { ...params, body: action }));
  });
  const state = moduleStateText(m);
  const current = t.currentModuleId === m.id;
  const disabled = !writable(t) || command.isPending;
  const left = m.daysLeft === null ? null : daysLeft(m.deadline, new Date());
  // A deadline the clinician can move: an open module with one, or a closed one (its time ran out).
  const hasDeadline = (m.state === 'open' && m.deadline !== null) || m.state === 'closed';
  const deadlineText = m.state === 'locked' ? 'Invånaren ser inte modulen förrän den öppnas'
    : m.state === 'completed' ? `Avklarad ${date(m.completedAt)}`
    : m.state === 'closed' ? 'Svarstiden har gått ut'
    : m.deadline ? `${daysText(left ?? 0)} kvar (till ${date(m.deadline)})` : 'Ingen svarstid';
  const saveDays = (e: FormEvent) => {
    e.preventDefault();
    command.mutate({ workDays: Number(days) }, { onSuccess: () => setMoreDays(false) });
  };
  return (
    <section aria-labelledby={hid} className={`card module state-${m.state}${current ? ' current' : ''}`}>
      <h3 id={hid}>{m.title}</h3>
      <p className="module-state">
        <span className={`badge progress-${state === 'Klar' ? 'finished' : state === 'Påbörjad' ? 'started' : 'none'}`}>{state}</span>
        <span className="badge access">{accessText[m.state] ?? m.state}</span>
        {current && <span className="badge current">Aktuell</span>}
        <span>{deadlineText}</span>
      </p>
      {m.sections.length > 0 && (
        <>
          <h4>Avsnitt</h4>
          <ul className="items">{m.sections.map((s) => <li key={s.id}><span>{s.title}</span> <span className="muted">{progressText[s.progress] ?? s.progress}</span></li>)}</ul>
        </>
      )}
      {m.forms.length > 0 && (
        <>
          <h4>Formulär</h4>
          <ul className="items">
            {m.forms.map((f) => (
              <li key={f.id}>
                <span>{f.title}</span> <span className="muted">{f.submittedAt ? `Inskickat ${dateTime(f.submittedAt)}` : 'Ej inskickat'}</span>
                {f.submittedAt && <> <FormHistory t={t} of={{ moduleId: m.id, formId: f.id }} formTitle={f.title} /></>}
              </li>
            ))}
          </ul>
        </>
      )}
      {writable(t) && (
        <div className="actions">
          {/* Only the commands that act on the module's state: */}
          {m.state !== 'completed' && m.state !== 'closed' && !(current && m.state !== 'locked') && (
            <button type="button" disabled={disabled} onClick={() => command.mutate('current')}>Sätt till aktuell</button>
          )}
          {(m.state === 'open' || m.state === 'closed') && (
            <button type="button" disabled={disabled} onClick={() => command.mutate('complete')}>Markera som avklarad</button>
          )}
          {m.state === 'locked' && <button type="button" disabled={disabled} onClick={() => command.mutate('open')}>Öppna</button>}
          {hasDeadline && (
            <button type="button" disabled={disabled} aria-expanded={moreDays} onClick={() => setMoreDays((v) => !v)}>Fler dagar</button>
          )}
        </div>
      )}
      {moreDays && hasDeadline && (
        <form className="inline-form" onSubmit={saveDays}>
          <label htmlFor={daysId}>Antal dagar från i dag</label>
          <input id={daysId} type="number" min={1} max={365} value={days} onChange={(e) => setDays(e.target.value)} />
          <button type="submit" disabled={disabled}>Spara</button>
        </form>
      )}
      {command.error && <ErrorText error={command.error} />}
      {command.isSuccess && <p className="muted" role="status">Sparat.</p>}
    </section>
  );
}
