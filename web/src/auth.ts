// Sign-in: OpenID Connect authorization code flow with PKCE (oauth4webapi), following the OAuth 2.0
// for Browser-Based Apps BCP. The access and ID tokens live in this module's memory only, never
// in any web storage, and are gone with the tab. What must survive the redirect to the provider is
// no token: the one-time PKCE verifier, state and nonce, kept for the tab across that redirect and
// removed on return.
import * as oauth from 'oauth4webapi';

export type Role = 'clinician' | 'patient';

export interface Session {
  accessToken: string;
  idToken: string | undefined;
  expiresAt: number;
  role: Role;
  sub: string;
  careUnits: string[];
}

interface WebConfig { oidcIssuer: string | null; oidcClientId: string }

const PENDING = 'tobakshjalpen.signin';
const CALLBACK_PATH = '/inloggad';

let session: Session | null = null;
const listeners = new Set<() => void>();

export function currentSession(): Session | null {
  if (session && session.expiresAt <= Date.now()) session = null;
  return session;
}

export function onSessionChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function setSession(next: Session | null) {
  session = next;
  for (const l of listeners) l();
}

let discovered: Promise<{ as: oauth.AuthorizationServer; client: oauth.Client; insecure: boolean }> | null = null;

function discover() {
  discovered ??= (async () => {
    const res = await fetch('/web-config.json');
    if (!res.ok) throw new Error('Inloggningen är inte konfigurerad.');
    const config = (await res.json()) as WebConfig;
    if (!config.oidcIssuer) throw new Error('Ingen inloggningstjänst är konfigurerad (OIDC_ISSUER).');
    const issuer = new URL(config.oidcIssuer);
    // Plain http only for the development provider on this machine.
    const insecure = issuer.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(issuer.hostname);
    const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oidc', [oauth.allowInsecureRequests]: insecure }));
    return { as, client: { client_id: config.oidcClientId }, insecure };
  })();
  discovered.catch(() => { discovered = null; });
  return discovered;
}

const redirectUri = () => `${window.location.origin}${CALLBACK_PATH}`;

/** Sends the browser to the provider's sign-in page; back at /inloggad afterwards. */
export async function signIn(role: Role, returnTo: string): Promise<void> {
  const { as } = await discover();
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state, nonce, returnTo, role }));
  const url = new URL(as.authorization_endpoint!);
  const { client } = await discover();
  url.search = new URLSearchParams({
    client_id: client.client_id,
    redirect_uri: redirectUri(),
    response_type: 'code',
    scope: 'openid',
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    // The development provider shows only the fields of this role; other providers ignore it.
    role,
  }).toString();
  window.location.assign(url.toString());
}

function decodeClaims(jwt: string): Record<string, unknown> {
  const part = jwt.split('.')[1] ?? '';
  const json = atob(part.replace(/-/g, '+').replace(/_/g, '/'));
  return JSON.parse(new TextDecoder().decode(Uint8Array.from(json, (c) => c.charCodeAt(0)))) as Record<string, unknown>;
}

export function isCallback(): boolean {
  return window.location.pathname === CALLBACK_PATH;
}

/** At /inloggad: redeems the code (PKCE), keeps the tokens in memory; answers where to go next. */
export async function completeSignIn(): Promise<string> {
  const pending = sessionStorage.getItem(PENDING);
  sessionStorage.removeItem(PENDING);
  if (!pending) throw new Error('Inloggningen kunde inte slutföras (ingen pågående inloggning). Försök igen.');
  const { verifier, state, nonce, returnTo, role } = JSON.parse(pending) as { verifier: string; state: string; nonce: string; returnTo: string; role: Role };
  const { as, client, insecure } = await discover();
  const params = oauth.validateAuthResponse(as, client, new URL(window.location.href), state);
  const response = await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, redirectUri(), verifier, { [oauth.allowInsecureRequests]: insecure });
  const result = await oauth.processAuthorizationCodeResponse(as, client, response, { expectedNonce: nonce, requireIdToken: true });
  const claims = decodeClaims(result.access_token);
  const tokenRole = claims.role === 'clinician' || claims.role === 'patient' ? claims.role : role;
  setSession({
    accessToken: result.access_token,
    idToken: result.id_token,
    expiresAt: Date.now() + (result.expires_in ?? 3600) * 1000 - 30_000,
    role: tokenRole,
    sub: String(claims.sub ?? ''),
    careUnits: Array.isArray(claims.careUnits) ? claims.careUnits.map(String) : [],
  });
  const fallback = tokenRole === 'clinician' ? '/behandlare' : '/invanare';
  return returnTo.startsWith(tokenRole === 'clinician' ? '/behandlare' : '/invanare') ? returnTo : fallback;
}

/** Forgets the tokens, then ends the provider's session and comes back to `/`. */
export async function signOut(): Promise<void> {
  const idToken = session?.idToken;
  setSession(null);
  try {
    const { as, client } = await discover();
    if (as.end_session_endpoint) {
      const url = new URL(as.end_session_endpoint);
      url.searchParams.set('client_id', client.client_id);
      url.searchParams.set('post_logout_redirect_uri', `${window.location.origin}/`);
      if (idToken) url.searchParams.set('id_token_hint', idToken);
      window.location.assign(url.toString());
      return;
    }
  } catch { /* the provider is away: signed out here anyway */ }
  window.location.assign('/');
}
