// One treatment: the patient's name as heading, its facts, the tabs the app composes (Hantera,
// Meddelanden, Flaggor, Tidslinje, Aktivitetsplaner) and Avsluta behandling, Byt behandlare and
// Gallra. Stable deep link: /behandlare/behandlingar/<id>.
import { useEffect, useState } from 'react';
import { Link } from '@tanstack/react-router';
import { ErrorText } from '../../components/ErrorText';
import { Tabs, type Tab } from '../../components/Tabs';
import { useTreatment, writable, type Treatment } from '../../lib/treatment';
import { personnummerText } from '../../utils/format';
import { AboutTreatment } from './AboutTreatment';
import { ChangeClinician } from './ChangeClinician';
import { EndMaintenance, EndTreatment } from './EndTreatment';
import { Purge } from './Purge';

export function TreatmentPage({ id, existing, tabs }: { id: string; existing: boolean; tabs: (t: Treatment) => Tab[] }) {
  const treatment = useTreatment(id);
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
      <AboutTreatment t={t} />
      <Tabs label="Behandling" selected={tab} onSelect={setTab} tabs={tabs(t)} />
      {writable(t) && <EndTreatment t={t} />}
      {t.status === 'maintenance' && <EndMaintenance t={t} />}
      {t.status !== 'purged' && <ChangeClinician t={t} />}
      {t.status === 'ended' && <Purge t={t} />}
    </>
  );
}
