// Mina patienter: the overview of the treatments of the care unit the clinician works in (the only
// one, or the one chosen: Välj vårdenhet), paged on the server.
import { useEffect, useId, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { date, dateTime, flagText, personnummerText, statusText } from '../../utils/format';
import { ErrorText } from '../../components/ErrorText';
import { overviewKeys, type OverviewQuery, type Sort, type TreatmentStatus } from './queries';
import { nextSort, sortState, type SortKey } from './sort';

const PAGE_SIZE = 20;
const STATUSES: TreatmentStatus[] = ['invited', 'active', 'maintenance', 'ended'];

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => { const t = setTimeout(() => setV(value), ms); return () => clearTimeout(t); }, [value, ms]);
  return v;
}

/** A row's unread flags by type, in words: those that ask for action first, said in words ("Agera:"). */
function UnreadFlags({ types }: { types: Array<{ type: string; count: number; severity: 'info' | 'action' }> }) {
  if (types.length === 0) return <>Inga</>;
  const action = types.filter((f) => f.severity === 'action');
  const info = types.filter((f) => f.severity !== 'action');
  const words = (list: typeof types) => list.map((f) => (f.count > 1 ? `${flagText(f.type)} (${f.count})` : flagText(f.type))).join(', ');
  return (
    <ul className="flag-types">
      {action.length > 0 && <li><span className="badge flag"><strong>Agera:</strong> {words(action)}</span></li>}
      {info.length > 0 && <li>{words(info)}</li>}
    </ul>
  );
}

export function OverviewPage({ careUnitId }: { careUnitId: string }) {
  const navigate = useNavigate();
  useEffect(() => { document.title = 'Mina patienter – Tobakshjälpen'; }, []);
  const [search, setSearch] = useState('');
  const [status, setStatus] = useState<TreatmentStatus | ''>('');
  const [flagged, setFlagged] = useState(false);
  const [mine, setMine] = useState(false);
  const [sort, setSort] = useState<Sort>('-startedAt');
  const q = useDebounced(search.trim(), 300);
  // A page of these filters: another filter or sort starts again at page 1.
  const filters = JSON.stringify([q, status, flagged, mine, careUnitId, sort]);
  const [paging, setPaging] = useState({ filters, page: 1 });
  const page = paging.filters === filters ? paging.page : 1;
  const setPage = (next: number) => setPaging({ filters, page: next });
  const ids = { search: useId(), status: useId(), mine: useId(), flagged: useId() };

  const query: OverviewQuery = {
    page, pageSize: PAGE_SIZE, sort,
    ...(q ? { q } : {}), ...(status ? { status } : {}), ...(flagged ? { flagged: 'true' } : {}),
    ...(mine ? { mine: 'true' } : {}), ...(careUnitId ? { careUnitId } : {}),
  };
  const list = useQuery(overviewKeys.list(query));
  const total = list.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));

  const sortHeader = (label: string, key: SortKey) => {
    const state = sortState(sort, key);
    return (
      <th scope="col" aria-sort={state}>
        <button type="button" className="sort" onClick={() => setSort((s) => nextSort(s, key))}>
          {label}<span aria-hidden="true">{state === 'descending' ? ' ▼' : state === 'ascending' ? ' ▲' : ''}</span>
        </button>
      </th>
    );
  };

  return (
    <>
      <div className="page-head">
        <h1>Mina patienter</h1>
        <button type="button" className="primary" onClick={() => void navigate({ to: '/behandlare/ny', search: careUnitId ? { vardenhet: careUnitId } : {} })}>Starta ny behandling</button>
      </div>
      <form className="filters" role="search" aria-label="Filtrera patienter" onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <label htmlFor={ids.search}>Sök</label>
          <input id={ids.search} type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="Namn eller personnummer" />
        </div>
        <div className="field">
          <label htmlFor={ids.status}>Status</label>
          <select id={ids.status} value={status} onChange={(e) => setStatus(STATUSES.find((x) => x === e.target.value) ?? '')}>
            <option value="">Alla</option>
            {STATUSES.map((s) => <option key={s} value={s}>{statusText[s]}</option>)}
          </select>
        </div>
        <div className="check">
          <input id={ids.mine} type="checkbox" checked={mine} onChange={(e) => setMine(e.target.checked)} />
          <label htmlFor={ids.mine}>Bara mina patienter</label>
        </div>
        <div className="check">
          <input id={ids.flagged} type="checkbox" checked={flagged} onChange={(e) => setFlagged(e.target.checked)} />
          <label htmlFor={ids.flagged}>Bara med olästa flaggor</label>
        </div>
      </form>
      {list.error && <ErrorText error={list.error} />}
      <table className="list" aria-busy={list.isFetching}>
        <caption>{list.isPending ? 'Hämtar patienter …' : `${total} ${total === 1 ? 'behandling' : 'behandlingar'}`}</caption>
        <thead>
          <tr>
            {sortHeader('Namn', 'name')}
            <th scope="col">Personnummer</th>
            {sortHeader('Start', 'startedAt')}
            {sortHeader('Senast aktiv', 'lastActiveAt')}
            <th scope="col">Status</th>
            {sortHeader('Flaggor', 'unreadFlags')}
          </tr>
        </thead>
        <tbody>
          {list.data?.items.map((t) => (
            <tr key={t.id}>
              <td><Link to="/behandlare/behandlingar/$treatmentId" params={{ treatmentId: t.id }}>{t.patient.name ?? personnummerText(t.patient.personnummer)}</Link></td>
              <td className="nowrap">{personnummerText(t.patient.personnummer)}</td>
              <td className="nowrap">{date(t.startedAt)}</td>
              <td className="nowrap">{dateTime(t.lastActiveAt)}</td>
              <td><span className={`badge status-${t.status}`}>{statusText[t.status] ?? t.status}</span></td>
              <td><UnreadFlags types={t.unreadFlagTypes} /></td>
            </tr>
          ))}
          {list.data && list.data.items.length === 0 && (
            <tr><td colSpan={6}>Inga behandlingar matchar.</td></tr>
          )}
        </tbody>
      </table>
      <nav className="pager" aria-label="Sidor">
        <button type="button" disabled={page <= 1} onClick={() => setPage(page - 1)}>Föregående sida</button>
        <span aria-live="polite">Sida {page} av {pages}</span>
        <button type="button" disabled={page >= pages} onClick={() => setPage(page + 1)}>Nästa sida</button>
      </nav>
    </>
  );
}
