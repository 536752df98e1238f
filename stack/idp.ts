// The region's OpenID Connect provider, as far as the stack needs one: discovery and JWKS, so that
// the APIs verify tokens in production mode (AUTH_MODE=production, JWKS_URL) and the Temporal UI
// server (TEMPORAL_AUTH_ENABLED) finds its provider at start. Tokens are signed here directly for
// the tests and for `npm run stack`'s printed example; there is no sign-in page.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';

export interface StackIdp {
  issuer: string;
  jwksUrl: string;
  audience: string;
  sign(claims: { role: 'clinician' | 'patient' | 'ops'; sub: string; careUnits?: string[] }, expiresIn?: string): Promise<string>;
  stop(): Promise<void>;
}

export async function startIdp(audience: string): Promise<StackIdp> {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'stack-1', alg: 'RS256', use: 'sig' };
  let issuer = '';
  const server: Server = createServer((req, res) => {
    const json = (body: unknown) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.url === '/.well-known/openid-configuration') {
      return json({
        issuer, jwks_uri: `${issuer}/jwks`, authorization_endpoint: `${issuer}/authorize`, token_endpoint: `${issuer}/token`,
        response_types_supported: ['code'], subject_types_supported: ['public'], id_token_signing_alg_values_supported: ['RS256'],
        scopes_supported: ['openid', 'profile', 'email'],
      });
    }
    if (req.url === '/jwks') return json({ keys: [jwk] });
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer, jwksUrl: `${issuer}/jwks`, audience,
    sign: ({ sub, ...claims }, expiresIn = '8h') => new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'stack-1' }).setSubject(sub).setIssuer(issuer).setAudience(audience)
      .setIssuedAt().setExpirationTime(expiresIn).sign(privateKey),
    stop: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}
