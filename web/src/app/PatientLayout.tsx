// The patient's side (invånarvy) under /invanare: the menu (Tobakshjälpen, Meddelanden, Aktiviteter,
// Inställningar, Loggar) and the page, which gets the patient's treatment. During Vidmakthåll
// everything reads and nothing writes; with no treatment (404 from /api/me/treatment: none yet,
// or ended) the patient is told there is none ongoing, and Loggar stays open.
import { useEffect, useRef } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Link, Outlet, useLocation } from '@tanstack/react-router';
import { ErrorText } from '../components/ErrorText';
import { isEnded, meKeys, useMe } from '../lib/me';
import { AccessLogPage } from '../features/patient-log/AccessLogPage';
import './patient.css';

type PatientPath = '/invanare' | '/invanare/meddelanden' | '/invanare/aktiviteter' | '/invanare/installningar' | '/invanare/loggar';
const home = { path: '/invanare', name: 'Tobakshjälpen' } satisfies { path: PatientPath; name: string };
const patientPages: Array<{ path: PatientPath; name: string }> = [
  home,
  { path: '/invanare/meddelanden', name: 'Meddelanden' },
  { path: '/invanare/aktiviteter', name: 'Aktiviteter' },
  { path: '/invanare/installningar', name: 'Inställningar' },
  { path: '/invanare/loggar', name: 'Loggar' },
];

/** "1 nytt", "3 nya": the clinician's messages not yet read. */
const unreadText = (n: number) => (n === 1 ? '1 nytt' : `${n} nya`);

/** The page itself (the router's Outlet) is shown once the treatment is in: it reads it from the cache (useMe). */
export function PatientLayout() {
  const pathname = useLocation({ select: (l) => l.pathname.replace(/\/+$/, '') || '/invanare' });
  const current = patientPages.find((p) => p.path === pathname) ?? home;
  const me = useMe();
  const queryClient = useQueryClient();
  // Each page shown afresh: the treatment's state (Vidmakthåll, ended) and the page's lists.
  const first = useRef(true);
  useEffect(() => {
    if (first.current) { first.current = false; return; }
    // Not cancelling a fetch in flight: the new page's own first read of its list (Meddelanden's
    // marks the clinician's messages read) must be the one whose answer is shown.
    void queryClient.invalidateQueries({ queryKey: meKeys.all }, { cancelRefetch: false });
  }, [pathname, queryClient]);
  useEffect(() => { document.title = current.name === 'Tobakshjälpen' ? 'Tobakshjälpen' : `${current.name} – Tobakshjälpen`; }, [current.name]);

  if (me.error && isEnded(me.error)) {
    // No treatment (never started, or ended and its Vidmakthåll over): Loggar stays open.
    const onLog = pathname === '/invanare/loggar';
    return (
      <div className="narrow patient">
        <nav aria-label="Tobakshjälpen" className="patient-nav">
          <ul>
            <li><Link to="/invanare" activeOptions={{ exact: true }}>Tobakshjälpen</Link></li>
            <li><Link to="/invanare/loggar" activeOptions={{ exact: true }}>Loggar</Link></li>
          </ul>
        </nav>
        {onLog ? <AccessLogPage /> : (
          <>
            <h1>Tobakshjälpen</h1>
            <p className="notice" role="status">Du har ingen pågående behandling i Tobakshjälpen.</p>
            <p>Under <Link to="/invanare/loggar">Loggar</Link> ser du vilka vårdenheter som har läst dina uppgifter.</p>
            <p>Har du frågor? Kontakta din vårdcentral eller ring 1177.</p>
          </>
        )}
      </div>
    );
  }

  return (
    <div className="patient">
      <nav aria-label="Tobakshjälpen" className="patient-nav">
        <ul>
          {patientPages.map((p) => (
            <li key={p.path}>
              <Link to={p.path} activeOptions={{ exact: true }}>{p.name}</Link>
              {p.path === '/invanare/meddelanden' && !!me.data?.unreadMessages && <span className="badge unread">{unreadText(me.data.unreadMessages)}</span>}
            </li>
          ))}
        </ul>
      </nav>
      {me.error && <><h1>{current.name}</h1><ErrorText error={me.error} /></>}
      {!me.data && !me.error && <><h1>{current.name}</h1><p role="status">Hämtar …</p></>}
      {me.data && <Outlet />}
    </div>
  );
}
