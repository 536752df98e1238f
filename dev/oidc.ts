// Development only: a small OpenID Connect provider for the web app's sign-in, so that development
// takes the same path as production (authorization code flow with PKCE, discovery, JWKS). Its
// client is the API (api/session.ts), which redeems codes server-side: no CORS is offered. Its page
// signs in test identities: a clinician (HSA-id and care units) or a patient (personnummer).
// Hand-written with jose (code + PKCE S256, discovery, JWKS, end session); no refresh tokens, no
// consent, no provider session. One public client; redirect URIs on loopback only.
import express from 'express';
import { createServer, type Server } from 'node:http';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';

export interface DevOidc {
  issuer: string;
  jwksUrl: string;
  clientId: string;
  stop(): Promise<void>;
}

interface Grant {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  nonce?: string;
  claims: { sub: string; role: 'clinician' | 'patient'; careUnits?: string[]; name?: string };
  expiresAt: number;
}

const CODE_SECONDS = 60;

function isLoopbackUri(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname) && !url.hash;
  } catch {
    return false;
  }
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function loginPage(params: Record<string, string>, error?: string, values: Record<string, string> = {}): string {
  const role = params.role;
  const hidden = Object.entries(params).map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`).join('');
  const field = (id: string, label: string, hint?: string) => `<p><label for="${id}">${label}</label>${hint ? `<span class="hint" id="${id}-hint">${hint}</span>` : ''}
<input id="${id}" name="${id}" value="${escapeHtml(values[id] ?? '')}" autocomplete="off"${hint ? ` aria-describedby="${id}-hint"` : ''}></p>`;
  const clinician = role !== 'patient'
    ? `<fieldset><legend>Behandlare</legend>${field('hsaId', 'HSA-id', 'Till exempel SE2321000016-1001')}${field('careUnits', 'Vårdenheter', 'Vårdenheternas id:n, åtskilda med kommatecken')}${field('name', 'Namn', 'Frivilligt, till exempel Anna Andersson')}</fieldset>` : '';
  const patient = role !== 'clinician'
    ? `<fieldset><legend>Invånare</legend>${field('personnummer', 'Personnummer', 'ÅÅÅÅMMDD-NNNN')}</fieldset>` : '';
  return `<!doctype html><html lang="sv"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Logga in – utvecklingsinloggning</title>
<style>
body{font-family:system-ui,sans-serif;margin:0;background:#f4f6f8;color:#1b1f23}
main{max-width:28rem;margin:3rem auto;background:#fff;padding:2rem;border-radius:8px;border:1px solid #c9d1d9}
label{display:block;font-weight:600;margin-bottom:.25rem}.hint{display:block;color:#4a5560;font-size:.9rem;margin-bottom:.25rem}
input:not([type=hidden]){width:100%;box-sizing:border-box;padding:.5rem;border:1px solid #57606a;border-radius:4px;font-size:1rem}
fieldset{border:1px solid #c9d1d9;border-radius:6px;margin-bottom:1rem}
button{background:#0b5cab;color:#fff;border:0;padding:.6rem 1.2rem;border-radius:4px;font-size:1rem;cursor:pointer}
:focus-visible{outline:3px solid #d4351c;outline-offset:2px}.error{color:#a30f0f;font-weight:600}
</style></head><body><main><h1>Logga in</h1>
<p>Utvecklingsinloggning för testidentiteter. I produktion loggar behandlare in med SITHS och invånare med BankID.</p>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/authorize">${hidden}${clinician}${patient}<button type="submit">Logga in</button></form>
</main></body></html>`;
}

export async function startDevOidc(opts: { port?: number; audience: string; clientId?: string; tokenSeconds?: number }): Promise<DevOidc> {
  const clientId = opts.clientId ?? 'tobakshjalpen-web';
  const tokenSeconds = opts.tokenSeconds ?? 3600;
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = randomUUID();
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
  const grants = new Map<string, Grant>();
  let issuer = '';

  const app = express();
  app.disable('x-powered-by');
  app.use(express.urlencoded({ extended: false, limit: '20kb' }));

  app.get('/.well-known/openid-configuration', (_req, res) => {
    res.json({
      issuer,
      authorization_endpoint: `${issuer}/authorize`,
      token_endpoint: `${issuer}/token`,
      jwks_uri: `${issuer}/jwks`,
      end_session_endpoint: `${issuer}/logout`,
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['ES256'],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['none'],
      scopes_supported: ['openid'],
      authorization_response_iss_parameter_supported: true,
    });
  });
  app.get('/jwks', (_req, res) => { res.json({ keys: [jwk] }); });

  const authRequest = (q: Record<string, unknown>): { params: Record<string, string> } | { error: string } => {
    if (q.client_id !== clientId) return { error: 'Inloggningen begärdes av en tjänst som inte är känd här.' };
    if (!isLoopbackUri(q.redirect_uri)) return { error: 'Inloggningen skulle skicka dig vidare till en adress som inte är tillåten. I utvecklingsläge måste det vara en adress på den här datorn.' };
    if (q.response_type !== 'code') return { error: 'Inloggningsbegäran har fel form. Börja om från tjänsten.' };
    if (typeof q.code_challenge !== 'string' || q.code_challenge_method !== 'S256') return { error: 'Inloggningsbegäran saknar sitt skydd mot kapning. Börja om från tjänsten.' };
    const params: Record<string, string> = {};
    for (const k of ['client_id', 'redirect_uri', 'response_type', 'code_challenge', 'code_challenge_method', 'state', 'nonce', 'scope', 'role']) {
      const v = q[k];
      if (typeof v === 'string' && v.length <= 500) params[k] = v;
    }
    return { params };
  };
  const page = (res: express.Response, status: number, html: string) => {
    res.status(status)
      .setHeader('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'")
      .setHeader('cache-control', 'no-store')
      .type('html').send(html);
  };

  app.get('/authorize', (req, res) => {
    const r = authRequest(req.query as Record<string, unknown>);
    if ('error' in r) { page(res, 400, `<!doctype html><html lang="sv"><head><title>Fel</title></head><body><main><h1>Fel i inloggningsbegäran</h1><p>${escapeHtml(r.error)}</p></main></body></html>`); return; }
    page(res, 200, loginPage(r.params));
  });

  app.post('/authorize', (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const r = authRequest(body);
    if ('error' in r) { page(res, 400, `<!doctype html><html lang="sv"><head><title>Fel</title></head><body><main><h1>Fel i inloggningsbegäran</h1><p>${escapeHtml(r.error)}</p></main></body></html>`); return; }
    const str = (k: string) => (typeof body[k] === 'string' ? (body[k] as string).trim() : '');
    const values = { hsaId: str('hsaId'), careUnits: str('careUnits'), name: str('name'), personnummer: str('personnummer') };
    let claims: Grant['claims'];
    if (values.hsaId && r.params.role !== 'patient') {
      const careUnits = values.careUnits.split(',').map((u) => u.trim()).filter(Boolean);
      if (careUnits.length === 0) { page(res, 400, loginPage(r.params, 'Ange minst en vårdenhet.', values)); return; }
      claims = { sub: values.hsaId, role: 'clinician', careUnits, ...(values.name ? { name: values.name.slice(0, 200) } : {}) };
    } else if (values.personnummer && r.params.role !== 'clinician') {
      claims = { sub: values.personnummer, role: 'patient' };
    } else {
      page(res, 400, loginPage(r.params, r.params.role === 'patient' ? 'Ange personnummer.' : r.params.role === 'clinician' ? 'Ange HSA-id och vårdenheter.' : 'Ange HSA-id och vårdenheter, eller personnummer.', values));
      return;
    }
    const code = randomBytes(32).toString('base64url');
    grants.set(code, {
      clientId, redirectUri: r.params.redirect_uri!, codeChallenge: r.params.code_challenge!, nonce: r.params.nonce, claims,
      expiresAt: Date.now() + CODE_SECONDS * 1000,
    });
    const target = new URL(r.params.redirect_uri!);
    target.searchParams.set('code', code);
    if (r.params.state) target.searchParams.set('state', r.params.state);
    target.searchParams.set('iss', issuer);
    res.redirect(303, target.toString());
  });

  app.post('/token', async (req, res) => {
    res.setHeader('cache-control', 'no-store');
    const body = (req.body ?? {}) as Record<string, unknown>;
    const fail = (error: string, description: string) => res.status(400).json({ error, error_description: description });
    if (body.grant_type !== 'authorization_code') return fail('unsupported_grant_type', 'only authorization_code');
    const code = typeof body.code === 'string' ? body.code : '';
    const grant = grants.get(code);
    grants.delete(code); // a code is used once
    if (!grant || grant.expiresAt < Date.now()) return fail('invalid_grant', 'unknown or expired code');
    if (body.client_id !== grant.clientId || body.redirect_uri !== grant.redirectUri) return fail('invalid_grant', 'client or redirect_uri differs');
    const verifier = typeof body.code_verifier === 'string' ? body.code_verifier : '';
    if (createHash('sha256').update(verifier).digest('base64url') !== grant.codeChallenge) return fail('invalid_grant', 'PKCE verification failed');
    const { sub, ...rest } = grant.claims;
    const sign = (payload: Record<string, unknown>, audience: string, typ: string) => new SignJWT(payload)
      .setProtectedHeader({ alg: 'ES256', kid, typ })
      .setIssuer(issuer).setSubject(sub).setAudience(audience).setIssuedAt().setExpirationTime(`${tokenSeconds}s`).setJti(randomUUID())
      .sign(privateKey);
    const [accessToken, idToken] = await Promise.all([
      sign({ ...rest, client_id: grant.clientId }, opts.audience, 'at+jwt'),
      sign({ ...rest, ...(grant.nonce ? { nonce: grant.nonce } : {}), auth_time: Math.floor(Date.now() / 1000) }, grant.clientId, 'JWT'),
    ]);
    return res.json({ access_token: accessToken, id_token: idToken, token_type: 'Bearer', expires_in: tokenSeconds, scope: 'openid' });
  });

  app.get('/logout', (req, res) => {
    const target = req.query.post_logout_redirect_uri;
    if (isLoopbackUri(target)) { res.redirect(303, target); return; }
    page(res, 200, '<!doctype html><html lang="sv"><head><title>Utloggad</title></head><body><main><h1>Du är utloggad</h1></main></body></html>');
  });

  const listen = (port: number) => new Promise<Server>((resolve, reject) => {
    const s = createServer(app);
    s.once('error', reject);
    s.listen(port, '127.0.0.1', () => resolve(s));
  });
  // The port asked for, else (taken) a free one: the web app reads the issuer from the API.
  const server = await listen(opts.port ?? 0).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'EADDRINUSE') return listen(0);
    throw err;
  });
  const address = server.address();
  issuer = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : opts.port}`;
  // Expired codes do not pile up.
  const sweep = setInterval(() => { const now = Date.now(); for (const [c, g] of grants) if (g.expiresAt < now) grants.delete(c); }, 60_000);
  sweep.unref();
  return {
    issuer,
    jwksUrl: `${issuer}/jwks`,
    clientId,
    stop: () => new Promise<void>((resolve) => { clearInterval(sweep); server.close(() => resolve()); server.closeAllConnections(); }),
  };
}
