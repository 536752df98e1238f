// The shell: the skip link, the header with the menu and Logga ut, and the page (the router's
// Outlet); and the sign-in pages (SignInButtons, Home, Callback, NeedsSignIn).
import { useEffect, useState, useSyncExternalStore } from 'react';
import { Link, Outlet, useLocation } from '@tanstack/react-router';
import { completeSignIn, currentSession, onSessionChange, sessionLoaded, signIn, signOut, type Role } from '../auth';
import { navigate } from './navigation';
import { useLiveUpdates } from '../api/live';
import { useCareUnits, useChosenCareUnit } from '../lib/care-units';

export function useSession() {
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

export function Home() {
  const session = useSession();
  useEffect(() => { document.title = 'Tobakshjälpen – logga in'; }, []);
  return (
    <div className="narrow">
      <h1>Tobakshjälpen</h1>
      <p>Stöd för att sluta med tobak. Behandlare loggar in med SITHS-kort, invånare med BankID.</p>
      {session && <p>Du är inloggad. <Link to={session.role === 'clinician' ? '/behandlare' : '/invanare'}>Fortsätt</Link></p>}
      <SignInButtons />
    </div>
  );
}

export function Callback() {
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

export function NeedsSignIn({ role, returnTo }: { role: Role; returnTo: string }) {
  const loaded = useSyncExternalStore(onSessionChange, sessionLoaded);
  useEffect(() => { document.title = 'Logga in – Tobakshjälpen'; }, []);
  // The session cookie is asked about first: a reload or a new tab stays signed in.
  if (!loaded) return <p role="status">Laddar …</p>;
  return (
    <div className="narrow">
      <h1>Logga in</h1>
      <p>{role === 'clinician' ? 'Sidan är för behandlare.' : 'Sidan är för invånare.'} Logga in för att fortsätta.</p>
      <SignInButtons returnTo={returnTo} />
    </div>
  );
}

/** One live stream for a signed-in clinician, open across pages (overview, treatment, Flaggor). */
function LiveUpdates() {
  useLiveUpdates();
  return null;
}

/** The care unit the clinician works in, by name; with several, Byt vårdenhet. */
function WorkUnit({ careUnits }: { careUnits: string[] }) {
  const chosen = useChosenCareUnit();
  const { nameOf } = useCareUnits();
  if (!chosen) return null;
  return (
    <div className="top-sub">
      <p className="top-inner">
        <span>Vårdenhet: <strong>{nameOf(chosen)}</strong></span>
        {careUnits.length > 1 && <Link to="/behandlare/vardenhet">Byt vårdenhet</Link>}
      </p>
    </div>
  );
}

export function App() {
  const pathname = useLocation({ select: (l) => l.pathname });
  const session = useSession();
  // A clinician who has yet to choose among several units (Välj vårdenhet): no menu until chosen.
  const choosing = useChosenCareUnit() === null && session?.role === 'clinician';
  const start = session?.role === 'clinician' ? '/behandlare' : session?.role === 'patient' ? '/invanare' : '/';
  // A new page: focus to its main content, so screen readers and keyboards start there.
  useEffect(() => { document.getElementById('main')?.focus({ preventScroll: true }); }, [pathname]);
  return (
    <>
      <a className="skip" href="#main">Till innehållet</a>
      <header className="top">
        <div className="top-inner">
          {/* A plain link (the router's would mark itself the current page beside Mina patienter). */}
          <a href={start} className="brand" onClick={(e) => { if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return; e.preventDefault(); navigate(start); }}>Tobakshjälpen</a>
          {session && (
            <nav aria-label="Huvudmeny">
              {session.role === 'clinician' && !choosing && <Link to="/behandlare" activeOptions={{ exact: true }}>Mina patienter</Link>}
              {session.role === 'clinician' && !choosing && <Link to="/behandlare/flaggor" activeOptions={{ exact: true }}>Flaggor</Link>}
              {session.role === 'clinician' && !choosing && <Link to="/behandlare/statistik" activeOptions={{ exact: true }}>Statistik</Link>}
              {session.role === 'clinician' && !choosing && <Link to="/behandlare/profil" activeOptions={{ exact: true }}>Min profil</Link>}
              {/* A patient's personnummer only where they check it (Inställningar), not on every page. */}
              {session.role !== 'patient' && <span className="who">Inloggad: {session.sub}</span>}
              <button type="button" onClick={() => void signOut()}>Logga ut</button>
            </nav>
          )}
        </div>
        {session?.role === 'clinician' && <WorkUnit careUnits={session.careUnits} />}
      </header>
      {session?.role === 'clinician' && <LiveUpdates />}
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </>
  );
}
