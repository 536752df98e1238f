// Access logging as Swedish patient-data law (PDL) requires: every clinician read or write of a
// patient's data is recorded before the answer goes out; if it cannot be recorded, no answer.
import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { AccessLog } from '../../models/access-log';
import { callerOf } from '../auth';
import { retryWhenBusy } from '../errors';
import { findByIds } from '../../infra/store';
import { onDuplicateKey } from '../../infra/duplicate-key';
import { Treatment } from '../../models/treatment';

export interface Accessor { hsaId: string; careUnits: string[]; requestId: string; action: string; actingFor?: string }

export function accessorOf(req: Request, res: Response): Accessor {
  const caller = callerOf(res, 'clinician');
  return {
    hsaId: caller.hsaId,
    careUnits: caller.careUnits,
    ...(caller.actingFor ? { actingFor: caller.actingFor } : {}),
    requestId: String(res.locals.requestId ?? randomUUID()),
    action: `${req.method} ${req.baseUrl}${req.route?.path ?? req.path}`,
  };
}

export async function logAccess(accessor: Accessor, treatments: Array<{ _id: string; careUnitId: string; patientKey?: string | null }>): Promise<void> {
  const at = new Date();
  const entries = treatments.filter((t) => t.patientKey).map((t) => ({
    _id: randomUUID(), at, actorId: accessor.hsaId, careUnitId: t.careUnitId, patientKey: t.patientKey!, treatmentId: t._id,
    // The unit the clinician acted for: the one named in x-care-unit, else the treatment's own.
    actingCareUnitId: accessor.actingFor ?? t.careUnitId,
    action: accessor.action, requestId: accessor.requestId,
  }));
  await writeEntries(entries);
}

/** Inserts log entries; a retry after a busy store may find some already written, which is no error. */
async function writeEntries(entries: object[]): Promise<void> {
  if (!entries.length) return;
  await retryWhenBusy(() => onDuplicateKey(() => AccessLog.insertMany(entries, { ordered: false }), () => undefined));
}

/** An operator's reason for reading a treatment's health data: the x-break-glass-reason header, or a breakGlass token claim. */
export function breakGlassReason(req: Request, res: Response): string | null {
  const header = req.headers['x-break-glass-reason'];
  if (typeof header === 'string' && header.trim().length >= 10 && header.length <= 500) return header.trim();
  const caller = res.locals.caller as { role: string; breakGlass?: string } | undefined;
  return caller?.role === 'ops' && caller.breakGlass ? caller.breakGlass : null;
}

/** Operations staff's reads are logged as clinicians' are: per treatment (its unit and patient), or per search. */
export async function logOpsAccess(res: Response, treatmentIds: string[], action: string, reason: string | null, patientKey: string | null = null): Promise<void> {
  const caller = res.locals.caller as { id: string };
  const requestId = String(res.locals.requestId ?? randomUUID());
  const at = new Date();
  const treatments = treatmentIds.length ? await findByIds<{ _id: string; careUnitId: string; patientKey?: string | null }>(Treatment, treatmentIds) : [];
  const known = new Map(treatments.map((t) => [t._id, t]));
  const entries = treatmentIds.length
    ? treatmentIds.map((id) => ({
      _id: randomUUID(), at, actorId: caller.id, actorRole: 'ops', careUnitId: known.get(id)?.careUnitId ?? null,
      patientKey: known.get(id)?.patientKey ?? null, treatmentId: id, action, reason, requestId,
    }))
    : [{ _id: randomUUID(), at, actorId: caller.id, actorRole: 'ops', careUnitId: null, patientKey, treatmentId: null, action, reason, requestId }];
  await writeEntries(entries);
}
