// Sign-in through the API (backend-for-frontend): the API runs the OpenID Connect code flow with
// PKCE and keeps every credential itself; this page gets an HttpOnly session cookie that no script
// can read, and learns who is signed in from GET /api/session (role, subject, care units, expiry).
// Web storage holds no credential of any kind. localStorage: the care unit a clinician with several
// chose to work in (the unit's id, no personal data; forgotten when the session ends).
// sessionStorage: the drafts of what a patient types (components/question-form/draft.ts), cleared
// at Logga ut.
// Every tab shares the cookie: a reload
// or a second tab is still signed in, and Logga ut in one tab tells the others (BroadcastChannel);
// each tab's next call would meet a 401 anyway.

import type { components } from './api/schema';
import { clearAllDrafts } from './components/question-form/draft';

export type Role = 'clinician' | 'patient';

export interface Session {
  role: Role;
  sub: string;
  careUnits: string[];
  /** When the session ends unless used before (idle limit) or at all (absolute limit), ms. */
  expiresAt: number;
}

const CALLBACK_PATH = '/inloggad';
/** Where the API sends a failed sign-in, with ?fel=avbruten|ogiltig|misslyckades. */
const FAILURES: Record<string, string> = {
  avbruten: 'Inloggningen avbröts.',
  ogiltig: 'Inloggningen kunde inte slutföras (den hade gått ut eller påbörjats i en annan webbläsare). Försök igen.',
  misslyckades: 'Inloggningen misslyckades. Försök igen.',
  otillganglig: 'Inloggningstjänsten svarar inte just nu. Försök igen om en stund.',
};
/** The session cookie's CSRF guard: the API refuses cookie writes without this header. */
export const CSRF_HEADER = { 'x-csrf': '1' } as const;

let session: Session | null = null;
let loaded = false;
const listeners = new Set<() => void>();
let expiryTimer: ReturnType<typeof setTimeout> | undefined;

const channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel('tobakshjalpen-session');

export function currentSession(): Session | null {
  return session;
}

/** False until the first answer of GET /api/session (the page waits instead of asking to sign in). */
export function sessionLoaded(): boolean {
  return loaded;
}

export function onSessionChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function setSession(next: Session | null) {
  const changed = JSON.stringify(next) !== JSON.stringify(session) || !loaded;
  // No session, no unit: the next clinician to sign in here chooses their own.
  if (!next) storeUnit(null);
  session = next;
  loaded = true;
  clearTimeout(expiryTimer);
  // At the expiry, ask again (asking does not extend it): another tab's use may have, else signed out.
  if (next) expiryTimer = setTimeout(() => { void refreshSession(); }, Math.min(Math.max(next.expiresAt - Date.now() + 1000, 2000), 2 ** 31 - 1));
  if (changed) for (const l of listeners) l();
}

/** Asks the API who is signed in (the cookie goes along). */
export async function refreshSession(): Promise<Session | null> {
  try {
    const res = await fetch('/api/session', { credentials: 'same-origin', cache: 'no-store', headers: { accept: 'application/json' } });
    if (res.status === 401 || res.status === 403) { setSession(null); return null; }
    if (!res.ok) { if (!loaded) setSession(null); return session; }
    const body: components['schemas']['Session'] = await res.json();
    const next = body.role === 'clinician' || body.role === 'patient'
      ? { role: body.role, sub: body.sub, careUnits: body.careUnits, expiresAt: Date.parse(body.expiresAt) } satisfies Session
      : null;
    setSession(next);
    return next;
  } catch {
    if (!loaded) setSession(null);
    return session;
  }
}

/** Where the chosen care unit is kept: every tab of this browser shares it, until the session ends. */
const UNIT_KEY = 'tobakshjalpen-vardenhet';

function storedUnit(): string | null {
  try { return localStorage.getItem(UNIT_KEY); } catch { return null; }
}

function storeUnit(unit: string | null) {
  try {
    if (unit) localStorage.setItem(UNIT_KEY, unit);
    else localStorage.removeItem(UNIT_KEY);
  } catch { /* storage refused: the choice lasts while the page does */ }
}

/**
 * The care unit the signed-in clinician works in: the only one, or the one chosen among several
 * (null until chosen, or for a patient). The API's calls name it (x-care-unit, api/client.ts).
 */
export function chosenCareUnit(): string | null {
  if (session?.role !== 'clinician') return null;
  if (session.careUnits.length === 1) return session.careUnits[0]!;
  const unit = storedUnit();
  return unit && session.careUnits.includes(unit) ? unit : null;
}

/** Välj vårdenhet / Byt vårdenhet: remembered in this browser (every tab) until the session ends. */
export function chooseCareUnit(unit: string): void {
  if (session?.role !== 'clinician' || !session.careUnits.includes(unit)) return;
  storeUnit(unit);
  for (const l of listeners) l();
}

/** An API call answered 401: the session has ended (limits, or Logga ut elsewhere). */
export function sessionEnded(): void {
  if (session) setSession(null);
}

channel?.addEventListener('message', (e: MessageEvent) => {
  if (e.data === 'signed-out') setSession(null);
});
// Another tab chose or switched the care unit: this one follows.
if (typeof window !== 'undefined') {
  window.addEventListener('storage', (e) => { if (e.key === UNIT_KEY || e.key === null) for (const l of listeners) l(); });
}
// Back to a tab: check that its session still holds (another tab may have signed out, or in).
if (typeof document !== 'undefined') {
  document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'visible') void refreshSession(); });
  void refreshSession();
}

/** Sends the browser to the API's sign-in (and on to the provider); back at `returnTo` afterwards. */
export function signIn(role: Role, returnTo: string): Promise<void> {
  window.location.assign(`/auth/login?${new URLSearchParams({ role, returnTo }).toString()}`);
  return Promise.resolve();
}

export function isCallback(): boolean {
  return window.location.pathname === CALLBACK_PATH;
}

/**
 * At /inloggad, where the API sends a sign-in that failed: the reason, in words. (A sign-in that
 * succeeds goes straight back to where it started.)
 */
export function completeSignIn(): Promise<string> {
  const reason = new URLSearchParams(window.location.search).get('fel');
  if (session) return Promise.resolve(session.role === 'clinician' ? '/behandlare' : '/invanare');
  return Promise.reject(new Error(FAILURES[reason ?? ''] ?? FAILURES.misslyckades));
}

/** Ends the session at the API and every tab, then at the provider (its end-session page), back at `/`. */
export async function signOut(): Promise<void> {
  let to = '/';
  try {
    const res = await fetch('/auth/logout', { method: 'POST', credentials: 'same-origin', headers: { ...CSRF_HEADER, accept: 'application/json' } });
    if (res.ok) {
      const answer: components['schemas']['Logout'] = await res.json();
      to = answer.redirectTo;
    }
  } catch { /* the API is away: the cookie's session ends at its limits */ }
  setSession(null);
  // What a patient was writing stays in this tab no longer than the session.
  clearAllDrafts();
  channel?.postMessage('signed-out');
  window.location.assign(to);
}
