// Loggar: who (which care unit) has read or changed the patient's data, and when.
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import { dateTime } from '../format';
import { ErrorText } from '../pages/common';
import type { AccessLogEntry, PatientTreatment } from './api';
import { ReadOnlyNotice } from './Notice';

export function AccessLogPage({ me }: { me: PatientTreatment }) {
  const log = useQuery({ queryKey: ['me', 'access-log'], queryFn: () => unwrap<{ items: AccessLogEntry[] }>(api.GET('/api/me/access-log')), staleTime: 0 });
  return (
    <>
      <h1>Loggar</h1>
      <ReadOnlyNotice me={me} />
      <p>Här ser du vilka vårdenheter som har läst eller ändrat dina uppgifter, och när. Drift betyder teknisk personal.</p>
      {log.error && <ErrorText error={log.error} />}
      {log.data && log.data.items.length === 0 && <p>Ingen har läst dina uppgifter än.</p>}
      {log.data && log.data.items.length > 0 && (
        <div className="table-scroll">
          <table className="list">
            <caption className="sr-only">Åtkomst till dina uppgifter</caption>
            <thead><tr><th scope="col">Tid</th><th scope="col">Vårdenhet</th><th scope="col">Vad</th></tr></thead>
            <tbody>
              {log.data.items.map((e, i) => (
                <tr key={`${e.at}-${i}`}>
                  <td className="nowrap"><time dateTime={e.at}>{dateTime(e.at)}</time></td>
                  <td>{e.careUnitId === 'drift' ? 'Drift' : e.careUnitId}</td>
                  <td>{e.action === 'read' ? 'Läste' : 'Ändrade'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
