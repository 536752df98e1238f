// Loggar: who (which care unit) has read or changed the patient's data, and when.
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { ErrorText } from '../../components/ErrorText';
import { ReadOnlyNotice } from '../../components/ReadOnlyNotice';
import { request } from '../../lib/api';
import { meKeys, type PatientTreatment } from '../../lib/me';
import { dateTime } from '../../utils/format';

/** Under ['me'], so a patient page change refreshes it. */
export const accessLogKeys = {
  entries: () => queryOptions({ queryKey: [...meKeys.all, 'access-log'], queryFn: () => request(api.GET('/api/me/access-log')), staleTime: 0 }),
};

export function AccessLogPage({ me }: { me: PatientTreatment }) {
  const log = useQuery(accessLogKeys.entries());
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
