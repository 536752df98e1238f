// The clinician's endpoints (behandlarvy, hantera moduler, avsluta).
import { Router } from 'express';
import type { Program } from '../lib/programs';
import { normalisePersonnummer } from '../lib/personnummer';
import { Patient, type PatientDoc } from '../models/patient';
import { Treatment } from '../models/treatment';
import {
  completeModuleUpdate, endTreatmentUpdate, openModuleUpdate, setCurrentModuleUpdate,
} from '../workflows/definitions';
import { callerOf, requireRole } from './auth';
import { badRequest, conflict, forbidden, notFound, parse } from './errors';
import {
  createTreatmentBody, endBody, listTreatmentsQuery, moduleParams, treatmentParams, welcomeTextBody,
} from './schemas';
import type { TreatmentRecord, TreatmentService } from './service';
import { clinicianView, listItem } from './views';

export function clinicianRouter(service: TreatmentService, programs: Map<string, Program>): Router {
  const router = Router();
  router.use(requireRole('clinician'));

  const programOf = (id: string) => {
    const p = programs.get(id);
    if (!p) throw new Error(`treatment refers to unknown program ${id}`);
    return p;
  };
  const detail = async (t: TreatmentRecord) => clinicianView(t, await service.patientOf(t), programOf(t.programId));

  router.post('/treatments', async (req, res) => {
    const caller = callerOf(res, 'clinician');
    const body = parse(createTreatmentBody, req.body);
    const personnummer = normalisePersonnummer(body.personnummer);
    if (!personnummer) throw badRequest('personnummer', 'is not a valid personnummer or samordningsnummer (12 digits with a valid check digit)');
    const program = programs.get(body.programId);
    if (!program) throw badRequest('programId', `unknown program "${body.programId}"`);
    if (!caller.careUnits.includes(body.careUnitId)) throw forbidden('careUnitId is not one of your care units');
    const { treatment, created } = await service.start({
      personnummer, program, careUnitId: body.careUnitId, clinicianId: caller.hsaId, patient: body.patient,
    });
    res.status(created ? 201 : 200).location(`/api/treatments/${treatment._id}`).json(await detail(treatment));
  });

  router.get('/treatments', async (req, res) => {
    const caller = callerOf(res, 'clinician');
    const q = parse(listTreatmentsQuery, req.query, 'query');
    if (q.careUnitId && !caller.careUnits.includes(q.careUnitId)) throw forbidden('careUnitId is not one of your care units');
    const filter: Record<string, unknown> = { careUnitId: q.careUnitId ?? { $in: caller.careUnits } };
    if (q.status) filter.status = q.status;
    if (q.flagged === 'true') filter.unreadFlags = { $gt: 0 };
    if (q.flagged === 'false') filter.unreadFlags = 0;
    const [docs, total] = await Promise.all([
      Treatment.find(filter).sort({ startedAt: -1, _id: 1 }).skip((q.page - 1) * q.pageSize).limit(q.pageSize).lean<TreatmentRecord[]>(),
      Treatment.countDocuments(filter),
    ]);
    const patients = await Patient.find({ _id: { $in: [...new Set(docs.map((d) => d.patientKey))] } }).lean<(PatientDoc & { _id: string })[]>();
    const byKey = new Map(patients.map((p) => [p._id, p]));
    res.json({ items: docs.map((d) => listItem(d, byKey.get(d.patientKey) ?? null)), total, page: q.page, pageSize: q.pageSize });
  });

  router.get('/treatments/:id', async (req, res) => {
    const { id } = parse(treatmentParams, req.params, 'params');
    res.json(await detail(await service.visibleToClinician(id, callerOf(res, 'clinician').careUnits)));
  });

  router.put('/treatments/:id/welcome-text', async (req, res) => {
    const { id } = parse(treatmentParams, req.params, 'params');
    const { text } = parse(welcomeTextBody, req.body);
    const t = await service.visibleToClinician(id, callerOf(res, 'clinician').careUnits);
    // The welcome text may be personal, so it lives in MongoDB only, never in the workflow.
    const result = await Treatment.updateOne({ _id: t._id, status: { $in: ['invited', 'active'] } }, { $set: { welcomeText: text } });
    if (result.matchedCount === 0) throw conflict(`the treatment is ${t.status}`);
    res.json(await detail(await service.reload(t._id)));
  });

  const moduleCommands = {
    open: openModuleUpdate,
    current: setCurrentModuleUpdate,
    complete: completeModuleUpdate,
  } as const;
  for (const [action, update] of Object.entries(moduleCommands)) {
    router.post(`/treatments/:id/modules/:moduleId/${action}`, async (req, res) => {
      const { id, moduleId } = parse(moduleParams, req.params, 'params');
      const t = await service.visibleToClinician(id, callerOf(res, 'clinician').careUnits);
      if (!programOf(t.programId).modules.some((m) => m.id === moduleId)) throw notFound('module');
      await service.command(t._id, update, moduleId);
      res.json(await detail(await service.reload(t._id)));
    });
  }

  router.post('/treatments/:id/end', async (req, res) => {
    const { id } = parse(treatmentParams, req.params, 'params');
    const body = parse(endBody, req.body);
    const t = await service.visibleToClinician(id, callerOf(res, 'clinician').careUnits);
    const program = programOf(t.programId);
    if (!program.endReasons.some((r) => r.id === body.reason)) {
      throw badRequest('reason', `must be one of: ${program.endReasons.map((r) => r.id).join(', ')}`);
    }
    await service.command(t._id, endTreatmentUpdate, body.reason, body.maintenance);
    res.json(await detail(await service.reload(t._id)));
  });

  return router;
}
