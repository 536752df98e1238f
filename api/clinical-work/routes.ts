// Clinical work: conversations (meddelanden), submitted forms, the timeline (tidslinje), contact
// notes, flags (flaggor) and the clinician's profile (min profil); the patient's side of
// conversations and forms too.
import { ClinicianModel, FlagModel, type FlagDoc } from '../../models/clinical';
import { findByIdWhere, updateByIdWhere } from '../../infra/store';
import { callerOf } from '../auth';
import { forbidden, notFound } from '../errors';
import { route, type Route } from '../route';
import {
  clinicianSettingsBody, contactNoteBody, conversationParams, flagParams, flagsQuery, formParams, newConversationBody, newMessageBody,
  submissionParams, submitFormBody, timelineQuery, treatmentConversationParams, treatmentParams,
} from '../schemas';
import { programOf, type ApiDeps } from '../deps';
import { assertPatientMayWrite } from '../treatments/service';

export function clinicalWorkRoutes(deps: ApiDeps): Route[] {
  const { clinical } = deps;
  const hsaIdOf = (res: { locals: Record<string, unknown> }) => callerOf(res, 'clinician').hsaId;
  const settingsView = (doc: { email?: string | null; phone?: string | null; emailFlagTypes?: string[] } | null) =>
    ({ email: doc?.email ?? null, phone: doc?.phone ?? null, emailFlagTypes: doc?.emailFlagTypes ?? [] });
  return [
    route({
      method: 'get', path: '/api/treatments/{id}/conversations', summary: 'Conversations', role: 'clinician', params: treatmentParams, treatment: 'clinician', ok: 200,
      handle: ({ treatment }) => clinical.conversations(treatment),
    }),
    route({
      method: 'post', path: '/api/treatments/{id}/conversations', summary: 'Start a conversation', role: 'clinician', params: treatmentParams, body: newConversationBody, treatment: 'clinician', ok: 201,
      handle: ({ treatment, res, body }) => clinical.startConversation(treatment, { role: 'clinician', hsaId: hsaIdOf(res) }, body),
    }),
    route({
      method: 'post', path: '/api/treatments/{id}/conversations/{cid}/messages', summary: 'Reply', role: 'clinician', params: treatmentConversationParams, body: newMessageBody, treatment: 'clinician', ok: 201,
      handle: ({ treatment, res, params, body }) => clinical.reply(treatment, params.cid, { role: 'clinician', hsaId: hsaIdOf(res) }, body),
    }),
    route({
      method: 'get', path: '/api/treatments/{id}/forms', summary: 'Submitted forms (inskickade svar)', role: 'clinician', params: treatmentParams, treatment: 'clinician', ok: 200,
      handle: ({ treatment }) => clinical.forms(treatment),
    }),
    route({
      method: 'get', path: '/api/treatments/{id}/forms/{submissionId}', summary: 'One submission with answers; the first open marks it read', role: 'clinician', params: submissionParams, treatment: 'clinician', ok: 200,
      handle: ({ treatment, res, params }) => clinical.openForm(treatment, params.submissionId, hsaIdOf(res)),
    }),
    route({
      method: 'get', path: '/api/treatments/{id}/timeline', summary: 'Tidslinje', role: 'clinician', params: treatmentParams, query: timelineQuery, treatment: 'clinician', ok: 200,
      handle: ({ treatment, query }) => clinical.timeline(treatment, query),
    }),
    route({
      method: 'post', path: '/api/treatments/{id}/notes', summary: 'Kontaktanteckning: record a phone call, visit or other contact on the timeline', role: 'clinician', params: treatmentParams, body: contactNoteBody, treatment: 'clinician', ok: 201,
      handle: ({ treatment, res, body }) => clinical.addNote(treatment, hsaIdOf(res), body),
    }),
    route({
      method: 'get', path: '/api/flags', summary: 'Flaggor of your care units', role: 'clinician', query: flagsQuery, ok: 200,
      async handle({ res, query: q }) {
        const caller = callerOf(res, 'clinician');
        if (q.careUnitId && !caller.careUnits.includes(q.careUnitId)) throw forbidden('careUnitId is not one of your care units');
        const filter: Record<string, unknown> = { careUnitId: q.careUnitId ?? { $in: caller.careUnits } };
        if (q.unread === 'true') filter.readAt = null;
        if (q.unread === 'false') filter.readAt = { $ne: null };
        if (q.treatmentId) filter.treatmentId = q.treatmentId;
        const flags = await FlagModel.find(filter).sort({ createdAt: -1 }).limit(500).lean();
        return {
          items: flags.map((f) => ({
            id: f._id, treatmentId: f.treatmentId, type: f.type, moduleId: f.moduleId ?? null, ref: f.ref ?? null, clinicianId: f.clinicianId,
            createdAt: f.createdAt.toISOString(), readAt: f.readAt ? f.readAt.toISOString() : null,
          })),
        };
      },
    }),
    route({
      method: 'post', path: '/api/flags/{id}/read', summary: 'Mark a flag read', role: 'clinician', params: flagParams, ok: 200,
      async handle({ res, params: { id } }) {
        const flag = await findByIdWhere<FlagDoc>(FlagModel, id, { careUnitId: { $in: callerOf(res, 'clinician').careUnits } });
        if (!flag) throw notFound('flag');
        await updateByIdWhere(FlagModel, id, { readAt: null }, { $set: { readAt: new Date() } });
        const after = (await FlagModel.findById(id).lean())!;
        return { id, treatmentId: after.treatmentId, type: after.type, createdAt: after.createdAt.toISOString(), readAt: after.readAt?.toISOString() ?? null };
      },
    }),
    route({
      method: 'get', path: '/api/clinicians/me/settings', summary: 'Min profil', role: 'clinician', ok: 200,
      handle: async ({ res }) => settingsView(await ClinicianModel.findById(hsaIdOf(res)).lean()),
    }),
    route({
      method: 'put', path: '/api/clinicians/me/settings', summary: 'Min profil: e-mail per flag type', role: 'clinician', body: clinicianSettingsBody, ok: 200,
      async handle({ res, body }) {
        const doc = await ClinicianModel.findOneAndUpdate(
          { _id: hsaIdOf(res) }, { $set: { ...body, emailFlagTypes: [...new Set(body.emailFlagTypes)] } }, { upsert: true, new: true },
        ).lean();
        return settingsView(doc);
      },
    }),

    // The patient's side.
    route({
      method: 'post', path: '/api/me/treatment/modules/{moduleId}/forms/{formId}', summary: 'Submit a form', role: 'patient', params: formParams, body: submitFormBody, treatment: 'patient', ok: 201,
      handle: ({ treatment: t, params, body }) => clinical.submitForm(t, programOf(deps, t.programId), params.moduleId, params.formId, body.answers),
    }),
    route({
      method: 'get', path: '/api/me/treatment/conversations', summary: 'The patient\'s conversations', role: 'patient', treatment: 'patient', ok: 200,
      handle: ({ treatment }) => clinical.conversations(treatment),
    }),
    route({
      method: 'post', path: '/api/me/treatment/conversations', summary: 'Start a conversation', role: 'patient', body: newConversationBody, treatment: 'patient', ok: 201,
      handle: ({ treatment, body }) => clinical.startConversation(assertPatientMayWrite(treatment), { role: 'patient' }, { ...body, notify: false }),
    }),
    route({
      method: 'post', path: '/api/me/treatment/conversations/{cid}/messages', summary: 'Reply', role: 'patient', params: conversationParams, body: newMessageBody, treatment: 'patient', ok: 201,
      handle: ({ treatment, params, body }) => clinical.reply(assertPatientMayWrite(treatment), params.cid, { role: 'patient' }, { ...body, notify: false }),
    }),
  ];
}
