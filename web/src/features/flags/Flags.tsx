// Flaggor (a treatment's tab): its submitted forms, and its flags with Markera som läst.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { ErrorText } from '../../components/ErrorText';
import { send } from '../../lib/api';
import { treatmentKeys, type Treatment } from '../../lib/treatment';
import { dateTime, flagText } from '../../utils/format';
import { flagsKeys } from './queries';
import { Submissions } from './Submissions';

export function Flags({ t }: { t: Treatment }) {
  const qc = useQueryClient();
  const flags = useQuery(flagsKeys.flags(t.id));
  const read = useMutation({
    mutationFn: (flagId: string) => send(api.POST('/api/flags/{id}/read', { params: { path: { id: flagId } } })),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: flagsKeys.flags(t.id).queryKey });
      void qc.invalidateQueries({ queryKey: treatmentKeys.detail(t.id).queryKey });
      void qc.invalidateQueries({ queryKey: treatmentKeys.lists });
    },
  });
  const title = (moduleId: string | null) => t.modules.find((m) => m.id === moduleId)?.title;
  return (
    <div className="stack">
      <Submissions t={t} />
      <h2>Flaggor</h2>
      {flags.error && <ErrorText error={flags.error} />}
      {flags.data?.items.length === 0 && <p className="muted">Inga flaggor.</p>}
      {read.error && <ErrorText error={read.error} />}
      {flags.data && flags.data.items.length > 0 && (
        <table className="list">
          <caption>{flags.data.total} flaggor, {flags.data.items.filter((f) => !f.readAt).length} olästa</caption>
          <thead><tr><th scope="col">Flagga</th><th scope="col">Allvarlighet</th><th scope="col">Skapad</th><th scope="col">Läst</th><th scope="col"><span className="sr-only">Åtgärd</span></th></tr></thead>
          <tbody>
            {flags.data.items.map((f) => (
              <tr key={f.id}>
                <td>{flagText(f.type)}{title(f.moduleId) ? ` – ${title(f.moduleId)}` : ''}</td>
                <td>{f.severity === 'action' ? 'Kräver åtgärd' : 'Information'}</td>
                <td className="nowrap">{dateTime(f.createdAt)}</td>
                <td>{f.readAt ? dateTime(f.readAt) : <strong>Oläst</strong>}</td>
                <td>{!f.readAt && <button type="button" disabled={read.isPending} onClick={() => read.mutate(f.id)}>Markera som läst</button>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
