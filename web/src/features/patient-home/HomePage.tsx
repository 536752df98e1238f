// Tobakshjälpen: Att göra nu first (the current step, a follow-up waiting, activities due, new
// messages, addresses to confirm), then the welcome text and the open steps; closed and completed
// steps folded below. Never a locked module.
import { useState } from 'react';
import { Link } from '@tanstack/react-router';
import { ReadOnlyNotice } from '../../components/ReadOnlyNotice';
import type { PatientModule, PatientTreatment } from '../../lib/me';
import { ConfirmAddress, type Unconfirmed } from './ConfirmAddresses';
import { deadlineText } from './deadline';
import { ModuleRegion } from './ModuleRegion';

const unsent = (m: PatientModule) => m.forms.some((f) => !f.submittedAt);

/** What Home shows beside the treatment, read by the app from the other patient features. */
export interface HomeExtras {
  /** Activity occasions to answer now (null while unknown). */
  dueActivities: number | null;
  /** Addresses not yet confirmed (null while unknown). */
  unconfirmed: Unconfirmed[] | null;
}

function TodoNow({ me, extras }: { me: PatientTreatment; extras: HomeExtras }) {
  const writable = !me.readOnly;
  const { unconfirmed } = extras;
  const [confirmed, setConfirmed] = useState<Array<'sms' | 'email'>>([]);
  const current = me.modules.find((m) => m.id === me.currentModuleId && m.state === 'open' && !m.followUp);
  const followUps = me.modules.filter((m) => m.followUp && m.state === 'open' && unsent(m));
  const due = extras.dueActivities ?? 0;
  const items = [
    current && (
      <li key="current">
        Ditt aktuella steg: <a href={`#module-${current.id}`}>{current.title}</a>
        {current.deadline && <span className="muted"> ({deadlineText(current.deadline, new Date())})</span>}
      </li>
    ),
    ...followUps.map((m) => <li key={m.id}>En uppföljning väntar på dina svar: <a href={`#module-${m.id}`}>{m.title}</a></li>),
    due > 0 && <li key="activities">{due === 1 ? 'En aktivitet' : `${due} aktiviteter`} att besvara: <Link to="/invanare/aktiviteter">Aktiviteter</Link></li>,
    me.unreadMessages > 0 && (
      <li key="messages" className="unread-notice">
        Du har {me.unreadMessages === 1 ? 'ett nytt meddelande' : `${me.unreadMessages} nya meddelanden`} från din behandlare. <Link to="/invanare/meddelanden">Läs i Meddelanden</Link>
      </li>
    ),
  ].filter(Boolean);
  return (
    <section aria-labelledby="todo-now" className="card todo-now">
      <h2 id="todo-now">Att göra nu</h2>
      {me.readOnly
        ? <p>Inget att göra: du kan läsa allt du har gjort i programmet.</p>
        : items.length > 0 ? <ul>{items}</ul> : <p>Inget nytt att göra just nu. Du kan läsa i stegen nedan.</p>}
      {confirmed.map((c) => <p key={c} role="status" className="ok">{c === 'sms' ? 'Ditt mobilnummer är bekräftat.' : 'Din e-post är bekräftad.'}</p>)}
      {writable && unconfirmed && unconfirmed.length > 0 && (
        <div className="stack">
          <h3>Bekräfta dina kontaktuppgifter</h3>
          <p>
            När du har bekräftat får du aviseringar dit som säger vad som väntar, till exempel ett nytt meddelande, en uppföljning eller en påminnelse.
            Tills dess får ett nummer eller en adress som din behandlare har angett bara korta aviseringar, och en som du själv har ändrat inga alls.
          </p>
          {unconfirmed.map((u) => <ConfirmAddress key={u.channel} channel={u.channel} address={u.address} onConfirmed={(c) => setConfirmed((was) => [...was, c])} />)}
        </div>
      )}
    </section>
  );
}

export function HomePage({ me, extras }: { me: PatientTreatment; extras: HomeExtras }) {
  const visible = me.modules.filter((m) => m.state !== 'locked');
  const open = visible.filter((m) => m.state === 'open');
  const done = visible.filter((m) => m.state === 'closed' || m.state === 'completed');
  return (
    <>
      <h1>Tobakshjälpen</h1>
      <ReadOnlyNotice me={me} />
      <TodoNow me={me} extras={extras} />
      {me.welcomeText && <div className="card welcome"><h2 className="sr-only">Välkommen</h2><p className="text">{me.welcomeText}</p></div>}
      <div className="patient-modules">
        {open.map((m) => <ModuleRegion key={m.id} module={m} me={me} />)}
      </div>
      {done.length > 0 && (
        <details className="done-modules">
          <summary>Stängda och avklarade steg ({done.length})</summary>
          <div className="patient-modules">
            {done.map((m) => <ModuleRegion key={m.id} module={m} me={me} />)}
          </div>
        </details>
      )}
    </>
  );
}
