// Avsluta behandling: a reason and whether Vidmakthåll follows.
import { useId, useState, type FormEvent } from 'react';
import { api } from '../../api/client';
import { ErrorText } from '../../components/ErrorText';
import { request } from '../../lib/api';
import { errorText } from '../../lib/errors';
import { useProgram, useTreatmentCommand, type Treatment } from '../../lib/treatment';

export function EndTreatment({ t }: { t: Treatment }) {
  const base = useId();
  const program = useProgram(t.programId);
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [maintenance, setMaintenance] = useState(false);
  const end = useTreatmentCommand(t, () => request(api.POST('/api/treatments/{id}/end', { params: { path: { id: t.id } }, body: { reason, maintenance } })));
  const submit = (e: FormEvent) => { e.preventDefault(); end.mutate(undefined, { onSuccess: () => setOpen(false) }); };
  return (
    <section className="card end" aria-labelledby={`${base}-h`}>
      <h2 id={`${base}-h`}>Avslutning</h2>
      {!open && <button type="button" onClick={() => setOpen(true)}>Avsluta behandling</button>}
      {open && (
        <form className="stack" onSubmit={submit} aria-label="Avsluta behandling">
          <div className="field">
            <label htmlFor={`${base}-reason`}>Avslutningsorsak</label>
            <select id={`${base}-reason`} value={reason} required onChange={(e) => setReason(e.target.value)}>
              <option value="">Välj orsak</option>
              {program.data?.endReasons.map((r) => <option key={r.id} value={r.id}>{r.title}</option>)}
            </select>
          </div>
          <div className="check">
            <input id={`${base}-maintenance`} type="checkbox" checked={maintenance} aria-describedby={`${base}-mhint`} onChange={(e) => setMaintenance(e.target.checked)} />
            <label htmlFor={`${base}-maintenance`}>Vidmakthåll</label>
          </div>
          <p className="hint" id={`${base}-mhint`}>Med Vidmakthåll kan invånaren läsa programmet en tid efter avslutningen, men inte skriva.</p>
          {end.error && <ErrorText error={end.error} />}
          <div className="actions">
            <button type="submit" className="danger" disabled={end.isPending || !reason}>Avsluta</button>
            <button type="button" onClick={() => setOpen(false)}>Avbryt</button>
          </div>
        </form>
      )}
      {end.isError && !open && <p className="error" role="alert">{errorText(end.error)}</p>}
    </section>
  );
}
