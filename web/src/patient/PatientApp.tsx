// The patient's side (invånarvy) under /invanare: Tobakshjälpen (the program), Meddelanden,
// Aktiviteter, Inställningar and Loggar. During Vidmakthåll everything reads and nothing writes;
// after the end (404 from /api/me/treatment) the patient sees that the treatment has ended.
import { useEffect, useRef } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Link } from '../router';
import { ErrorText } from '../pages/common';
import { isEnded, useMe } from './api';
import { Home, unreadText } from './Home';
import { Messages } from './Messages';
import { Activities } from './Activities';
import { SettingsPage } from './Settings';
import { AccessLogPage } from './AccessLog';
import './patient.css';

const pages = [
  { path: '/invanare', name: 'Tobakshjälpen' },
  { path: '/invanare/meddelanden', name: 'Meddelanden' },
  { path: '/invanare/aktiviteter', name: 'Aktiviteter' },
  { path: '/invanare/installningar', name: 'Inställningar' },
  { path: '/invanare/loggar', name: 'Loggar' },
] as const;

export function PatientApp({ pathname }: { pathname: string }) {
  const path = pathname.replace(/\/+$/, '') || '/invanare';
  const page = pages.find((p) => p.path === path) ?? pages[0];
  const me = useMe();
  const queryClient = useQueryClient();
  // Each page shown afresh: the treatment's state (Vidmakthåll, ended) and the page's lists.
  const first = useRef(true);
  useEffect(() => {
    if (first.current) { first.current = false; return; }
    // Not cancelling a fetch in flight: the new page's own first read of its list (Meddelanden's
    // marks the clinician's messages read) must be the one whose answer is shown.
    void queryClient.invalidateQueries({ queryKey: ['me'] }, { cancelRefetch: false });
  }, [path, queryClient]);
  useEffect(() => { document.title = page.name === 'Tobakshjälpen' ? 'Tobakshjälpen' : `${page.name} – Tobakshjälpen`; }, [page.name]);

  if (me.error && isEnded(me.error)) {
    return (
      <div className="narrow patient">
        <h1>Tobakshjälpen</h1>
        <p className="notice" role="status">Din behandling i Tobakshjälpen är avslutad. Här finns inget mer att se.</p>
        <p>Har du frågor? Kontakta din vårdcentral eller ring 1177.</p>
      </div>
    );
  }

  return (
    <div className="patient">
      <nav aria-label="Tobakshjälpen" className="patient-nav">
        <ul>
          {pages.map((p) => (
            <li key={p.path}>
              <Link to={p.path} aria-current={p === page ? 'page' : undefined}>{p.name}</Link>
              {p.path === '/invanare/meddelanden' && !!me.data?.unreadMessages && <span className="badge unread">{unreadText(me.data.unreadMessages)}</span>}
            </li>
          ))}
        </ul>
      </nav>
      {me.error && <><h1>{page.name}</h1><ErrorText error={me.error} /></>}
      {!me.data && !me.error && <><h1>{page.name}</h1><p role="status">Hämtar …</p></>}
      {me.data && (
        <>
          {page.path === '/invanare' && <Home me={me.data} />}
          {page.path === '/invanare/meddelanden' && <Messages me={me.data} />}
          {page.path === '/invanare/aktiviteter' && <Activities me={me.data} />}
          {page.path === '/invanare/installningar' && <SettingsPage me={me.data} />}
          {page.path === '/invanare/loggar' && <AccessLogPage me={me.data} />}
        </>
      )}
    </div>
  );
}
