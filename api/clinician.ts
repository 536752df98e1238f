// The clinician's endpoints (behandlarvy, hantera moduler, avsluta).
import { Router } from 'express';
import type { Program } from '../infra/programs';
import { normalisePersonnummer } from '../domain/personnummer';
import { Patient, type PatientDoc } from '../models/patient';
import { WelcomeText } from '../models/treatment';
import {
  changeClinicianUpdate, completeModuleUpdate, endTreatmentUpdate, openModuleUpdate, setCurrentModuleUpdate, setWorkDaysUpdate,
} from '../workflows/definitions';
import { ClinicianModel, FlagModel, type FlagDoc } from '../models/clinical';
import type { ClinicalService } from './clinical';
import { findByIdWhere, findByIds, updateByIdWhere } from '../infra/store';
import { accessorOf, logAccess, visibleTreatment } from './access-log';
import type { Request, Response } from 'express';
import { callerOf, requireRole } from './auth';
import { badRequest, conflict, forbidden, notFound, parse } from './errors';
import {
  changeClinicianBody, clinicianSettingsBody, createTreatmentBody, endBody, flagParams, flagsQuery, listTreatmentsQuery,
  moduleParams, newConversationBody, newMessageBody, submissionParams, timelineQuery, treatmentConversationParams, contactNoteBody,
  welcomeTextBody, workDaysBody,
} from './schemas';
import type { TreatmentRecord, TreatmentService } from './service';
import { clinicianView, listItem } from './views';

