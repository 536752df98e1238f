// Om behandlingen: the treatment at a glance. Status, start, the patient's quit date
// (Rökstoppsdatum), the follow-ups at 3, 6 and 12 months with their state, the patient's phone and
// e-mail each Verifierat / Ej verifierat, Behandlare, and once ended the reason and the day access ends.
import { useId } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useProgram, type Treatment } from '../../lib/treatment';
import { useCareUnits } from '../../lib/care-units';
import { date, dateTime, personnummerText, statusText } from '../../utils/format';
import { followUpState } from './follow-up';
import { clinicianText, treatmentPageKeys } from './queries';

const FOLLOW_UP_MONTHS = [3, 6, 12];

function Verified({ value, verified }: { value: string | null; verified: boolean }) {
  if (!value) return <>Saknas</>;
  return <>{value} <span className={`badge ${verified ? 'ok' : 'warn'}`}>{verified ? 'Verifierat' : 'Ej verifierat'}</span></>;
}

export function AboutTreatment({ t }: { t: Treatment }) {
  const base = useId();
  const program = useProgram(t.programId);
  const { nameOf } = useCareUnits();
  const clinicians = useQuery({ ...treatmentPageKeys.clinicians(t.careUnitId), enabled: t.clinicianId !== null });
  const clinician = clinicians.data?.items.find((c) => c.hsaId === t.clinicianId);
  const reason = program.data?.endReasons.find((r) => r.id === t.endReason)?.title ?? (t.endReason ? 'Annan orsak' : null);
  const ended = t.status === 'ended' || t.status === 'maintenance' || t.status === 'purged';
  const accessEnds = t.status === 'maintenance' || (t.maintenanceUntil && ended) ? t.maintenanceUntil : t.endedAt;
  const followUps = FOLLOW_UP_MONTHS.map((months, index) => ({ months, f: t.followUps.find((x) => x.index === index) }));
  return (
    <section className="card" aria-labelledby={`${base}-h`}>
      <h2 id={`${base}-h`}>Om behandlingen</h2>
      <dl className="facts">
        <div><dt>Personnummer</dt><dd>{personnummerText(t.patient.personnummer)}</dd></div>
        <div><dt>Status</dt><dd><span className={`badge status-${t.status}`}>{statusText[t.status] ?? t.status}</span></dd></div>
        <div><dt>Startdatum</dt><dd>{date(t.startedAt)}</dd></div>
        <div><dt>Senast aktiv</dt><dd>{dateTime(t.lastActiveAt)}</dd></div>
        <div><dt>Rökstoppsdatum</dt><dd>{t.quitDate ?? 'Inte satt'}</dd></div>
        {followUps.map(({ months, f }) => (
          <div key={months}><dt>Uppföljning {months} månader</dt><dd>{f?.dueAt ? `${date(f.dueAt)} – ` : ''}{followUpState(f)}</dd></div>
        ))}
        <div><dt>Mobilnummer</dt><dd><Verified value={t.patient.phone} verified={t.patient.phoneVerified} /></dd></div>
        <div><dt>E-post</dt><dd><Verified value={t.patient.email} verified={t.patient.emailVerified} /></dd></div>
        <div><dt>Behandlare</dt><dd>{t.clinicianId ? clinicianText(clinician ?? { hsaId: t.clinicianId, name: null }) : '–'}</dd></div>
        <div><dt>Vårdenhet</dt><dd>{nameOf(t.careUnitId)}</dd></div>
        {ended && t.endedAt && <div><dt>Avslutades</dt><dd>{date(t.endedAt)}</dd></div>}
        {ended && reason && <div><dt>Avslutningsorsak</dt><dd>{reason}</dd></div>}
        {ended && accessEnds && (
          <div><dt>Åtkomst för invånaren</dt><dd>{t.status === 'maintenance' ? `Kan läsa (Vidmakthåll) till ${date(accessEnds)}` : `Upphörde ${date(accessEnds)}`}</dd></div>
        )}
      </dl>
    </section>
  );
}
