// Tobakshjälpen: the welcome text and one region per module the patient may see (never locked ones).
import { Link } from '@tanstack/react-router';
import { ReadOnlyNotice } from '../../components/ReadOnlyNotice';
import type { PatientTreatment } from '../../lib/me';
import { ModuleRegion } from './ModuleRegion';

export function HomePage({ me }: { me: PatientTreatment }) {
  return (
    <>
      <h1>Tobakshjälpen</h1>
      <ReadOnlyNotice me={me} />
      {me.unreadMessages > 0 && (
        <p className="notice unread-notice">
          Du har {me.unreadMessages === 1 ? 'ett nytt meddelande' : `${me.unreadMessages} nya meddelanden`} från din behandlare. <Link to="/invanare/meddelanden">Läs i Meddelanden</Link>
        </p>
      )}
      {me.welcomeText && <div className="card welcome"><h2 className="sr-only">Välkommen</h2><p className="text">{me.welcomeText}</p></div>}
      <div className="patient-modules">
        {me.modules.filter((m) => m.state !== 'locked').map((m) => <ModuleRegion key={m.id} module={m} me={me} />)}
      </div>
    </>
  );
}