export function clinicianRouter(service: TreatmentService, clinical: ClinicalService, programs: Map<string, Program>): Router {
  const router = Router();
  router.use(requireRole('clinician'));

  const programOf = (id: string) => {
    const p = programs.get(id);
    if (!p) throw new Error(`treatment refers to unknown program ${id}`);
    return p;
  };
  const visible = (req: Request, res: Response) => visibleTreatment(service, req, res);
  /**
   * The treatment's detail view. With `after` (a command under way; its access was logged before
   * it, in `visible`), the patient and the extras are read while the workflow works, and the
   * treatment shown is the one the command returned.
   */
  const detail = async (t: TreatmentRecord, after?: Promise<TreatmentRecord>) => {
    const [record, patient, welcomeText, counts] = await Promise.all([
      after ?? t, service.patientOf(t), service.welcomeTextOf(t._id), service.unreadFlagCounts([t._id]),
    ]);
    return clinicianView(record, patient, { welcomeText, unreadFlags: counts.get(t._id) ?? 0 }, programOf(t.programId));
  };

  router.post('/treatments', async (req, res) => {
    const caller = callerOf(res, 'clinician');
    const body = parse(createTreatmentBody, req.body);
    const personnummer = normalisePersonnummer(body.personnummer);
    if (!personnummer) throw badRequest('personnummer', 'is not a valid personnummer or samordningsnummer (12 digits with a valid check digit)');
    const program = programs.get(body.programId);
    if (!program) throw badRequest('programId', `unknown program "${body.programId}"`);
    if (!caller.careUnits.includes(body.careUnitId)) throw forbidden('careUnitId is not one of your care units');
    const { treatment, created, patient } = await service.start({
      personnummer, program, careUnitId: body.careUnitId, clinicianId: caller.hsaId, patient: body.patient,
    });
    // A new treatment has no welcome text and no flags yet: its answer needs no further reads.
    const [view] = await Promise.all([
      created ? clinicianView(treatment, patient, { welcomeText: null, unreadFlags: 0 }, program) : detail(treatment),
      logAccess(accessorOf(req, res), [treatment]),
    ]);
    res.status(created ? 201 : 200).location(`/api/treatments/${treatment._id}`).json(view);
  });

  router.get('/treatments', async (req, res) => {
    const caller = callerOf(res, 'clinician');
    const q = parse(listTreatmentsQuery, req.query, 'query');
    if (q.careUnitId && !caller.careUnits.includes(q.careUnitId)) throw forbidden('careUnitId is not one of your care units');
    const filter: Record<string, unknown> = { careUnitId: q.careUnitId ?? { $in: caller.careUnits } };
    if (q.status) filter.status = q.status;
    if (q.flagged) {
      const flagged = await FlagModel.distinct('treatmentId', { careUnitId: filter.careUnitId, readAt: null });
      filter._id = q.flagged === 'true' ? { $in: flagged } : { $nin: flagged };
    }
    const { docs, total } = await service.page(filter, q.page, q.pageSize);
    // The list shows names and personnummer: every patient on the page is an access, logged
    // before the answer, while the names and flags are read.
    const [patients, counts] = await Promise.all([
      findByIds<PatientDoc & { _id: string }>(Patient, docs.map((d) => d.patientKey)),
      service.unreadFlagCounts(docs.map((d) => d._id)),
      logAccess(accessorOf(req, res), docs),
    ]);
    const byKey = new Map(patients.map((p) => [p._id, p]));
    res.json({ items: docs.map((d) => listItem(d, byKey.get(d.patientKey) ?? null, counts.get(d._id) ?? 0)), total, page: q.page, pageSize: q.pageSize });
  });

  router.get('/treatments/:id', async (req, res) => {
    res.json(await detail(await visible(req, res)));
  });

  router.put('/treatments/:id/welcome-text', async (req, res) => {
    const { text } = parse(welcomeTextBody, req.body);
    const t = await visible(req, res);
    // The welcome text may be personal, so it lives in MongoDB only, never in the workflow.
    if (t.status !== 'invited' && t.status !== 'active') throw conflict(`the treatment is ${t.status}`);
    await WelcomeText.updateOne({ _id: t._id }, { $set: { text, updatedAt: new Date() } }, { upsert: true });
    res.json(await detail(await service.reload(t._id)));
  });

  const moduleCommands = {
    open: openModuleUpdate,
    current: setCurrentModuleUpdate,
    complete: completeModuleUpdate,
  } as const;
  for (const [action, update] of Object.entries(moduleCommands)) {
    router.post(`/treatments/:id/modules/:moduleId/${action}`, async (req, res) => {
      const { moduleId } = parse(moduleParams, req.params, 'params');
      const t = await visible(req, res);
      if (!programOf(t.programId).modules.some((m) => m.id === moduleId)) throw notFound('module');
      res.json(await detail(t, service.applied(t, update, moduleId)));
    });
  }

  router.patch('/treatments/:id/modules/:moduleId', async (req, res) => {
    const { moduleId } = parse(moduleParams, req.params, 'params');
    const { workDays } = parse(workDaysBody, req.body);
    const t = await visible(req, res);
    if (!programOf(t.programId).modules.some((m) => m.id === moduleId)) throw notFound('module');
    res.json(await detail(t, service.applied(t, setWorkDaysUpdate, moduleId, workDays)));
  });

  router.get('/treatments/:id/conversations', async (req, res) => {
    res.json(await clinical.conversations(await visible(req, res)));
  });
  router.post('/treatments/:id/conversations', async (req, res) => {
    const body = parse(newConversationBody, req.body);
    const t = await visible(req, res);
    res.status(201).json(await clinical.startConversation(t, { role: 'clinician', hsaId: callerOf(res, 'clinician').hsaId }, body));
  });
  router.post('/treatments/:id/conversations/:cid/messages', async (req, res) => {
    const { cid } = parse(treatmentConversationParams, req.params, 'params');
    const body = parse(newMessageBody, req.body);
    const t = await visible(req, res);
    res.status(201).json(await clinical.reply(t, cid, { role: 'clinician', hsaId: callerOf(res, 'clinician').hsaId }, body));
  });

  router.get('/treatments/:id/forms', async (req, res) => {
    res.json(await clinical.forms(await visible(req, res)));
  });
  router.get('/treatments/:id/forms/:submissionId', async (req, res) => {
    const { submissionId } = parse(submissionParams, req.params, 'params');
    const t = await visible(req, res);
    res.json(await clinical.openForm(t, submissionId, callerOf(res, 'clinician').hsaId));
  });

  router.get('/treatments/:id/timeline', async (req, res) => {
    const q = parse(timelineQuery, req.query, 'query');
    res.json(await clinical.timeline(await visible(req, res), q));
  });

  router.post('/treatments/:id/notes', async (req, res) => {
    const body = parse(contactNoteBody, req.body);
    const t = await visible(req, res);
    res.status(201).json(await clinical.addNote(t, callerOf(res, 'clinician').hsaId, body));
  });

  router.put('/treatments/:id/clinician', async (req, res) => {
    const { clinicianId } = parse(changeClinicianBody, req.body);
    const t = await visible(req, res);
    res.json(await detail(t, service.applied(t, changeClinicianUpdate, clinicianId)));
  });

  router.get('/flags', async (req, res) => {
    const caller = callerOf(res, 'clinician');
    const q = parse(flagsQuery, req.query, 'query');
    if (q.careUnitId && !caller.careUnits.includes(q.careUnitId)) throw forbidden('careUnitId is not one of your care units');
    const filter: Record<string, unknown> = { careUnitId: q.careUnitId ?? { $in: caller.careUnits } };
    if (q.unread === 'true') filter.readAt = null;
    if (q.unread === 'false') filter.readAt = { $ne: null };
    if (q.treatmentId) filter.treatmentId = q.treatmentId;
    const flags = await FlagModel.find(filter).sort({ createdAt: -1 }).limit(500).lean();
    res.json({
      items: flags.map((f) => ({
        id: f._id, treatmentId: f.treatmentId, type: f.type, moduleId: f.moduleId ?? null, ref: f.ref ?? null, clinicianId: f.clinicianId,
        createdAt: f.createdAt.toISOString(), readAt: f.readAt ? f.readAt.toISOString() : null,
      })),
    });
  });
  router.post('/flags/:id/read', async (req, res) => {
    const { id } = parse(flagParams, req.params, 'params');
    const flag = await findByIdWhere<FlagDoc>(FlagModel, id, { careUnitId: { $in: callerOf(res, 'clinician').careUnits } });
    if (!flag) throw notFound('flag');
    await updateByIdWhere(FlagModel, id, { readAt: null }, { $set: { readAt: new Date() } });
    const after = (await FlagModel.findById(id).lean())!;
    res.json({ id, treatmentId: after.treatmentId, type: after.type, createdAt: after.createdAt.toISOString(), readAt: after.readAt?.toISOString() ?? null });
  });

  const settingsView = (doc: { email?: string | null; phone?: string | null; emailFlagTypes?: string[] } | null) =>
    ({ email: doc?.email ?? null, phone: doc?.phone ?? null, emailFlagTypes: doc?.emailFlagTypes ?? [] });
  router.get('/clinicians/me/settings', async (_req, res) => {
    res.json(settingsView(await ClinicianModel.findById(callerOf(res, 'clinician').hsaId).lean()));
  });
  router.put('/clinicians/me/settings', async (req, res) => {
    const body = parse(clinicianSettingsBody, req.body);
    const doc = await ClinicianModel.findOneAndUpdate(
      { _id: callerOf(res, 'clinician').hsaId }, { $set: { ...body, emailFlagTypes: [...new Set(body.emailFlagTypes)] } }, { upsert: true, new: true },
    ).lean();
    res.json(settingsView(doc));
  });

  router.post('/treatments/:id/end', async (req, res) => {
    const body = parse(endBody, req.body);
    const t = await visible(req, res);
    const program = programOf(t.programId);
    if (!program.endReasons.some((r) => r.id === body.reason)) {
      throw badRequest('reason', `must be one of: ${program.endReasons.map((r) => r.id).join(', ')}`);
    }
    res.json(await detail(t, service.applied(t, endTreatmentUpdate, body.reason, body.maintenance)));
  });

  return router;
}
