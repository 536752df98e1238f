// Statistik: care unit, region, program and date range; the key figures, module completion and
// end reasons as bar charts (SVG, labelled) and every figure as a table. Counts under 5 come from
// the API as "<5" and are shown so.
import { useEffect, useId, useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { ErrorText } from '../../components/ErrorText';
import { useProgram } from '../../lib/treatment';
import { useCareUnits } from '../../lib/care-units';
import { statisticsKeys, type StatisticsQuery } from './queries';

type Count = number | '<5';

const percent = (r: number | null) => (r === null ? 'visas inte (färre än 5)' : `${Math.round(r * 100)} %`);
const afterText = (d: string) => d.replace(/^P(\d+)M$/, '$1 månader').replace(/^PT(\d+)S$/, '$1 sekunder');

/** A horizontal bar chart: the figures it shows are also in the table beside it. */
function BarChart({ title, bars, max }: { title: string; bars: Array<{ label: string; value: number | null; text: string }>; max: number }) {
  const width = 640;
  const row = 28;
  const labelWidth = 260;
  const height = bars.length * row + 10;
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <svg role="img" aria-label={`${title}: ${bars.map((b) => `${b.label} ${b.text}`).join('; ')}`} viewBox={`0 0 ${width} ${height}`} width="100%">
        {bars.map((b, i) => {
          const w = b.value === null || max === 0 ? 0 : ((width - labelWidth - 90) * b.value) / max;
          return (
            <g key={b.label} transform={`translate(0 ${i * row + 5})`}>
              <text x={0} y={17} fontSize="13" fill="#1b1f23">{b.label.length > 38 ? `${b.label.slice(0, 36)}…` : b.label}</text>
              <rect x={labelWidth} y={4} width={Math.max(w, 1)} height={18} fill="#0b5cab" />
              <text x={labelWidth + Math.max(w, 1) + 6} y={17} fontSize="13" fill="#1b1f23">{b.text}</text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}

export function StatisticsPage({ careUnits, chosenUnit }: { careUnits: string[]; chosenUnit: string }) {
  useEffect(() => { document.title = 'Statistik – Tobakshjälpen'; }, []);
  const base = useId();
  const { nameOf } = useCareUnits();
  // The unit the clinician works in first; the others (or all of them) by choice.
  const [form, setForm] = useState({ careUnitId: chosenUnit, region: '', programId: 'tobakshjalpen', from: '', to: '' });
  const [applied, setApplied] = useState(form);
  const query: StatisticsQuery = {};
  for (const key of ['careUnitId', 'region', 'programId', 'from', 'to'] satisfies Array<keyof typeof applied>) if (applied[key]) query[key] = applied[key];
  const stats = useQuery(statisticsKeys.figures(query));
  const program = useProgram('tobakshjalpen');
  const moduleTitle = (id: string) => program.data?.modules.find((m) => m.id === id)?.title ?? id;
  const reasonTitle = (id: string) => program.data?.endReasons.find((r) => r.id === id)?.title ?? id;
  const submit = (e: FormEvent) => { e.preventDefault(); setApplied(form); };
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));
  const s = stats.data;
  const num = (c: Count) => (typeof c === 'number' ? c : null);
  return (
    <>
      <h1>Statistik</h1>
      <p>Lokal och nationell statistik för Stöd och behandling finns hos Inera: <a href="https://www.inera.se/aktuellt/statistik/stod-och-behandling/" rel="noopener noreferrer">Ineras statistik för Stöd och behandling</a> (välj Översikt, Filtrera statistik, län och moment Tobakshjälpen).</p>
      <form className="filters" onSubmit={submit} aria-label="Urval">
        <div className="field">
          <label htmlFor={`${base}-unit`}>Vårdenhet</label>
          <select id={`${base}-unit`} value={form.careUnitId} onChange={set('careUnitId')}>
            <option value="">Alla mina vårdenheter</option>
            {careUnits.map((u) => <option key={u} value={u}>{nameOf(u)}</option>)}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${base}-region`}>Region</label>
          <input id={`${base}-region`} value={form.region} onChange={set('region')} />
        </div>
        <div className="field">
          <label htmlFor={`${base}-program`}>Program</label>
          <select id={`${base}-program`} value={form.programId} onChange={set('programId')}>
            <option value="tobakshjalpen">Tobakshjälpen</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${base}-from`}>Från och med</label>
          <input id={`${base}-from`} type="date" value={form.from} onChange={set('from')} />
        </div>
        <div className="field">
          <label htmlFor={`${base}-to`}>Till och med</label>
          <input id={`${base}-to`} type="date" value={form.to} onChange={set('to')} />
        </div>
        <button type="submit" className="primary">Visa</button>
      </form>
      {stats.error && <ErrorText error={stats.error} />}
      {s && (
        <div className="stack">
          <table className="list">
            <caption>Behandlingar (antal under 5 visas som &lt;5)</caption>
            <thead><tr><th scope="col">Mått</th><th scope="col">Antal</th></tr></thead>
            <tbody>
              <tr><th scope="row">Startade</th><td>{s.started}</td></tr>
              <tr><th scope="row">Aktiva under perioden</th><td>{s.active}</td></tr>
              <tr><th scope="row">Avslutade</th><td>{s.ended.total}</td></tr>
              <tr><th scope="row">Gallrade</th><td>{s.purged}</td></tr>
            </tbody>
          </table>
          <h2>Moduler</h2>
          <BarChart
            title="Andel avklarade av öppnade moduler"
            max={1}
            bars={s.moduleCompletion.map((m) => ({ label: moduleTitle(m.moduleId), value: m.completionRate, text: percent(m.completionRate) }))}
          />
          <table className="list">
            <caption>Moduler: öppnade och avklarade</caption>
            <thead><tr><th scope="col">Modul</th><th scope="col">Öppnade</th><th scope="col">Avklarade</th><th scope="col">Andel avklarade</th></tr></thead>
            <tbody>
              {s.moduleCompletion.map((m) => (
                <tr key={m.moduleId}><th scope="row">{moduleTitle(m.moduleId)}</th><td>{m.opened}</td><td>{m.completed}</td><td>{percent(m.completionRate)}</td></tr>
              ))}
            </tbody>
          </table>
          <h2>Avslutningsorsaker</h2>
          {Object.keys(s.ended.byReason).length === 0 ? <p className="muted">Inga avslutade behandlingar under perioden.</p> : (
            <>
              <BarChart
                title="Avslutade behandlingar per orsak"
                max={Math.max(1, ...Object.values(s.ended.byReason).map((c) => num(c) ?? 0))}
                bars={Object.entries(s.ended.byReason).map(([r, c]) => ({ label: reasonTitle(r), value: num(c), text: String(c) }))}
              />
              <table className="list">
                <caption>Avslutade per orsak</caption>
                <thead><tr><th scope="col">Orsak</th><th scope="col">Antal</th></tr></thead>
                <tbody>{Object.entries(s.ended.byReason).map(([r, c]) => <tr key={r}><th scope="row">{reasonTitle(r)}</th><td>{c}</td></tr>)}</tbody>
              </table>
            </>
          )}
          <h2>Uppföljningar</h2>
          <table className="list">
            <caption>Uppföljningar: besvarade och tobaksfria</caption>
            <thead><tr><th scope="col">Uppföljning</th><th scope="col">Utskickade</th><th scope="col">Besvarade</th><th scope="col">Svarsfrekvens</th><th scope="col">Tobaksfria</th><th scope="col">Andel tobaksfria</th></tr></thead>
            <tbody>
              {s.followUps.map((f) => (
                <tr key={f.index}><th scope="row">Efter {afterText(f.after)}</th><td>{f.due}</td><td>{f.answered}</td><td>{percent(f.responseRate)}</td><td>{f.tobaccoFree}</td><td>{percent(f.tobaccoFreeRate)}</td></tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
