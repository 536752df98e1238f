// The patient's start page (invånarvy): a first, read-only slice.
import { useEffect } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import type { ModuleView } from '../api/types';
import { moduleStateText, progressText } from '../format';
import { ErrorText } from './common';

interface PatientView { status: string; welcomeText: string | null; modules: ModuleView[] }

export function PatientHome() {
  useEffect(() => { document.title = 'Tobakshjälpen'; }, []);
  const me = useQuery({ queryKey: ['me'], queryFn: () => unwrap<PatientView>(api.GET('/api/me/treatment')) });
  return (
    <>
      <h1>Tobakshjälpen</h1>
      {me.error && <ErrorText error={me.error} />}
      {me.data?.status === 'maintenance' && <p className="notice">Behandlingen är avslutad och i Vidmakthåll: du kan läsa allt men inte skriva.</p>}
      {me.data?.welcomeText && <p className="text card">{me.data.welcomeText}</p>}
      {me.data?.modules.map((m) => (
        <section key={m.id} aria-label={m.title} className="card module">
          <h2>{m.title}</h2>
          <p><span className="badge">{moduleStateText(m)}</span></p>
          <ul className="items">{m.sections.map((s) => <li key={s.id}>{s.title} <span className="muted">{progressText[s.progress]}</span></li>)}</ul>
        </section>
      ))}
    </>
  );
}
