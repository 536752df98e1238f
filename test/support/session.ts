// Signing in to the web app's session without a browser: the API's /auth/login, the development
// provider's form, the API's /auth/callback, as a browser would follow them (cookies by hand).
import { expect } from 'chai';

export interface SignedIn {
  /** The Cookie header that carries the session. */
  cookie: string;
  /** The session cookie's value (the random id). */
  id: string;
  /** Where the callback sent the browser. */
  location: string;
  /** The callback's Set-Cookie lines. */
  setCookies: string[];
}

const pair = (setCookie: string) => setCookie.split(';')[0]!;

export async function signInOverHttp(
  baseUrl: string,
  who: { role: 'clinician'; hsaId: string; careUnits: string[] } | { role: 'patient'; personnummer: string },
  returnTo?: string,
): Promise<SignedIn> {
  const login = await fetch(`${baseUrl}/auth/login?${new URLSearchParams({ role: who.role, ...(returnTo ? { returnTo } : {}) })}`, { redirect: 'manual' });
  expect(login.status, 'GET /auth/login').to.equal(303);
  const loginCookie = pair(login.headers.getSetCookie().find((c) => c.includes('-login='))!);
  const authorize = new URL(login.headers.get('location')!);
  const form = new URLSearchParams(Object.fromEntries(authorize.searchParams));
  if (who.role === 'clinician') { form.set('hsaId', who.hsaId); form.set('careUnits', who.careUnits.join(',')); }
  else form.set('personnummer', who.personnummer);
  const provider = await fetch(`${authorize.origin}/authorize`, { method: 'POST', body: form, redirect: 'manual' });
  expect(provider.status, 'the provider\'s sign-in').to.equal(303);
  const callback = await fetch(provider.headers.get('location')!, { headers: { cookie: loginCookie }, redirect: 'manual' });
  expect(callback.status, 'GET /auth/callback').to.equal(303);
  const setCookies = callback.headers.getSetCookie();
  const session = setCookies.find((c) => /^(__Host-)?tobakshjalpen-session=[^;]+/.test(c));
  expect(session, `a session cookie (went to ${callback.headers.get('location')})`).to.be.a('string');
  const cookie = pair(session!);
  return { cookie, id: cookie.split('=')[1]!, location: callback.headers.get('location')!, setCookies };
}
