// The Vidmakthåll notice: why nothing can be written, and until when.
import { date } from '../utils/format';
import type { PatientTreatment } from '../lib/me';

export function ReadOnlyNotice({ me }: { me: PatientTreatment }) {
  if (!me.readOnly) return null;
  return (
    <p className="notice" id="read-only-notice">
      Din behandling är avslutad och du är nu i Vidmakthåll{me.maintenanceUntil ? ` till och med ${date(me.maintenanceUntil)}` : ''}.
      Du kan läsa allt, men inte skicka svar eller meddelanden.
    </p>
  );
}
