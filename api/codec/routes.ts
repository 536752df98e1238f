// Codec server for the Temporal UI: operations staff read payloads in the UI through it. Only the
// ops role, only from the configured UI origin. See the README for pointing the UI here.
import express, { Router } from 'express';
import { z } from 'zod';
import { JSONToPayload, payloadToJSON } from '@temporalio/common/lib/proto-utils';
import type { Config } from '../../infra/config';
import { payloadCodec } from '../../infra/data-converter';
import { treatmentOfPayload, UndecodablePayload } from '../../infra/codec';
import { breakGlassReason, logOpsAccess } from '../access-log/service';
import { requireRole } from '../auth';
import { forbidden, HttpError, parse } from '../errors';
import type { RequestHandler } from 'express';
import type { RouteDoc } from '../route';

export const codecBody = z.object({
  payloads: z.array(z.object({ metadata: z.record(z.string(), z.string()).optional(), data: z.string().optional() })).max(1000),
});

/** The codec server's own router (larger bodies, CORS for the UI), documented here beside it. */
export const codecDocs: RouteDoc[] = (['encode', 'decode'] as const).map((op) => ({
  method: 'post', path: `/codec/${op}`, summary: `Codec server for the Temporal UI: ${op}`, role: 'ops', body: codecBody, ok: 200, response: codecBody,
}));

export function codecRouter(config: Config, authenticate: RequestHandler): Router {
  const router = Router();
  router.use((req, res, next) => {
    const origin = req.headers.origin;
    if (origin && origin === config.codecCorsOrigin) {
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('vary', 'Origin');
      res.setHeader('access-control-allow-credentials', 'true');
      res.setHeader('access-control-allow-headers', 'authorization, content-type, x-namespace, x-break-glass-reason');
      res.setHeader('access-control-allow-methods', 'POST, OPTIONS');
    }
    if (req.method === 'OPTIONS') {
      res.status(origin === config.codecCorsOrigin ? 204 : 403).end();
      return;
    }
    next();
  });
  // Development only: the embedded Temporal UI on this machine cannot send a token, so its calls
  // (from its own origin, over loopback, without a token) act as the operator `development-ui`
  // with a standing break-glass reason; every decode of a treatment's payloads is logged as in
  // production (security #2). Production has no such path.
  const developmentUi: RequestHandler = (req, res, next) => {
    const loopback = ['127.0.0.1', '::1', '::ffff:127.0.0.1'].includes(req.socket.remoteAddress ?? '');
    if (config.auth?.mode === 'development' && !req.headers.authorization && loopback && req.headers.origin === config.codecCorsOrigin) {
      res.locals.caller = { role: 'ops', id: 'development-ui', breakGlass: 'development: the embedded Temporal UI on this machine' };
      next();
      return;
    }
    return authenticate(req, res, next); // express 5 sees its rejection
  };
  // Who is asking comes before reading 4 MB of JSON.
  router.use(developmentUi, requireRole('ops'), express.json({ limit: '4mb' }));
  for (const op of ['encode', 'decode'] as const) {
    router.post(`/${op}`, async (req, res) => {
      const { payloads } = parse(codecBody, req.body);
      const codec = payloadCodec(config);
      const input = payloads.map((p) => JSONToPayload({ metadata: p.metadata ?? {}, data: p.data ?? '' }));
      if (op === 'decode') {
        // A treatment's payloads are health data: reading them is breaking the glass, with a
        // reason, and it is written to the access log (who, which treatment, when, why) first.
        const treatments = [...new Set(input.map(treatmentOfPayload).filter((t): t is string => t !== null))];
        if (treatments.length > 0) {
          const reason = breakGlassReason(req, res);
          if (!reason) throw forbidden('decoding a treatment\'s payloads needs a break-glass reason (x-break-glass-reason header, 10–500 characters, or a breakGlass token claim)');
          await logOpsAccess(res, treatments, `POST /codec/decode`, reason);
        }
      }
      let output;
      try {
        output = op === 'encode' ? await codec.encode(input) : await codec.decode(input);
      } catch (err) {
        if (err instanceof UndecodablePayload) throw new HttpError(400, 'Undecodable payload', err.message);
        throw err;
      }
      res.json({ payloads: output.map((p) => payloadToJSON(p)) });
    });
  }
  return router;
}
