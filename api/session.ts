// The web app's session: a backend-for-frontend in the API process. The API runs the OpenID
// Connect code flow (PKCE, state, nonce) against the provider, verifies the access token it gets
// exactly as it verifies a Bearer token, and keeps the result in the store (models/session.ts); the
// browser holds one HttpOnly, SameSite=Lax cookie with a random id (its SHA-256 is the record's
// _id). No token ever reaches a page script. Calls that change something and are authenticated by
// the cookie need the `X-CSRF: 1` header (a cross-site page cannot send it without a CORS preflight
// the API never grants) and, if the browser names an Origin, ours. Bearer calls are unaffected.
import { EventEmitter } from 'node:events';
import { createHash, randomBytes } from 'node:crypto';
import express, { type Request, type Response } from 'express';
import * as oauth from 'oauth4webapi';
import { z } from 'zod';
import type { Config } from '../infra/config';
import { logger } from '../infra/logger';
import { LoginModel, SessionModel } from '../models/session';
import { createTokenVerifier, type Claims, type SessionAuthenticator } from './auth';
import { HttpError, badRequest, forbidden, unauthorized, unavailable } from './errors';
import { route, type Route, type RouteDoc } from './route';

/** The web app's path where a failed sign-in is explained (`?fel=`). */
const FAILED_PATH = '/inloggad';
/** A sign-in under way may take this long at the provider. */
const LOGIN_MS = 10 * 60_000;
/** Expired sessions and sign-ins are deleted this often (FerretDB has no TTL indexes). */
const SWEEP_MS = 5 * 60_000;
/** The session route only looks: asking who is signed in is not a use (the app asks at the expiry). */
export const SESSION_PATH = '/api/session';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const ROLE_HOME = { clinician: '/behandlare', patient: '/invanare' } as const;
type SessionRole = keyof typeof ROLE_HOME;

const sha256 = (value: string) => createHash('sha256').update(value).digest('base64url');
const randomId = () => randomBytes(32).toString('base64url');
const ID = /^[A-Za-z0-9_-]{43}$/;

/** One cookie's value from the Cookie header (the API reads no other cookie). */
function cookieOf(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}

/** A path of this site: one slash, then no slash, backslash, white space or control character at once (the pattern in /openapi.json). */
export const RETURN_TO = /^\/(?![/\\])[^\\\s\u0000-\u001f]*$/;

/** A path of this origin to return to after sign-in, or a 400 naming `returnTo` (no open redirect). */
export function safeReturnTo(value: unknown, publicUrl: string, role: SessionRole): string {
  if (value === undefined || value === '') return ROLE_HOME[role];
  if (typeof value !== 'string' || value.length > 1000 || !RETURN_TO.test(value)) {
    throw badRequest('returnTo', 'must be a path of this site, such as /behandlare/behandlingar/<id>');
  }
  let url: URL;
  try { url = new URL(value, publicUrl); } catch { throw badRequest('returnTo', 'must be a path of this site'); }
  if (url.origin !== new URL(publicUrl).origin) throw badRequest('returnTo', 'must be a path of this site');
  return `${url.pathname}${url.search}`;
}

interface SessionRecord {
  _id: string; role: SessionRole; sub: string; careUnits: string[]; name?: string | null; idToken: string | null;
  createdAt: Date; lastUsedAt: Date; absoluteExpiresAt: Date; expiresAt: Date;
}

export class Sessions {
  readonly secure: boolean;
  readonly cookieName: string;
  readonly loginCookieName: string;
  private readonly origin: string;
  private readonly ended = new EventEmitter();
  private sweeper: NodeJS.Timeout | undefined;
  private discovered: Promise<{ as: oauth.AuthorizationServer; insecure: boolean }> | null = null;
  private readonly verify: ReturnType<typeof createTokenVerifier>;

  constructor(private readonly config: Config) {
    this.origin = new URL(config.publicUrl).origin;
    this.secure = this.origin.startsWith('https:');
    // Over https the __Host- prefix: Secure, Path=/, no Domain, so no sibling host can set or widen it.
    this.cookieName = this.secure ? '__Host-tobakshjalpen-session' : 'tobakshjalpen-session';
    this.loginCookieName = this.secure ? '__Host-tobakshjalpen-login' : 'tobakshjalpen-login';
    this.verify = createTokenVerifier(config);
    this.ended.setMaxListeners(0);
  }

  private get idleMs() { return this.config.session.idleMs; }
  /** The last use is written at most this often (about once a minute), to spare the store. */
  private get touchEveryMs() { return Math.min(60_000, this.idleMs / 10); }

  private expiryOf(s: Pick<SessionRecord, 'lastUsedAt' | 'absoluteExpiresAt'>): Date {
    return new Date(Math.min(s.lastUsedAt.getTime() + this.idleMs, s.absoluteExpiresAt.getTime()));
  }

