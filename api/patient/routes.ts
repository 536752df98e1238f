// The patient's own treatment (invånarens vy): the first visit activates it, section progress,
// and the patient's notification settings. Identity is the personnummer in the token.
import { activateUpdate, sectionProgressUpdate } from '../../workflows/definitions';
import { Patient } from '../../models/patient';
import { HttpError, PROBLEM_TYPES, conflict } from '../errors';
import { route, type Route } from '../route';
import { patientSettingsBody, sectionParams, sectionProgressBody } from './schemas';
import { programOf, type ApiDeps } from '../deps';
import { patientView } from '../treatments/views';
import { unreadByPatient } from '../clinical-work/service';
import { patientModule, patientSettings, patientTreatment } from './responses';
import { channelBody, codeSent, verificationState, verifyBody, type ContactFields, type Owner } from '../verification';
import { recordContactChange, type TreatmentRecord } from '../treatments/service';

export function patientRoutes(deps: ApiDeps): Route[] {
  const { service } = deps;
  // "Inställningar för sms och e-post avisering": every notification to the patient honours these.
  // Full notices go only to addresses the patient has confirmed with a code (api/verification.ts);
  // an address the patient changes here gets nothing until confirmed (infra/notify.ts patientNoticeForm).
  const settingsView = (p: (ContactFields & { notifyBySms?: boolean; notifyByEmail?: boolean }) | null) =>
    ({ phone: p?.phone ?? null, email: p?.email ?? null, notifyBySms: p?.notifyBySms ?? true, notifyByEmail: p?.notifyByEmail ?? true, ...verificationState(p) });
  const ownerOf = (t: TreatmentRecord): Owner => {
    if (t.status === 'maintenance') throw conflict('the treatment is read-only', PROBLEM_TYPES.readOnly);
    return { kind: 'patient', model: Patient, id: t.patientKey!, treatmentId: t._id };
  };
  return [
    route({
      method: 'get', path: '/api/me/treatment', summary: 'The patient\'s treatment (the first call activates it)', role: 'patient', treatment: 'patient', ok: 200, response: patientTreatment,
      async handle({ treatment }) {
        let t = treatment;
        if (t.status === 'invited') {
          // The first visit activates the treatment; a concurrent first visit may have done it already.
          try {
            t = await service.applied(t, activateUpdate);
          } catch (err) {
            if (!(err instanceof HttpError && err.status === 409)) throw err;
            t = await service.reload(t._id);
          }
        }
        // The patient's own answers, to the patient only ("Dina svar"); the access log is for clinicians' reads.
        const [welcomeText, own, unread, patient] = await Promise.all([
          service.welcomeTextOf(t._id), service.ownAnswersOf(t._id), unreadByPatient(t._id), Patient.findById(t.patientKey, { name: 1 }).lean(),
        ]);
        // The patient's name heads their pages (not the personnummer, which only Inställningar shows).
        return { ...patientView(t, welcomeText, programOf(deps, t.programId), own, new Date(), unread), patientName: patient?.name ?? null };
      },
    }),
    route({
      method: 'post', path: '/api/me/treatment/modules/{moduleId}/sections/{sectionId}', summary: 'Section progress', role: 'patient', params: sectionParams, body: sectionProgressBody, treatment: 'patient', ok: 200, response: patientModule,
      async handle({ treatment: t, params: { moduleId, sectionId }, body: { progress } }) {
        const program = programOf(deps, t.programId);
        const mod = t.modules.find((m) => m.id === moduleId);
        // A locked module does not exist as far as the patient can tell.
        if (!mod || mod.state === 'locked') throw new HttpError(404, 'Not found', 'no such module');
        if (!program.modules.find((m) => m.id === moduleId)?.sections.some((s) => s.id === sectionId)) {
          throw new HttpError(404, 'Not found', 'no such section');
        }
        const [after, own] = await Promise.all([service.applied(t, sectionProgressUpdate, moduleId, sectionId, progress), service.ownAnswersOf(t._id)]);
        return patientView(after, null, program, own).modules.find((m) => m.id === moduleId);
      },
    }),
    route({
      method: 'get', path: '/api/me/settings', summary: 'The patient\'s notification settings', role: 'patient', treatment: 'patient', ok: 200, response: patientSettings,
      handle: async ({ treatment: t }) => settingsView(await Patient.findById(t.patientKey).lean()),
    }),
    route({
      method: 'put', path: '/api/me/settings', summary: 'Change notification settings', role: 'patient', body: patientSettingsBody, treatment: 'patient', ok: 200, response: patientSettings,
      async handle({ treatment: t, body }) {
        const owner = ownerOf(t);
        const before = await Patient.findByIdAndUpdate(t.patientKey, { $set: body }, { new: false }).lean();
        const saved = before ? { ...before, ...body } : null;
        // The patient's own change is on the clinician's timeline too (unused until confirmed).
        const changed = (['sms', 'email'] as const).filter((c) => (c === 'sms' ? body.phone !== (before?.phone ?? null) : body.email !== (before?.email ?? null)));
        await recordContactChange(t._id, changed, 'patient', null);
        // Saving an address (even the one the clinician typed) sends a code there unless it is verified.
        await deps.verification.afterChange(owner);
        return settingsView(saved);
      },
    }),
    route({
      method: 'post', path: '/api/me/settings/verification-code', summary: 'Send a new code to the e-mail address or phone (at most one a minute, five an hour)', role: 'patient', body: channelBody, treatment: 'patient', ok: 202, response: codeSent,
      handle: ({ treatment: t, body }) => deps.verification.sendCode(ownerOf(t), body.channel),
    }),
    route({
      method: 'post', path: '/api/me/settings/verify', summary: 'Confirm the e-mail address or phone with the code sent there', role: 'patient', body: verifyBody, treatment: 'patient', ok: 200, response: patientSettings,
      async handle({ treatment: t, body }) {
        await deps.verification.confirm(ownerOf(t), body.channel, body.code);
        return settingsView(await Patient.findById(t.patientKey).lean());
      },
    }),
  ];
}
