// Hantera: the welcome text and one region per module with its state and the commands on it.
import { useId, useState } from 'react';
import { api } from '../../api/client';
import { ErrorText } from '../../components/ErrorText';
import { request } from '../../lib/api';
import { useTreatmentCommand, writable, type Treatment } from '../../lib/treatment';
import { statusText } from '../../utils/format';
import { ModuleRegion } from './ModuleRegion';

export function Manage({ t }: { t: Treatment }) {
  return (
    <div className="stack">
      <section aria-labelledby="welcome-heading" className="card">
        <h2 id="welcome-heading">Välkomsttext</h2>
        <WelcomeText t={t} />
      </section>
      <h2>Moduler</h2>
      {!writable(t) && <p className="notice">Behandlingen är {statusText[t.status]?.toLowerCase()}: modulerna kan inte längre ändras.</p>}
      <div className="modules">
        {t.modules.map((m) => <ModuleRegion key={m.id} t={t} m={m} />)}
      </div>
    </div>
  );
}

function WelcomeText({ t }: { t: Treatment }) {
  const base = useId();
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(t.welcomeText ?? '');
  const save = useTreatmentCommand(t, () => request(api.PUT('/api/treatments/{id}/welcome-text', { params: { path: { id: t.id } }, body: { text: text.trim() } })));
  if (!editing || !writable(t)) {
    return (
      <>
        {t.welcomeText ? <p className="text">{t.welcomeText}</p> : <p className="muted">Ingen välkomsttext.</p>}
        {writable(t) && <button type="button" onClick={() => { setText(t.welcomeText ?? ''); setEditing(true); }}>Ändra välkomsttext</button>}
      </>
    );
  }
  return (
    <form className="stack" onSubmit={(e) => { e.preventDefault(); save.mutate(undefined, { onSuccess: () => setEditing(false) }); }}>
      <div className="field">
        <label htmlFor={`${base}-text`}>Ny välkomsttext</label>
        <textarea id={`${base}-text`} rows={5} value={text} required onChange={(e) => setText(e.target.value)} />
      </div>
      {save.error && <ErrorText error={save.error} />}
      <div className="actions">
        <button type="submit" className="primary" disabled={save.isPending || !text.trim()}>Spara välkomsttext</button>
        <button type="button" onClick={() => setEditing(false)}>Avbryt</button>
      </div>
    </form>
  );
}