  /** Deletes expired sessions and sign-ins (also at start, then every few minutes). */
  async sweep(now = new Date()): Promise<number> {
    const [sessions] = await Promise.all([
      SessionModel.deleteMany({ expiresAt: { $lte: now } }),
      LoginModel.deleteMany({ expiresAt: { $lte: now } }),
    ]);
    return sessions.deletedCount;
  }

  startSweeping(): void {
    if (this.sweeper) return;
    const run = () => { this.sweep().catch((err: Error) => logger.warn({ error: err.name }, 'session sweep failed')); };
    run();
    this.sweeper = setInterval(run, SWEEP_MS);
    this.sweeper.unref();
  }

  stopSweeping(): void {
    clearInterval(this.sweeper);
    this.sweeper = undefined;
  }

  /** The authenticator's session path: the cookie's session, CSRF-checked, its idle limit refreshed. */
  readonly authenticate: SessionAuthenticator = async (req, res) => {
    const id = cookieOf(req, this.cookieName);
    if (id === undefined) return null;
    if (UNSAFE.has(req.method)) this.checkCsrf(req);
    if (!ID.test(id)) throw unauthorized('the session has ended: sign in again');
    const hash = sha256(id);
    const doc = await SessionModel.findById(hash).lean<SessionRecord>();
    const now = Date.now();
    if (!doc || this.expiryOf(doc).getTime() <= now) {
      if (doc) await this.end(hash);
      throw unauthorized('the session has ended: sign in again');
    }
    let expiresAt = this.expiryOf(doc);
    if (req.path !== SESSION_PATH && now - doc.lastUsedAt.getTime() >= this.touchEveryMs) {
      const lastUsedAt = new Date(now);
      expiresAt = this.expiryOf({ lastUsedAt, absoluteExpiresAt: doc.absoluteExpiresAt });
      await SessionModel.updateOne({ _id: hash }, { $set: { lastUsedAt, expiresAt } });
    }
    // The live stream ends with its session (api/live/routes.ts).
    res.locals.onSessionEnd = (listener: () => void) => this.watch(hash, listener);
    const claims: Claims = doc.role === 'clinician' ? { role: 'clinician', sub: doc.sub, careUnits: doc.careUnits, ...(doc.name ? { name: doc.name } : {}) } : { role: 'patient', sub: doc.sub };
    return { claims, expiresAt };
  };

  private checkCsrf(req: Request): void {
    if (req.get('x-csrf') !== '1') throw forbidden('x-csrf: a call that changes something with the session cookie needs the header X-CSRF: 1');
    const origin = req.get('origin');
    if (origin !== undefined && origin !== this.origin) throw forbidden('origin: the call comes from another site');
    if (req.get('sec-fetch-site') === 'cross-site') throw forbidden('origin: the call comes from another site');
  }

  /** Ends a session (Logga ut, expiry): deleted from the store, its live streams in this process closed. */
  async end(hash: string): Promise<void> {
    await SessionModel.deleteOne({ _id: hash });
    this.ended.emit(hash);
  }

  /**
   * Calls `listener` once when the session ends: at once when this process ends it, else found by
   * looking in the store at its expiry and at least every 30 seconds (Logga ut at another instance).
   */
  watch(hash: string, listener: () => void): () => void {
    let timer: NodeJS.Timeout | undefined;
    let stopped = false;
    const fire = () => { if (!stopped) { stop(); listener(); } };
    const stop = () => { stopped = true; clearTimeout(timer); this.ended.off(hash, fire); };
    const check = async () => {
      const doc = await SessionModel.findById(hash).lean<SessionRecord>().catch(() => undefined);
      if (doc === undefined) return arm(30_000); // the store is away: look again later
      if (!doc || this.expiryOf(doc).getTime() <= Date.now()) { fire(); return; }
      arm(this.expiryOf(doc).getTime() - Date.now() + 50);
    };
    const arm = (ms: number) => {
      if (stopped) return;
      timer = setTimeout(() => { void check(); }, Math.max(50, Math.min(ms, 30_000)));
      timer.unref();
    };
    this.ended.on(hash, fire);
    arm(0);
    return stop;
  }

  private discover() {
    this.discovered ??= (async () => {
      const issuerUrl = this.config.web.oidcIssuer;
      if (!issuerUrl) throw unavailable('no OpenID Connect provider is configured (OIDC_ISSUER)');
      const issuer = new URL(issuerUrl);
      // Plain http only for the development provider on this machine.
      const insecure = issuer.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(issuer.hostname);
      const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oidc', [oauth.allowInsecureRequests]: insecure }));
      return { as, insecure };
    })();
    this.discovered.catch(() => { this.discovered = null; });
    return this.discovered;
  }

