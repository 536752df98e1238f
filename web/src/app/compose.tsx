// The app composes the features: the treatment page's tabs, each a feature of its own, and the
// patient pages, each given the patient's treatment (read once by the patient layout).
import type { ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { Tab } from '../components/Tabs';
import { useMe, type PatientTreatment } from '../lib/me';
import type { Treatment } from '../lib/treatment';
import { Plans } from '../features/activity-plans/Plans';
import { Flags } from '../features/flags/Flags';
import { Manage } from '../features/hantera/Manage';
import { Messages } from '../features/messages/Messages';
import { Timeline } from '../features/timeline/Timeline';
import { HomePage } from '../features/patient-home/HomePage';
import { unconfirmedOf } from '../features/patient-home/ConfirmAddresses';
import { activitiesKeys } from '../features/patient-activities/queries';
import { patientSettingsKeys } from '../features/patient-settings/queries';

export const treatmentTabs = (t: Treatment): Tab[] => [
  { key: 'hantera', label: 'Hantera', content: () => <Manage t={t} /> },
  { key: 'meddelanden', label: 'Meddelanden', content: () => <Messages t={t} /> },
  { key: 'flaggor', label: 'Flaggor', content: () => <Flags t={t} /> },
  { key: 'tidslinje', label: 'Tidslinje', content: () => <Timeline t={t} /> },
  { key: 'aktivitetsplaner', label: 'Aktivitetsplaner', content: () => <Plans t={t} /> },
];

/** A patient page with the patient's treatment (PatientLayout shows the page only once it is in). */
export function WithMe({ page }: { page: (me: PatientTreatment) => ReactNode }) {
  const me = useMe();
  return me.data ? page(me.data) : null;
}

/** Tobakshjälpen (Home) with what it leads with from the other patient features: activities due, addresses to confirm. */
export function PatientHome({ me }: { me: PatientTreatment }) {
  const activities = useQuery({ ...activitiesKeys.occasions(), enabled: !me.readOnly });
  const settings = useQuery({ ...patientSettingsKeys.settings(), enabled: !me.readOnly });
  const dueActivities = activities.data ? activities.data.items.filter((o) => o.state === 'due').length : null;
  return <HomePage me={me} extras={{ dueActivities, unconfirmed: settings.data ? unconfirmedOf(settings.data) : null }} />;
}
