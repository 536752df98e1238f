// Gallra: after a confirmation that says what goes, the patient's data is purged.
import { useId, useRef } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { ErrorText } from '../../components/ErrorText';
import { send } from '../../lib/api';
import { treatmentKeys, type Treatment } from '../../lib/treatment';
import { personnummerText } from '../../utils/format';

export function Purge({ t }: { t: Treatment }) {
  const base = useId();
  const dialog = useRef<HTMLDialogElement>(null);
  const qc = useQueryClient();
  const purge = useMutation({
    mutationFn: () => send(api.POST('/api/treatments/{id}/purge', { params: { path: { id: t.id } } })),
    onSuccess: () => {
      dialog.current?.close();
      void qc.invalidateQueries({ queryKey: treatmentKeys.detail(t.id).queryKey });
      void qc.invalidateQueries({ queryKey: treatmentKeys.lists });
    },
  });
  return (
    <section className="card end" aria-labelledby={`${base}-h`}>
      <h2 id={`${base}-h`}>Gallring</h2>
      {purge.isSuccess
        ? <p role="status">Gallringen är begärd. Invånarens uppgifter tas bort.</p>
        : <button type="button" className="danger" onClick={() => dialog.current?.showModal()}>Gallra</button>}
      <dialog ref={dialog} aria-labelledby={`${base}-dh`} aria-describedby={`${base}-dd`}>
        <h2 id={`${base}-dh`}>Gallra invånaren?</h2>
        <div id={`${base}-dd`}>
          <p>Gallring tar bort allt om {t.patient.name ?? personnummerText(t.patient.personnummer)} i den här behandlingen:</p>
          <ul>
            <li>personnummer, namn, mobilnummer och e-post</li>
            <li>välkomsttext, meddelanden och inskickade formulärsvar</li>
            <li>tidslinje, flaggor och aktivitetsplaner med svar</li>
          </ul>
          <p>Det går inte att ångra. Statistiken behålls, utan personuppgifter.</p>
        </div>
        {purge.error && <ErrorText error={purge.error} />}
        <div className="actions">
          <button type="button" className="danger" disabled={purge.isPending} onClick={() => purge.mutate()}>Ja, gallra</button>
          <button type="button" onClick={() => dialog.current?.close()}>Avbryt</button>
        </div>
      </dialog>
    </section>
  );
}
