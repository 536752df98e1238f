// The access log's two readers: the patient ("Loggar": who read my data, when) and operations
// staff reviewing it (loggranskning), by patient or by clinician.
import { z } from 'zod';
import { AccessLog } from '../../models/access-log';
import { normalisePersonnummer } from '../../domain/personnummer';
import { callerOf } from '../auth';
import { badRequest } from '../errors';
import { logOpsAccess } from './service';
import { route, type Route } from '../route';
import type { ApiDeps } from '../deps';
import { accessLogSearch, patientAccessLog } from './responses';
import { careUnitName } from '../care-units/names';

/** Operations staff's access, as the patient reads it. */
const OPS_UNIT_NAME = 'Drift (teknisk personal)';

const iso = (d: Date) => d.toISOString();

export const accessLogSearchBody = z.strictObject({
  personnummer: z.string().max(20).optional(),
  clinicianId: z.string().min(1).max(64).optional(),
  from: z.iso.datetime({ offset: true }),
  to: z.iso.datetime({ offset: true }),
}).refine((b) => b.personnummer || b.clinicianId, { message: 'give personnummer or clinicianId', path: ['personnummer'] });

export function accessLogRoutes({ service, config }: ApiDeps): Route[] {
  return [
    route({
      method: 'get', path: '/api/me/access-log', summary: 'Who (care unit) accessed my data, when', role: 'patient', ok: 200, response: patientAccessLog,
      async handle({ res }) {
        const key = service.keyOf(callerOf(res, 'patient').personnummer);
        const entries = await AccessLog.find({ patientKey: key }).sort({ at: -1 }).limit(1000).lean();
        // Reads are GET and HEAD; an operator's access shows as operations (drift), never by name.
        return {
          items: entries.map((e) => {
            const ops = e.actorRole === 'ops';
            const unit = ops ? 'drift' : (e.actingCareUnitId ?? e.careUnitId ?? '');
            return {
              at: iso(e.at), careUnitId: unit, careUnitName: ops ? OPS_UNIT_NAME : careUnitName(config, unit),
              action: ops || ['GET', 'HEAD'].includes(e.action.split(' ')[0]!) ? 'read' : 'write',
            };
          }),
        };
      },
    }),
    route({
      // The personnummer travels in the body, never in a URL.
      method: 'post', path: '/api/ops/access-log/search', summary: 'Log review (loggranskning) by patient or clinician', role: 'ops', body: accessLogSearchBody, ok: 200, response: accessLogSearch,
      async handle({ res, body }) {
        const filter: Record<string, unknown> = { at: { $gte: new Date(body.from), $lte: new Date(body.to) } };
        if (body.personnummer) {
          const pnr = normalisePersonnummer(body.personnummer);
          if (!pnr) throw badRequest('personnummer', 'is not a valid personnummer or samordningsnummer');
          filter.patientKey = service.keyOf(pnr);
        }
        if (body.clinicianId) filter.actorId = body.clinicianId;
        const entries = await AccessLog.find(filter).sort({ at: 1 }).limit(10_000).lean();
        // The review itself is an access: who searched for whom, when (written before the answer).
        await logOpsAccess(res, [], `POST /api/ops/access-log/search${body.clinicianId ? ` clinician=${body.clinicianId}` : ''}`, null, (filter.patientKey as string | undefined) ?? null);
        return {
          items: entries.map((e) => ({
            at: iso(e.at), clinicianId: e.actorId, careUnitId: e.careUnitId, actingCareUnitId: e.actingCareUnitId ?? null, treatmentId: e.treatmentId, action: e.action, requestId: e.requestId,
          })),
        };
      },
    }),
  ];
}
