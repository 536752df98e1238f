// The routes, typed (TanStack Router): path params and search params are checked where they are
// read and where links are made. Clinician pages under /behandlare, patient pages under /invanare,
// the sign-in choice at /.
import { createRootRoute, createRoute, createRouter, Outlet, useLocation } from '@tanstack/react-router';
import { z } from 'zod';
import { isCallback } from '../auth';
import { ActivitiesPage } from '../features/patient-activities/ActivitiesPage';
import { ChooseCareUnitPage } from '../features/care-units/ChooseCareUnitPage';
import { useChosenCareUnit } from '../lib/care-units';
import { AccessLogPage } from '../features/patient-log/AccessLogPage';
import { MessagesPage } from '../features/patient-messages/MessagesPage';
import { SettingsPage } from '../features/patient-settings/SettingsPage';
import { FlagsPage } from '../features/flags/FlagsPage';
import { NewTreatmentPage } from '../features/new-treatment/NewTreatmentPage';
import { OverviewPage } from '../features/overview/OverviewPage';
import { ProfilePage } from '../features/profile/ProfilePage';
import { StatisticsPage } from '../features/statistics/StatisticsPage';
import { TreatmentPage } from '../features/treatment/TreatmentPage';
import { App, Callback, Home, NeedsSignIn, useSession } from './App';
import { PatientHome, treatmentTabs, WithMe } from './compose';
import { history } from './navigation';
import { PatientLayout } from './PatientLayout';

const rootRoute = createRootRoute({ component: App, notFoundComponent: Home });

const homeRoute = createRoute({ getParentRoute: () => rootRoute, path: '/', component: Home });
const callbackRoute = createRoute({ getParentRoute: () => rootRoute, path: '/inloggad', component: () => (isCallback() ? <Callback /> : <Home />) });

/** The signed-in clinician's care units, for the pages under /behandlare (the area shows them only to a clinician). */
function useCareUnits(): string[] {
  return useSession()?.careUnits ?? [];
}

/** The unit the clinician works in; the area asks for it before any page shows. */
function useWorkUnit(): string {
  return useChosenCareUnit() ?? '';
}

function OverviewRoute() {
  return <OverviewPage careUnitId={useWorkUnit()} />;
}

function FlagsRoute() {
  return <FlagsPage careUnitId={useWorkUnit()} />;
}

function StatisticsRoute() {
  return <StatisticsPage careUnits={useCareUnits()} chosenUnit={useWorkUnit()} />;
}

function ClinicianArea() {
  const session = useSession();
  const chosen = useChosenCareUnit();
  const returnTo = useLocation({ select: (l) => l.href });
  if (session?.role !== 'clinician') return <NeedsSignIn role="clinician" returnTo={returnTo} />;
  // Several units and none chosen yet (just signed in): Välj vårdenhet, then the page asked for.
  if (!chosen) return <ChooseCareUnitPage careUnits={session.careUnits} />;
  return <Outlet />;
}

function PatientArea() {
  const session = useSession();
  const returnTo = useLocation({ select: (l) => l.pathname });
  if (session?.role !== 'patient') return <NeedsSignIn role="patient" returnTo={returnTo} />;
  return <PatientLayout />;
}

const clinicianRoute = createRoute({ getParentRoute: () => rootRoute, path: '/behandlare', component: ClinicianArea, notFoundComponent: OverviewRoute });
const overviewRoute = createRoute({ getParentRoute: () => clinicianRoute, path: '/', component: OverviewRoute });
const newTreatmentRoute = createRoute({
  getParentRoute: () => clinicianRoute,
  path: 'ny',
  // ?vardenhet=: the unit chosen on Mina patienter.
  validateSearch: z.object({ vardenhet: z.union([z.string(), z.number()]).transform(String).optional().catch(undefined) }),
  component: function NewTreatmentRoute() {
    const { vardenhet } = newTreatmentRoute.useSearch();
    const workUnit = useWorkUnit();
    return <NewTreatmentPage careUnits={useCareUnits()} chosenUnit={vardenhet ?? workUnit} />;
  },
});
const flagsRoute = createRoute({ getParentRoute: () => clinicianRoute, path: 'flaggor', component: FlagsRoute });
const careUnitRoute = createRoute({
  getParentRoute: () => clinicianRoute,
  path: 'vardenhet',
  // Byt vårdenhet: choose another unit, then Mina patienter of it.
  component: function CareUnitRoute() {
    const navigate = careUnitRoute.useNavigate();
    return <ChooseCareUnitPage careUnits={useCareUnits()} onChosen={() => void navigate({ to: '/behandlare' })} />;
  },
});
const profileRoute = createRoute({ getParentRoute: () => clinicianRoute, path: 'profil', component: ProfilePage });
const statisticsRoute = createRoute({ getParentRoute: () => clinicianRoute, path: 'statistik', component: StatisticsRoute });
const treatmentRoute = createRoute({
  getParentRoute: () => clinicianRoute,
  path: 'behandlingar/$treatmentId',
  // ?befintlig=1: Starta found the patient's open treatment in the program and shows it.
  validateSearch: z.object({ befintlig: z.literal(1).optional().catch(undefined) }),
  component: function TreatmentRoute() {
    const { treatmentId } = treatmentRoute.useParams();
    const { befintlig } = treatmentRoute.useSearch();
    return <TreatmentPage key={treatmentId} id={treatmentId} existing={befintlig === 1} tabs={treatmentTabs} />;
  },
});

const patientRoute = createRoute({ getParentRoute: () => rootRoute, path: '/invanare', component: PatientArea, notFoundComponent: () => <WithMe page={(me) => <PatientHome me={me} />} /> });
const patientHomeRoute = createRoute({ getParentRoute: () => patientRoute, path: '/', component: () => <WithMe page={(me) => <PatientHome me={me} />} /> });
const patientMessagesRoute = createRoute({ getParentRoute: () => patientRoute, path: 'meddelanden', component: () => <WithMe page={(me) => <MessagesPage me={me} />} /> });
const patientActivitiesRoute = createRoute({ getParentRoute: () => patientRoute, path: 'aktiviteter', component: () => <WithMe page={(me) => <ActivitiesPage me={me} />} /> });
const patientSettingsRoute = createRoute({ getParentRoute: () => patientRoute, path: 'installningar', component: () => <WithMe page={(me) => <SettingsPage me={me} />} /> });
const patientLogRoute = createRoute({ getParentRoute: () => patientRoute, path: 'loggar', component: () => <WithMe page={(me) => <AccessLogPage me={me} />} /> });

const routeTree = rootRoute.addChildren([
  homeRoute,
  callbackRoute,
  clinicianRoute.addChildren([overviewRoute, newTreatmentRoute, flagsRoute, careUnitRoute, profileRoute, statisticsRoute, treatmentRoute]),
  patientRoute.addChildren([patientHomeRoute, patientMessagesRoute, patientActivitiesRoute, patientSettingsRoute, patientLogRoute]),
]);

export const router = createRouter({ routeTree, history, scrollRestoration: false });

declare module '@tanstack/react-router' {
  interface Register { router: typeof router }
}
