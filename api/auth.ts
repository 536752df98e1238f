// Bearer tokens: signed by the project itself in development, verified against the identity
// provider's JWKS in production. Roles and care units come from the token, never from the request.
import type { Request, RequestHandler, Response } from 'express';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { z } from 'zod';
import type { Config } from '../infra/config';
import { normalisePersonnummer } from '../domain/personnummer';
import { forbidden, unauthorized } from './errors';

export type Caller =
  | { role: 'clinician'; hsaId: string; careUnits: string[]; actingFor?: string; name?: string }
  | { role: 'patient'; personnummer: string }
  | { role: 'ops'; id: string; breakGlass?: string };

const claims = z.discriminatedUnion('role', [
  // name: optional, the clinician's name for colleagues (Byt behandlare); a provider may send none.
  z.object({ role: z.literal('clinician'), sub: z.string().min(1).max(64), careUnits: z.array(z.string().min(1).max(64)).max(50), name: z.string().trim().min(1).max(200).optional().catch(undefined) }),
  z.object({ role: z.literal('patient'), sub: z.string().min(10).max(13) }),
  z.object({ role: z.literal('ops'), sub: z.string().min(1).max(64), breakGlass: z.string().min(10).max(500).optional() }),
]);

/** A token's verified claims: who, in which role, with which care units. */
export type Claims = z.infer<typeof claims>;

/**
 * The verifier of access tokens: development HS256 tokens (`npm run token`), the development
 * provider's (through its JWKS) and, in production, the identity provider's (JWKS_URL). The
 * session's sign-in (api/session.ts) verifies the provider's access token here too, so a session
 * carries exactly the role, subject and care units a Bearer token would.
 */
export function createTokenVerifier(config: Config): (token: string) => Promise<{ claims: Claims; expiresAt: Date }> {
  const auth = config.auth;
  if (!auth) throw new Error('this process was configured without token verification (no API)');
  const key = auth.mode === 'development' ? new TextEncoder().encode(auth.secret) : createRemoteJWKSet(new URL(auth.jwksUrl));
  // In development, the local OpenID Connect provider's tokens too: through its JWKS, as production does.
  const devOidc = auth.mode === 'development' && auth.oidc ? { issuer: auth.oidc.issuer, keys: createRemoteJWKSet(new URL(auth.oidc.jwksUrl)) } : null;
  return async (token) => {
    let payload: JWTPayload;
    try {
      // Every token says when it was issued and when it expires, and lives at most tokenMaxAgeSeconds.
      const options = { issuer: auth.issuer, audience: auth.audience, requiredClaims: ['exp', 'iat'], maxTokenAge: config.tokenMaxAgeSeconds };
      const verified = devOidc && decodeProtectedHeader(token).alg !== 'HS256'
        ? await jwtVerify(token, devOidc.keys, { ...options, issuer: devOidc.issuer, algorithms: ['ES256', 'RS256'] })
        : auth.mode === 'development'
        ? await jwtVerify(token, key as Uint8Array, { ...options, algorithms: ['HS256'] })
        : await jwtVerify(token, key as ReturnType<typeof createRemoteJWKSet>, options);
      payload = verified.payload;
      if (payload.exp! - payload.iat! > config.tokenMaxAgeSeconds) throw new Error('lives too long');
    } catch {
      throw unauthorized('the token is invalid or expired');
    }
    const parsed = claims.safeParse(payload);
    if (!parsed.success) throw unauthorized('the token lacks a valid role, subject or care units');
    const expiresAt = new Date(payload.exp! * 1000);
    if (parsed.data.role !== 'patient') return { claims: parsed.data, expiresAt };
    const pnr = normalisePersonnummer(parsed.data.sub);
    if (!pnr) throw unauthorized('the token subject is not a valid personnummer');
    return { claims: { role: 'patient', sub: pnr }, expiresAt };
  };
}

/** The caller of verified claims (from a token or a session), with the unit a clinician acts for. */
function callerFrom(c: Claims, req: Request): Caller {
  if (c.role === 'clinician') {
    // The unit a clinician with several acts for (x-care-unit), one of the token's: the access
    // log names it beside the treatment's unit (PDL, security #11).
    const acting = req.headers['x-care-unit'];
    if (acting !== undefined && (typeof acting !== 'string' || !c.careUnits.includes(acting))) {
      throw forbidden('x-care-unit is not one of your care units');
    }
    return { role: 'clinician', hsaId: c.sub, careUnits: c.careUnits, ...(acting ? { actingFor: acting } : {}), ...(c.name ? { name: c.name } : {}) };
  }
  if (c.role === 'ops') return { role: 'ops', id: c.sub, ...(c.breakGlass ? { breakGlass: c.breakGlass } : {}) };
  return { role: 'patient', personnummer: c.sub };
}

/** What a session gives the authenticator: its claims, or null without a session cookie (throws 401/403 for a bad one). */
export type SessionAuthenticator = (req: Request, res: Response) => Promise<{ claims: Claims; expiresAt: Date } | null>;

/**
 * Authenticates a request by its Bearer token or, without one, by the web app's session cookie
 * (api/session.ts; CSRF-checked there): the same claims make the same caller either way.
 * res.locals.caller is the caller; res.locals.authExpiresAt when the token or session ends.
 */
export function createAuthenticator(config: Config, sessions?: SessionAuthenticator): RequestHandler {
  const verify = createTokenVerifier(config);
  return async (req, res, next) => {
    const header = req.headers.authorization;
    const found = header?.startsWith('Bearer ') ? await verify(header.slice(7)) : sessions ? await sessions(req, res) : null;
    if (!found) throw unauthorized(header ? 'a valid bearer token is required' : 'a valid bearer token or session is required');
    res.locals.caller = callerFrom(found.claims, req);
    res.locals.authExpiresAt = found.expiresAt;
    next();
  };
}

export function requireRole<R extends Caller['role']>(role: R): RequestHandler {
  return (_req, res, next) => {
    if ((res.locals.caller as Caller | undefined)?.role !== role) throw forbidden(`this endpoint is for the ${role} role`);
    next();
  };
}

/**
 * The care-unit filter of a clinician's list: the unit asked for (403 unless it is one of the
 * caller's), else every unit of the caller.
 */
export function careUnitFilter(caller: Extract<Caller, { role: 'clinician' }>, careUnitId: string | undefined): string | { $in: string[] } {
  if (careUnitId && !caller.careUnits.includes(careUnitId)) throw forbidden('careUnitId is not one of your care units');
  return careUnitId ?? { $in: caller.careUnits };
}

export function callerOf<R extends Caller['role']>(res: { locals: Record<string, unknown> }, _role: R): Extract<Caller, { role: R }> {
  return res.locals.caller as Extract<Caller, { role: R }>;
}

/** Development tokens, for `npm run token` and the tests. */
export async function signDevToken(
  config: Config,
  claimsIn: { role: Caller['role']; sub: string; careUnits?: string[]; name?: string },
  expiresIn = '8h',
): Promise<string> {
  if (config.auth?.mode !== 'development') throw new Error('development tokens need AUTH_MODE=development');
  const { sub, ...rest } = claimsIn;
  return new SignJWT(rest)
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setIssuer(config.auth.issuer)
    .setAudience(config.auth.audience)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(new TextEncoder().encode(config.auth.secret));
}
