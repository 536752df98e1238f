// Avsluta behandling: a reason and whether Vidmakthåll follows, then a confirmation that says what
// the patient loses and when (access ends now, or read-only until a given day with Vidmakthåll).
// During Vidmakthåll: Avsluta Vidmakthåll, with the same kind of confirmation.
import { useId, useState, type FormEvent } from 'react';
import { api } from '../../api/client';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { request } from '../../lib/api';
import { useProgram, useTreatmentCommand, type Treatment } from '../../lib/treatment';
import { afterDuration } from '../../utils/dates';
import { date, personnummerText } from '../../utils/format';

export function EndTreatment({ t }: { t: Treatment }) {
  const base = useId();
  const program = useProgram(t.programId);
  const [open, setOpen] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [reason, setReason] = useState('');
  const [maintenance, setMaintenance] = useState(false);
  const end = useTreatmentCommand(t, () => request(api.POST('/api/treatments/{id}/end', { params: { path: { id: t.id } }, body: { reason, maintenance } })));
  const submit = (e: FormEvent) => { e.preventDefault(); end.reset(); setConfirming(true); };
  const who = t.patient.name ?? personnummerText(t.patient.personnummer);
  const until = program.data ? afterDuration(new Date(), program.data.durations.maintenance) : null;
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
          <div className="actions">
            <button type="submit" className="danger" disabled={!reason}>Avsluta</button>
            <button type="button" onClick={() => setOpen(false)}>Avbryt</button>
          </div>
        </form>
      )}
      <ConfirmDialog
        open={confirming} title="Avsluta behandlingen?" busy={end.isPending} error={end.error}
        onCancel={() => setConfirming(false)}
        onConfirm={() => end.mutate(undefined, { onSuccess: () => { setConfirming(false); setOpen(false); } })}
      >
        {maintenance
          ? <p>{who} kan bara läsa programmet, inte skriva eller skicka något, till och med {until ? date(until.toISOString()) : 'Vidmakthållets slut'}. Därefter kommer patienten inte längre åt programmet.</p>
          : <p>Patienten kommer inte längre åt programmet. {who} förlorar åtkomsten i dag, {date(new Date().toISOString())}. Säkerställ att patienten är medveten om detta.</p>}
        <p>Avslutningsorsak: {program.data?.endReasons.find((r) => r.id === reason)?.title ?? '–'}.</p>
      </ConfirmDialog>
    </section>
  );
}

/** Vidmakthåll ended early: the patient's read access ends now (and Gallra becomes possible). */
export function EndMaintenance({ t }: { t: Treatment }) {
  const base = useId();
  const [confirming, setConfirming] = useState(false);
  const endNow = useTreatmentCommand(t, () => request(api.POST('/api/treatments/{id}/maintenance/end', { params: { path: { id: t.id } } })));
  return (
    <section className="card end" aria-labelledby={`${base}-h`}>
      <h2 id={`${base}-h`}>Vidmakthåll</h2>
      <p>Invånaren kan läsa programmet till och med {date(t.maintenanceUntil)}.</p>
      <button type="button" onClick={() => { endNow.reset(); setConfirming(true); }}>Avsluta Vidmakthåll</button>
      <ConfirmDialog
        open={confirming} title="Avsluta Vidmakthåll nu?" busy={endNow.isPending} error={endNow.error}
        onCancel={() => setConfirming(false)}
        onConfirm={() => endNow.mutate(undefined, { onSuccess: () => setConfirming(false) })}
      >
        <p>Patienten kommer inte längre åt programmet, inte heller för att läsa. Åtkomsten upphör nu i stället för {date(t.maintenanceUntil)}.</p>
      </ConfirmDialog>
    </section>
  );
}
