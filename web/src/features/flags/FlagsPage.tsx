// Flaggor (/behandlare/flaggor): the unread flags of my patients across treatments, newest first,
// a work queue, of the care unit the clinician works in (Välj vårdenhet). Filters by type and
// "Bara mina"; each row links to its treatment and marks its flag read, or every unread flag of it.
import { useEffect, useId, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { api } from '../../api/client';
import { ErrorText } from '../../components/ErrorText';
import { request, send } from '../../lib/api';
import { treatmentKeys } from '../../lib/treatment';
import { dateTime, flagText, flagTypeText, personnummerText } from '../../utils/format';
import { flagQueueKeys, type FlagQueueQuery } from './queries';

const PAGE_SIZE = 25;

/** The filters chosen last (this tab, in memory): kept while the clinician moves between pages. */
let remembered = { type: '', mine: true };

export function FlagsPage({ careUnitId }: { careUnitId: string }) {
  useEffect(() => { document.title = 'Flaggor – Tobakshjälpen'; }, []);
  const qc = useQueryClient();
  const ids = { type: useId(), mine: useId(), status: useId() };
  const [filters, setFiltersState] = useState(remembered);
  const setFilters = (next: typeof filters) => { remembered = next; setFiltersState(next); };
  const key = JSON.stringify([filters, careUnitId]);
  const [paging, setPaging] = useState({ key, page: 1 });
  const page = paging.key === key ? paging.page : 1;
  const [done, setDone] = useState('');

  const query: FlagQueueQuery = {
    unread: 'true', page, pageSize: PAGE_SIZE,
    ...(filters.type ? { types: filters.type } : {}), ...(filters.mine ? { mine: 'true' } : {}), ...(careUnitId ? { careUnitId } : {}),
  };
  const list = useQuery(flagQueueKeys.queue(query));
  const total = list.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const refresh = (treatmentId: string) => {
    void qc.invalidateQueries({ queryKey: treatmentKeys.lists });
    void qc.invalidateQueries({ queryKey: treatmentKeys.flags(treatmentId) });
    void qc.invalidateQueries({ queryKey: treatmentKeys.detail(treatmentId).queryKey });
  };
  const readOne = useMutation({
    mutationFn: (f: { id: string; treatmentId: string; words: string }) => send(api.POST('/api/flags/{id}/read', { params: { path: { id: f.id } } })),
    onSuccess: (_, f) => { setDone(`${f.words} är markerad som läst.`); refresh(f.treatmentId); },
  });
  const readAll = useMutation({
    mutationFn: async (f: { treatmentId: string; who: string }) => (await request(api.POST('/api/treatments/{id}/flags/read', { params: { path: { id: f.treatmentId } } }))).read,
    onSuccess: (read, f) => { setDone(`${read} ${read === 1 ? 'flagga' : 'flaggor'} för ${f.who} är markerade som lästa.`); refresh(f.treatmentId); },
  });
  const busy = readOne.isPending || readAll.isPending;

  return (
    <>
      <h1>Flaggor</h1>
      <p>Olästa flaggor för dina patienter, de senaste först. En flagga som kräver åtgärd är märkt <strong>Agera</strong>.</p>
      <form className="filters" aria-label="Filtrera flaggor" onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <label htmlFor={ids.type}>Typ av flagga</label>
          <select id={ids.type} value={filters.type} onChange={(e) => setFilters({ ...filters, type: e.target.value })}>
            <option value="">Alla typer</option>
            {Object.entries(flagTypeText).map(([type, words]) => <option key={type} value={type}>{words}</option>)}
          </select>
        </div>
        <div className="check">
          <input id={ids.mine} type="checkbox" checked={filters.mine} onChange={(e) => setFilters({ ...filters, mine: e.target.checked })} />
          <label htmlFor={ids.mine}>Bara mina</label>
        </div>
      </form>
      {list.error && <ErrorText error={list.error} />}
      {readOne.error && <ErrorText error={readOne.error} />}
      {readAll.error && <ErrorText error={readAll.error} />}
      <p role="status">{done}</p>
      <table className="list" aria-busy={list.isFetching}>
        <caption>{list.isPending ? 'Hämtar flaggor …' : `${total} ${total === 1 ? 'oläst flagga' : 'olästa flaggor'}`}</caption>
        <thead>
          <tr>
            <th scope="col">Patient</th>
            <th scope="col">Personnummer</th>
            <th scope="col">Flagga</th>
            <th scope="col">Tid</th>
            <th scope="col"><span className="sr-only">Åtgärder</span></th>
          </tr>
        </thead>
        <tbody>
          {list.data?.items.map((f) => {
            const who = f.patientName ?? personnummerText(f.personnummer);
            const words = flagText(f.type);
            return (
              <tr key={f.id}>
                <td><Link to="/behandlare/behandlingar/$treatmentId" params={{ treatmentId: f.treatmentId }}>{who}</Link></td>
                <td className="nowrap">{personnummerText(f.personnummer)}</td>
                <td>{f.severity === 'action' ? <span className="badge flag"><strong>Agera:</strong> {words}</span> : words}</td>
                <td className="nowrap">{dateTime(f.createdAt)}</td>
                <td>
                  <div className="actions">
                    <button type="button" disabled={busy} aria-label={`Markera som läst: ${words}, ${who}`} onClick={() => readOne.mutate({ id: f.id, treatmentId: f.treatmentId, words })}>
                      Markera som läst
                    </button>
                    <button type="button" disabled={busy} aria-label={`Markera patientens alla som lästa: ${who}`} onClick={() => readAll.mutate({ treatmentId: f.treatmentId, who })}>
                      Markera patientens alla som lästa
                    </button>
                  </div>
                </td>
              </tr>
            );
          })}
          {list.data && list.data.items.length === 0 && (
            <tr><td colSpan={5}>Inga olästa flaggor.</td></tr>
          )}
        </tbody>
      </table>
      <nav className="pager" aria-label="Sidor">
        <button type="button" disabled={page <= 1} onClick={() => setPaging({ key, page: page - 1 })}>Föregående sida</button>
        <span aria-live="polite">Sida {page} av {pages}</span>
        <button type="button" disabled={page >= pages} onClick={() => setPaging({ key, page: page + 1 })}>Nästa sida</button>
      </nav>
    </>
  );
}

