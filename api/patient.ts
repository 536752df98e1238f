// The patient's own endpoints (invånarens vy). Identity is the personnummer in the token.
import { Router } from 'express';
import type { Program } from '../infra/programs';
import { activateUpdate, patientActiveSignal, sectionProgressUpdate, workflowIdFor } from '../workflows/definitions';
import { Patient } from '../models/patient';
import type { ClinicalService } from './clinical';
import { longArcPatientRouter } from './long-arc';
import { assertPatientMayWrite, type TreatmentRecord } from './service';
import { callerOf, requireRole } from './auth';
import { HttpError, parse } from './errors';
import {
  conversationParams, formParams, newConversationBody, newMessageBody, patientSettingsBody, sectionParams, sectionProgressBody, submitFormBody,
} from './schemas';
import type { TreatmentService } from './service';
import { patientView } from './views';

/** Patient activity is reported at most this often per treatment, to keep histories small. */
const ACTIVITY_REPORT_INTERVAL_MS = 60_000;

export function patientRouter(service: TreatmentService, clinical: ClinicalService, programs: Map<string, Program>): Router {
  const router = Router();
  router.use(requireRole('patient'));
  const programOf = (id: string) => programs.get(id)!;

  /** The patient's treatment; any request counts as activity (lastActiveAt, the inactivity flag). */
  const current = async (res: { locals: Record<string, unknown> }): Promise<TreatmentRecord> => {
    const t = await service.ofPatient(callerOf(res, 'patient').personnummer);
    if (t.status === 'active' && (!t.lastActiveAt || Date.now() - t.lastActiveAt.getTime() > ACTIVITY_REPORT_INTERVAL_MS)) {
      void service.client.workflow.getHandle(workflowIdFor(t._id)).signal(patientActiveSignal, Date.now()).catch(() => undefined);
    }
    return t;
  };

  router.get('/treatment', async (_req, res) => {
    let t = await current(res);
    if (t.status === 'invited') {
      // The first visit activates the treatment; a concurrent first visit may have done it already.
      try {
        t = await service.applied(t, activateUpdate);
      } catch (err) {
        if (!(err instanceof HttpError && err.status === 409)) throw err;
        t = await service.reload(t._id);
      }
    }
    res.json(patientView(t, await service.welcomeTextOf(t._id), programOf(t.programId)));
  });

  router.post('/treatment/modules/:moduleId/sections/:sectionId', async (req, res) => {
    const { moduleId, sectionId } = parse(sectionParams, req.params, 'params');
    const { progress } = parse(sectionProgressBody, req.body);
    const t = await current(res);
    const program = programOf(t.programId);
    const mod = t.modules.find((m) => m.id === moduleId);
    // A locked module does not exist as far as the patient can tell.
    if (!mod || mod.state === 'locked') throw new HttpError(404, 'Not found', 'no such module');
    if (!program.modules.find((m) => m.id === moduleId)?.sections.some((s) => s.id === sectionId)) {
      throw new HttpError(404, 'Not found', 'no such section');
    }
    const after = await service.applied(t, sectionProgressUpdate, moduleId, sectionId, progress);
    res.json(patientView(after, null, program).modules.find((m) => m.id === moduleId));
  });

  router.post('/treatment/modules/:moduleId/forms/:formId', async (req, res) => {
    const { moduleId, formId } = parse(formParams, req.params, 'params');
    const { answers } = parse(submitFormBody, req.body);
    const t = await current(res);
    res.status(201).json(await clinical.submitForm(t, programOf(t.programId), moduleId, formId, answers));
  });

  router.use(longArcPatientRouter(current, programs));

  router.get('/treatment/conversations', async (_req, res) => {
    res.json(await clinical.conversations(await current(res)));
  });
  router.post('/treatment/conversations', async (req, res) => {
    const body = parse(newConversationBody, req.body);
    const t = assertPatientMayWrite(await current(res));
    res.status(201).json(await clinical.startConversation(t, { role: 'patient' }, { ...body, notify: false }));
  });
  router.post('/treatment/conversations/:cid/messages', async (req, res) => {
    const { cid } = parse(conversationParams, req.params, 'params');
    const body = parse(newMessageBody, req.body);
    const t = assertPatientMayWrite(await current(res));
    res.status(201).json(await clinical.reply(t, cid, { role: 'patient' }, { ...body, notify: false }));
  });

  // "Inställningar för sms och e-post avisering": every notification to the patient honours these.
  const settingsView = (p: { phone?: string | null; email?: string | null; notifyBySms?: boolean; notifyByEmail?: boolean } | null) =>
    ({ phone: p?.phone ?? null, email: p?.email ?? null, notifyBySms: p?.notifyBySms ?? true, notifyByEmail: p?.notifyByEmail ?? true });
  router.get('/settings', async (_req, res) => {
    const t = await current(res);
    res.json(settingsView(await Patient.findById(t.patientKey).lean()));
  });
  router.put('/settings', async (req, res) => {
    const body = parse(patientSettingsBody, req.body);
    const t = await current(res);
    if (t.status === 'maintenance') throw new HttpError(409, 'Conflict', 'the treatment is read-only');
    res.json(settingsView(await Patient.findByIdAndUpdate(t.patientKey, { $set: body }, { new: true }).lean()));
  });

  return router;
}
