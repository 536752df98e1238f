// The app composes the features: the treatment page's tabs, each a feature of its own, and the
// patient pages, each given the patient's treatment (read once by the patient layout).
import type { ReactNode } from 'react';
import type { Tab } from '../components/Tabs';
import { useMe, type PatientTreatment } from '../lib/me';
import type { Treatment } from '../lib/treatment';
import { Plans } from '../features/activity-plans/Plans';
import { Flags } from '../features/flags/Flags';
import { Manage } from '../features/hantera/Manage';
import { Messages } from '../features/messages/Messages';
import { Timeline } from '../features/timeline/Timeline';

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
