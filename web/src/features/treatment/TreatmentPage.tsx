// One treatment: the patient's name as heading, its facts, the tabs the app composes (Hantera,
// Meddelanden, Flaggor, Tidslinje, Aktivitetsplaner) and Avsluta behandling, Byt behandlare and
// Gallra. Stable deep link: /behandlare/behandlingar/<id>.
import { useEffect, useState } from 'react';
import { Link } from '@tanstack/react-router';
import { useLiveUpdates } from '../../api/live';
import { ErrorText } from '../../components/ErrorText';
import { Tabs, type Tab } from '../../components/Tabs';
import { useTreatment, writable, type Treatment } from '../../lib/treatment';
import { date, dateTime, personnummerText, statusText } from '../../utils/format';
import { ChangeClinician } from './ChangeClinician';
import { EndTreatment } from './EndTreatment';
import { Purge } from './Purge';

export function TreatmentPage({ id, existing, tabs }: { id: string; existing: boolean; tabs: (t: Treatment) => Tab[] }) {
  const treatment = useTreatment(id);
  useLiveUpdates();
  const [tab, setTab] = useState('hantera');
  const t = treatment.data;
  const title = t ? (t.patient.name ?? personnummerText(t.patient.personnummer)) : 'Behandling';
  useEffect(() => { document.title = `${title} – Tobakshjälpen`; }, [title]);

  if (treatment.error) {
    return <><h1>Behandling</h1><ErrorText error={treatment.error} /><p><Link to="/behandlare">Till Mina patienter</Link></p></>;
  }
  if (!t) return <><h1>Behandling</h1><p role="status">Hämtar behandlingen …</p></>;
  return (
    <>
      <p className="crumbs"><Link to="/behandlare" activeOptions={{ exact: true }}>Mina patienter</Link></p>
      <h1>{title}</h1>
      {existing && <p className="notice" role="status">Invånaren hade redan en pågående behandling i programmet. Den visas här.</p>}
      <dl className="facts">
        <div><dt>Personnummer</dt><dd>{personnummerText(t.patient.personnummer)}</dd></div>
        <div><dt>Status</dt><dd><span className={`badge status-${t.status}`}>{statusText[t.status] ?? t.status}</span></dd></div>
        <div><dt>Start</dt><dd>{date(t.startedAt)}</dd></div>
        <div><dt>Senast aktiv</dt><dd>{dateTime(t.lastActiveAt)}</dd></div>
        <div><dt>Behandlare</dt><dd>{t.clinicianId}</dd></div>
        <div><dt>Vårdenhet</dt><dd>{t.careUnitId}</dd></div>
        {t.status === 'maintenance' && <div><dt>Vidmakthåll till</dt><dd>{dateTime(t.maintenanceUntil)}</dd></div>}
        {t.endedAt && <div><dt>Avslutad</dt><dd>{dateTime(t.endedAt)}</dd></div>}
      </dl>
      <Tabs label="Behandling" selected={tab} onSelect={setTab} tabs={tabs(t)} />
      {writable(t) && <EndTreatment t={t} />}
      {t.status !== 'purged' && <ChangeClinician t={t} />}
      {t.status === 'ended' && <Purge t={t} />}
    </>
  );
}