  private get client(): oauth.Client { return { client_id: this.config.web.oidcClientId }; }
  private get clientAuth(): oauth.ClientAuth {
    return this.config.web.oidcClientSecret ? oauth.ClientSecretBasic(this.config.web.oidcClientSecret) : oauth.None();
  }
  private get redirectUri() { return `${this.config.publicUrl}/auth/callback`; }

  private setCookie(res: Response, name: string, value: string, maxAgeMs?: number): void {
    res.cookie(name, value, { httpOnly: true, sameSite: 'lax', secure: this.secure, path: '/', ...(maxAgeMs ? { maxAge: maxAgeMs } : {}) });
  }

  private clearCookie(res: Response, name: string): void {
    res.clearCookie(name, { httpOnly: true, sameSite: 'lax', secure: this.secure, path: '/' });
  }

  /** GET /auth/login: to the provider, with PKCE, state and nonce kept here. */
  async login(req: Request, res: Response): Promise<void> {
    const role = req.query.role;
    if (role !== 'clinician' && role !== 'patient') throw badRequest('role', 'must be clinician or patient');
    const returnTo = safeReturnTo(req.query.returnTo, this.config.publicUrl, role);
    const { as } = await this.discover();
    if (!as.authorization_endpoint) throw unavailable('the OpenID Connect provider names no authorization endpoint');
    // One binding per browser, shared by its tabs, so two sign-ins under way do not undo each other.
    const existing = cookieOf(req, this.loginCookieName);
    const binding = existing && ID.test(existing) ? existing : randomId();
    const verifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const nonce = oauth.generateRandomNonce();
    await LoginModel.create({ _id: sha256(state), binding: sha256(binding), role, verifier, nonce, returnTo, expiresAt: new Date(Date.now() + LOGIN_MS) });
    this.setCookie(res, this.loginCookieName, binding, LOGIN_MS);
    const url = new URL(as.authorization_endpoint);
    url.search = new URLSearchParams({
      client_id: this.client.client_id,
      redirect_uri: this.redirectUri,
      response_type: 'code',
      scope: 'openid',
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
      // The development provider shows only the fields of this role; other providers ignore it.
      role,
    }).toString();
    res.setHeader('cache-control', 'no-store');
    res.redirect(303, url.toString());
  }

  /** GET /auth/callback: the code redeemed, the session made, the browser back where it was. */
  async callback(req: Request, res: Response): Promise<void> {
    res.setHeader('cache-control', 'no-store');
    const fail = (why: 'avbruten' | 'ogiltig' | 'misslyckades') => res.redirect(303, `${FAILED_PATH}?fel=${why}`);
    const state = typeof req.query.state === 'string' ? req.query.state : '';
    const binding = cookieOf(req, this.loginCookieName);
    const login = state ? await LoginModel.findByIdAndDelete(sha256(state)).lean() : null;
    if (!login || !binding || sha256(binding) !== login.binding || login.expiresAt.getTime() <= Date.now()) { fail('ogiltig'); return; }
    if (typeof req.query.error === 'string') { fail(req.query.error === 'access_denied' ? 'avbruten' : 'misslyckades'); return; }
    let claims: Claims;
    let idToken: string | undefined;
    try {
      const { as, insecure } = await this.discover();
      const params = oauth.validateAuthResponse(as, this.client, new URL(req.originalUrl, this.config.publicUrl), state);
      const response = await oauth.authorizationCodeGrantRequest(as, this.client, this.clientAuth, params, this.redirectUri, login.verifier, { [oauth.allowInsecureRequests]: insecure });
      const result = await oauth.processAuthorizationCodeResponse(as, this.client, response, { expectedNonce: login.nonce, requireIdToken: true });
      idToken = result.id_token;
      ({ claims } = await this.verify(result.access_token));
    } catch (err) {
      // The error's kind only: no code, token or claim in the log.
      logger.warn({ error: (err as Error).name, code: (err as { code?: string }).code }, 'sign-in failed');
      fail('misslyckades');
      return;
    }
    if (claims.role === 'ops') { fail('ogiltig'); return; }
    // A sign-in replaces the session this browser had.
    const previous = cookieOf(req, this.cookieName);
    if (previous && ID.test(previous)) await this.end(sha256(previous));
    const id = randomId();
    const now = new Date();
    const absoluteExpiresAt = new Date(now.getTime() + this.config.session.absoluteMs);
    await SessionModel.create({
      _id: sha256(id), role: claims.role, sub: claims.sub, careUnits: claims.role === 'clinician' ? claims.careUnits : [], name: claims.role === 'clinician' ? claims.name ?? null : null, idToken: idToken ?? null,
      createdAt: now, lastUsedAt: now, absoluteExpiresAt, expiresAt: this.expiryOf({ lastUsedAt: now, absoluteExpiresAt }),
    });
    this.setCookie(res, this.cookieName, id);
    this.clearCookie(res, this.loginCookieName);
    const home = ROLE_HOME[claims.role];
    res.redirect(303, login.returnTo === home || login.returnTo.startsWith(`${home}/`) || login.returnTo.startsWith(`${home}?`) ? login.returnTo : home);
  }

