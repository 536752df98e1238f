// Access logging as Swedish patient-data law (PDL) requires: every clinician read or write of a
// patient's data is recorded before the answer goes out; if it cannot be recorded, no answer.
import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { AccessLog } from '../../models/access-log';
import { callerOf } from '../auth';
import { retryWhenBusy } from '../errors';

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
