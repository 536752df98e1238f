// Loggar: who (which care unit, by name) has read or changed the patient's data, and when. Repeated reads
// are grouped (who, which day, how many times), newest first, shown a page at a time (Visa fler).
// Open after the end of the treatment too: the access log is the patient's to check.
import { useState } from 'react';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import { api } from '../../api/client';
import { ErrorText } from '../../components/ErrorText';
import { ReadOnlyNotice } from '../../components/ReadOnlyNotice';
import { request } from '../../lib/api';
import { meKeys, type PatientTreatment } from '../../lib/me';
import { UNKNOWN_CARE_UNIT } from '../../lib/care-units';
import { TIME_ZONE } from '../../utils/dates';
import { date } from '../../utils/format';

/** Under ['me'], so a patient page change refreshes it. */
export const accessLogKeys = {
  entries: () => queryOptions({ queryKey: [...meKeys.all, 'access-log'], queryFn: () => request(api.GET('/api/me/access-log')), staleTime: 0 }),
};

type Entry = { at: string; careUnitId: string; careUnitName?: string; action: 'read' | 'write' };
export interface LogGroup { day: string; careUnitId: string; careUnitName: string; action: 'read' | 'write'; count: number; first: string; last: string }

/** Entries (newest first) grouped by Swedish day, care unit and read/write; the groups newest first. */
export function groupEntries(entries: Entry[]): LogGroup[] {
  const groups = new Map<string, LogGroup>();
  for (const e of entries) {
    const day = format(new TZDate(new Date(e.at), TIME_ZONE), 'yyyy-MM-dd');
    const key = `${day}|${e.careUnitId}|${e.action}`;
    const g = groups.get(key);
    if (!g) groups.set(key, { day, careUnitId: e.careUnitId, careUnitName: e.careUnitName ?? UNKNOWN_CARE_UNIT, action: e.action, count: 1, first: e.at, last: e.at });
    else {
      g.count += 1;
      if (e.at < g.first) g.first = e.at;
      if (e.at > g.last) g.last = e.at;
    }
  }
  return [...groups.values()].sort((a, b) => b.last.localeCompare(a.last));
}

const PAGE = 20;
const timesText = (n: number) => (n === 1 ? '1 gång' : `${n} gånger`);
const timeFmt = new Intl.DateTimeFormat('sv-SE', { timeZone: TIME_ZONE, hour: '2-digit', minute: '2-digit' });

export function AccessLogPage({ me }: { me?: PatientTreatment }) {
  const log = useQuery(accessLogKeys.entries());
  const [shown, setShown] = useState(PAGE);
  const groups = log.data ? groupEntries(log.data.items) : [];
  return (
    <>
      <h1>Loggar</h1>
      {me && <ReadOnlyNotice me={me} />}
      <p>Här ser du vilka vårdenheter som har läst eller ändrat dina uppgifter, vilken dag och hur många gånger. Drift betyder teknisk personal.</p>
      {log.error && <ErrorText error={log.error} />}
      {log.data && groups.length === 0 && <p>Ingen har läst dina uppgifter än.</p>}
      {groups.length > 0 && (
        <div className="table-scroll">
          <table className="list">
            <caption className="sr-only">Åtkomst till dina uppgifter</caption>
            <thead><tr><th scope="col">Dag</th><th scope="col">Vårdenhet</th><th scope="col">Vad</th></tr></thead>
            <tbody>
              {groups.slice(0, shown).map((g) => (
                <tr key={`${g.day}|${g.careUnitId}|${g.action}`}>
                  <td className="nowrap"><time dateTime={g.day}>{date(g.last)}</time></td>
                  <td>{g.careUnitName}</td>
                  <td>
                    {g.action === 'read' ? 'Läste' : 'Ändrade'} {timesText(g.count)}
                    {g.count === 1 ? `, kl. ${timeFmt.format(new Date(g.last))}` : `, kl. ${timeFmt.format(new Date(g.first))}–${timeFmt.format(new Date(g.last))}`}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {groups.length > shown && (
        <p><button type="button" onClick={() => setShown(shown + PAGE)}>Visa fler</button> <span className="muted">Visar {shown} av {groups.length}.</span></p>
      )}
      {log.data && log.data.items.length >= 1000 && <p className="muted">De äldsta händelserna visas inte här. Kontakta din vårdenhet om du vill veta mer.</p>}
    </>
  );
}