  /** POST /auth/logout: the session deleted here, then the provider's end-session endpoint (RP-initiated logout). */
  async logout(req: Request, res: Response): Promise<void> {
    res.setHeader('cache-control', 'no-store');
    const id = cookieOf(req, this.cookieName);
    let idToken: string | null = null;
    if (id !== undefined) {
      this.checkCsrf(req);
      if (ID.test(id)) {
        const hash = sha256(id);
        idToken = (await SessionModel.findById(hash, { idToken: 1 }).lean<{ idToken: string | null }>())?.idToken ?? null;
        await this.end(hash);
      }
    }
    this.clearCookie(res, this.cookieName);
    let redirectTo = `${this.config.publicUrl}/`;
    try {
      const { as } = await this.discover();
      if (as.end_session_endpoint) {
        const url = new URL(as.end_session_endpoint);
        url.searchParams.set('client_id', this.client.client_id);
        url.searchParams.set('post_logout_redirect_uri', `${this.config.publicUrl}/`);
        if (idToken) url.searchParams.set('id_token_hint', idToken);
        redirectTo = url.toString();
      }
    } catch { /* the provider is away: signed out here anyway */ }
    res.status(200).json({ redirectTo });
  }

  /** The /auth routes (sign-in, its callback, Logga ut). */
  router(): express.Router {
    const router = express.Router();
    router.get('/auth/login', async (req, res) => {
      try {
        await this.login(req, res);
      } catch (err) {
        // A browser's sign-in that cannot start is explained by the web app, in Swedish (/inloggad?fel=);
        // a program asking (no text/html) gets the problem details.
        if (req.accepts(['json', 'html']) !== 'html') throw err;
        res.setHeader('cache-control', 'no-store');
        res.redirect(303, `${FAILED_PATH}?fel=${err instanceof HttpError && err.status < 500 ? 'ogiltig' : 'otillganglig'}`);
      }
    });
    router.get('/auth/callback', (req, res) => this.callback(req, res));
    router.post('/auth/logout', (req, res) => this.logout(req, res));
    return router;
  }
}

const sessionSchema = z.object({
  role: z.enum(['clinician', 'patient', 'ops']),
  sub: z.string(),
  careUnits: z.array(z.string()),
  expiresAt: z.iso.datetime(),
}).meta({ id: 'Session' });

/** GET /api/session: who is signed in (never a token). */
export function sessionRoutes(): Route[] {
  return [
    route({
      method: 'get', path: SESSION_PATH, role: 'any', ok: 200, response: sessionSchema,
      summary: 'Who is signed in: role, subject (HSA-id or personnummer), care units, and when the session (or token) ends. No token. Asking is not a use: it does not extend the idle limit.',
      handle({ res }) {
        const caller = res.locals.caller as import('./auth').Caller;
        const expiresAt = (res.locals.authExpiresAt as Date).toISOString();
        res.setHeader('cache-control', 'no-store');
        if (caller.role === 'clinician') return { role: 'clinician', sub: caller.hsaId, careUnits: caller.careUnits, expiresAt };
        if (caller.role === 'patient') return { role: 'patient', sub: caller.personnummer, careUnits: [], expiresAt };
        return { role: 'ops', sub: caller.id, careUnits: [], expiresAt };
      },
    }),
  ];
}

/** The /auth routes as the OpenAPI document lists them. */
export const sessionDocs: RouteDoc[] = [
  {
    method: 'get', path: '/auth/login', role: 'none', ok: 303,
    summary: 'Sign-in for the web app: 303 to the OpenID Connect provider (code flow, PKCE, state, nonce). returnTo: a path of this site to land on afterwards.',
    query: z.object({ role: z.enum(['clinician', 'patient']), returnTo: z.union([z.literal(''), z.string().max(1000).regex(RETURN_TO)]).optional() }),
  },
  {
    method: 'get', path: '/auth/callback', role: 'none', ok: 303,
    summary: 'The provider\'s redirect: the code redeemed, the session cookie set, 303 to returnTo (or to /inloggad?fel=… when the sign-in failed)',
  },
  {
    method: 'post', path: '/auth/logout', role: 'none', ok: 200,
    summary: 'Logga ut: the session deleted and its cookie cleared (with the cookie, the header X-CSRF: 1 is required); answers where to send the browser: the provider\'s end-session endpoint',
    response: z.object({ redirectTo: z.string() }).meta({ id: 'Logout' }),
  },
];
