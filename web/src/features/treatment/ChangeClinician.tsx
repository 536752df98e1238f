// Byt behandlare: a choice among the care unit's clinicians (those known to the system by having
// signed in there), by name and HSA-id; never a typed id.
import { useId, useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { ErrorText } from '../../components/ErrorText';
import { request } from '../../lib/api';
import { useTreatmentCommand, type Treatment } from '../../lib/treatment';
import { useCareUnits } from '../../lib/care-units';
import { clinicianText, treatmentPageKeys } from './queries';

export function ChangeClinician({ t }: { t: Treatment }) {
  const base = useId();
  const [open, setOpen] = useState(false);
  const [clinicianId, setClinicianId] = useState('');
  const { nameOf } = useCareUnits();
  const clinicians = useQuery({ ...treatmentPageKeys.clinicians(t.careUnitId), enabled: open });
  const others = (clinicians.data?.items ?? []).filter((c) => c.hsaId !== t.clinicianId);
  const current = clinicians.data?.items.find((c) => c.hsaId === t.clinicianId);
  const change = useTreatmentCommand(t, () => request(api.PUT('/api/treatments/{id}/clinician', { params: { path: { id: t.id } }, body: { clinicianId } })));
  const submit = (e: FormEvent) => { e.preventDefault(); change.mutate(undefined, { onSuccess: () => { setOpen(false); setClinicianId(''); } }); };
  return (
    <section className="card end" aria-labelledby={`${base}-h`}>
      <h2 id={`${base}-h`}>Behandlare</h2>
      <p>Ansvarig behandlare: <strong>{t.clinicianId ? clinicianText(current ?? { hsaId: t.clinicianId, name: null }) : '–'}</strong></p>
      {!open && <button type="button" onClick={() => { change.reset(); setOpen(true); }}>Byt behandlare</button>}
      {open && (
        <form className="stack" onSubmit={submit} aria-label="Byt behandlare">
          <div className="field">
            <label htmlFor={`${base}-id`}>Ny behandlare</label>
            <span className="hint" id={`${base}-hint`}>Behandlare som har loggat in på vårdenheten {nameOf(t.careUnitId)}.</span>
            <select id={`${base}-id`} value={clinicianId} required aria-describedby={`${base}-hint`} onChange={(e) => setClinicianId(e.target.value)}>
              <option value="">{clinicians.isPending ? 'Hämtar behandlare …' : others.length ? 'Välj behandlare' : 'Ingen annan behandlare på vårdenheten'}</option>
              {others.map((c) => <option key={c.hsaId} value={c.hsaId}>{clinicianText(c)}</option>)}
            </select>
          </div>
          {clinicians.error && <ErrorText error={clinicians.error} />}
          {change.error && <ErrorText error={change.error} />}
          <div className="actions">
            <button type="submit" className="primary" disabled={change.isPending || !clinicianId}>Byt</button>
            <button type="button" onClick={() => setOpen(false)}>Avbryt</button>
          </div>
        </form>
      )}
      {change.isSuccess && !open && <p role="status">Behandlaren är bytt.</p>}
    </section>
  );
}
