import { useEffect, useState, useSyncExternalStore } from 'react';
import { completeSignIn, currentSession, isCallback, onSessionChange, signIn, signOut, type Role } from './auth';
import { Link, navigate, useLocation } from './router';
import { personnummerText } from './format';
import { Overview } from './pages/Overview';
import { NewTreatment } from './pages/NewTreatment';
import { TreatmentPage } from './pages/TreatmentPage';
import { PatientApp } from './patient/PatientApp';
import { Profile } from './pages/Profile';
import { Statistics } from './pages/Statistics';

function useSession() {
  return useSyncExternalStore(onSessionChange, currentSession);
}

function SignInButtons({ returnTo }: { returnTo?: string }) {
  const [error, setError] = useState<string | null>(null);
  const go = (role: Role) => {
    setError(null);
    signIn(role, returnTo ?? (role === 'clinician' ? '/behandlare' : '/invanare')).catch((e: Error) => setError(e.message));
  };
  return (
    <div className="stack">
      <div className="actions">
        <button type="button" className="primary" onClick={() => go('clinician')}>Logga in som behandlare</button>
        <button type="button" className="primary" onClick={() => go('patient')}>Logga in som invånare</button>
      </div>
      {error && <p className="error" role="alert">{error}</p>}
    </div>
  );
}

function Home() {
  const session = useSession();
  useEffect(() => { document.title = 'Tobakshjälpen – logga in'; }, []);
  return (
    <div className="narrow">
      <h1>Tobakshjälpen</h1>
      <p>Stöd för att sluta med tobak. Behandlare loggar in med SITHS-kort, invånare med BankID.</p>
      {session
        ? <p>Du är inloggad. <Link to={session.role === 'clinician' ? '/behandlare' : '/invanare'}>Fortsätt</Link></p>
        : <SignInButtons />}
    </div>
  );
}

function Callback() {
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    document.title = 'Loggar in – Tobakshjälpen';
    let done = false;
    completeSignIn().then((to) => { if (!done) navigate(to, true); }, (e: Error) => setError(e.message));
    return () => { done = true; };
  }, []);
  return (
    <div className="narrow">
      <h1>Inloggning</h1>
      {error ? <><p className="error" role="alert">{error}</p><SignInButtons /></> : <p role="status">Loggar in …</p>}
    </div>
  );
}

function NeedsSignIn({ role, returnTo }: { role: Role; returnTo: string }) {
  useEffect(() => { document.title = 'Logga in – Tobakshjälpen'; }, []);
  return (
    <div className="narrow">
      <h1>Logga in</h1>
      <p>{role === 'clinician' ? 'Sidan är för behandlare.' : 'Sidan är för invånare.'} Logga in för att fortsätta.</p>
      <SignInButtons returnTo={returnTo} />
    </div>
  );
}

function Page({ pathname }: { pathname: string }) {
  const session = useSession();
  if (pathname.startsWith('/behandlare')) {
    if (session?.role !== 'clinician') return <NeedsSignIn role="clinician" returnTo={pathname + window.location.search} />;
    if (pathname === '/behandlare/ny') return <NewTreatment careUnits={session.careUnits} />;
    if (pathname === '/behandlare/profil') return <Profile />;
    if (pathname === '/behandlare/statistik') return <Statistics careUnits={session.careUnits} />;
    const m = /^\/behandlare\/behandlingar\/([^/]+)$/.exec(pathname);
    if (m) return <TreatmentPage id={decodeURIComponent(m[1]!)} />;
    return <Overview careUnits={session.careUnits} />;
  }
  if (pathname.startsWith('/invanare')) {
    if (session?.role !== 'patient') return <NeedsSignIn role="patient" returnTo={pathname} />;
    return <PatientApp pathname={pathname} />;
  }
  if (pathname === '/inloggad' && isCallback()) return <Callback />;
  return <Home />;
}

export function App() {
  const { pathname } = useLocation();
  const session = useSession();
  // A new page: focus to its main content, so screen readers and keyboards start there.
  useEffect(() => { document.getElementById('main')?.focus({ preventScroll: true }); }, [pathname]);
  return (
    <>
      <a className="skip" href="#main">Till innehållet</a>
      <header className="top">
        <div className="top-inner">
          <Link to={session?.role === 'clinician' ? '/behandlare' : session?.role === 'patient' ? '/invanare' : '/'} className="brand">Tobakshjälpen</Link>
          {session && (
            <nav aria-label="Huvudmeny">
              {session.role === 'clinician' && <Link to="/behandlare" aria-current={pathname === '/behandlare' ? 'page' : undefined}>Mina patienter</Link>}
              {session.role === 'clinician' && <Link to="/behandlare/statistik" aria-current={pathname === '/behandlare/statistik' ? 'page' : undefined}>Statistik</Link>}
              {session.role === 'clinician' && <Link to="/behandlare/profil" aria-current={pathname === '/behandlare/profil' ? 'page' : undefined}>Min profil</Link>}
              <span className="who">Inloggad: {session.role === 'patient' ? personnummerText(session.sub) : session.sub}</span>
              <button type="button" onClick={() => void signOut()}>Logga ut</button>
            </nav>
          )}
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Page pathname={pathname} />
      </main>
    </>
  );
}
