// Access logging as Swedish patient-data law (PDL) requires: every clinician read or write of a
// patient's data is recorded before the answer goes out; if it cannot be recorded, no answer.
import { randomUUID } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { AccessLog } from '../models/access-log';
import { normalisePersonnummer } from '../domain/personnummer';
import { callerOf, requireRole } from './auth';
import { badRequest, parse, retryWhenBusy } from './errors';
import { treatmentParams } from './schemas';
import type { TreatmentRecord, TreatmentService } from './service';

export interface Accessor { hsaId: string; careUnits: string[]; requestId: string; action: string }

export function accessorOf(req: Request, res: Response): Accessor {
  const caller = callerOf(res, 'clinician');
  return {
    hsaId: caller.hsaId,
    careUnits: caller.careUnits,
    requestId: String(res.locals.requestId ?? randomUUID()),
    action: `${req.method} ${req.baseUrl}${req.route?.path ?? req.path}`,
  };
}

/** The treatment named by :id, if this clinician may see it (else 404); the access is logged. */
export function visibleTreatment(service: TreatmentService, req: Request, res: Response): Promise<TreatmentRecord> {
  const { id } = parse(treatmentParams, req.params, 'params');
  return service.visibleToClinician(id, accessorOf(req, res));
}

export async function logAccess(accessor: Accessor, treatments: Array<{ _id: string; careUnitId: string; patientKey?: string | null }>): Promise<void> {
  const at = new Date();
  const entries = treatments.filter((t) => t.patientKey).map((t) => ({
    _id: randomUUID(), at, actorId: accessor.hsaId, careUnitId: t.careUnitId, patientKey: t.patientKey!, treatmentId: t._id,
    action: accessor.action, requestId: accessor.requestId,
  }));
  if (!entries.length) return;
  // A retry after a busy store may find some entries already written: those are not errors.
  await retryWhenBusy(() => AccessLog.insertMany(entries, { ordered: false }).catch((err: { code?: number; message?: string }) => {
    if (err.code !== 11000 && !/E11000/.test(err.message ?? '')) throw err;
  }));
}

const iso = (d: Date) => d.toISOString();

/** The patient's own view: which care units accessed their data, and when. */
export function patientAccessLogRouter(service: TreatmentService): Router {
  const router = Router();
  router.get('/access-log', requireRole('patient'), async (_req, res) => {
    const key = service.keyOf(callerOf(res, 'patient').personnummer);
    const entries = await AccessLog.find({ patientKey: key }).sort({ at: -1 }).limit(1000).lean();
    res.json({ items: entries.map((e) => ({ at: iso(e.at), careUnitId: e.careUnitId, action: e.action.split(' ')[0] === 'GET' ? 'read' : 'write' })) });
  });
  return router;
}

export const accessLogSearchBody = z.strictObject({
  personnummer: z.string().max(20).optional(),
  clinicianId: z.string().min(1).max(64).optional(),
  from: z.iso.datetime({ offset: true }),
  to: z.iso.datetime({ offset: true }),
}).refine((b) => b.personnummer || b.clinicianId, { message: 'give personnummer or clinicianId', path: ['personnummer'] });

/** Log reviews (loggranskning) by operations staff; the personnummer travels in the body, never in a URL. */
export function opsAccessLogRouter(service: TreatmentService): Router {
  const router = Router();
  router.post('/access-log/search', requireRole('ops'), async (req, res) => {
    const body = parse(accessLogSearchBody, req.body);
    const filter: Record<string, unknown> = { at: { $gte: new Date(body.from), $lte: new Date(body.to) } };
    if (body.personnummer) {
      const pnr = normalisePersonnummer(body.personnummer);
      if (!pnr) throw badRequest('personnummer', 'is not a valid personnummer or samordningsnummer');
      filter.patientKey = service.keyOf(pnr);
    }
    if (body.clinicianId) filter.actorId = body.clinicianId;
    const entries = await AccessLog.find(filter).sort({ at: 1 }).limit(10_000).lean();
    res.json({
      items: entries.map((e) => ({
        at: iso(e.at), clinicianId: e.actorId, careUnitId: e.careUnitId, treatmentId: e.treatmentId, action: e.action, requestId: e.requestId,
      })),
    });
  });
  return router;
}
