// Byt behandlare: the HSA-id of a clinician of the care unit.
import { useId, useState, type FormEvent } from 'react';
import { api } from '../../api/client';
import { ErrorText } from '../../components/ErrorText';
import { request } from '../../lib/api';
import { useTreatmentCommand, type Treatment } from '../../lib/treatment';

export function ChangeClinician({ t }: { t: Treatment }) {
  const base = useId();
  const [open, setOpen] = useState(false);
  const [clinicianId, setClinicianId] = useState('');
  const change = useTreatmentCommand(t, () => request(api.PUT('/api/treatments/{id}/clinician', { params: { path: { id: t.id } }, body: { clinicianId: clinicianId.trim() } })));
  const submit = (e: FormEvent) => { e.preventDefault(); change.mutate(undefined, { onSuccess: () => { setOpen(false); setClinicianId(''); } }); };
  return (
    <section className="card end" aria-labelledby={`${base}-h`}>
      <h2 id={`${base}-h`}>Behandlare</h2>
      <p>Ansvarig behandlare: <strong>{t.clinicianId}</strong></p>
      {!open && <button type="button" onClick={() => setOpen(true)}>Byt behandlare</button>}
      {open && (
        <form className="stack" onSubmit={submit} aria-label="Byt behandlare">
          <div className="field">
            <label htmlFor={`${base}-id`}>HSA-id för ny behandlare</label>
            <span className="hint" id={`${base}-hint`}>En behandlare som har loggat in på vårdenheten {t.careUnitId}.</span>
            <input id={`${base}-id`} value={clinicianId} required aria-describedby={`${base}-hint`} onChange={(e) => setClinicianId(e.target.value)} />
          </div>
          {change.error && <ErrorText error={change.error} />}
          <div className="actions">
            <button type="submit" className="primary" disabled={change.isPending || !clinicianId.trim()}>Byt</button>
            <button type="button" onClick={() => setOpen(false)}>Avbryt</button>
          </div>
        </form>
      )}
      {change.isSuccess && !open && <p role="status">Behandlaren är bytt.</p>}
    </section>
  );
}
