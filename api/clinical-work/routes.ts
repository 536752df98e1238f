// Clinical work: conversations (meddelanden), submitted forms, the timeline (tidslinje), contact
// notes, flags (flaggor) and the clinician's profile (min profil); the patient's side of
// conversations and forms too.
import { ClinicianModel, FlagModel, type FlagDoc } from '../../models/clinical';
import { findByIds, findByIdWhere } from '../../infra/store';
import { markFlagsRead } from '../../infra/overview-rows';
import { Treatment } from '../../models/treatment';
import { OverviewRow } from '../../models/overview';
import { callerOf, careUnitFilter } from '../auth';
import { notFound } from '../errors';
import { route, type Route } from '../route';
import { careUnitParams, clinicianSettingsBody, contactNoteBody, conversationParams, conversationsQuery, flagParams, flagsQuery, formParams, newConversationBody, newMessageBody, submissionParams, submitFormBody, timelineQuery, treatmentConversationParams } from './schemas';
import { treatmentParams } from '../schemas';
import { programOf, type ApiDeps } from '../deps';
import { accessorOf, logAccess } from '../access-log/service';
import { assertPatientMayWrite } from '../treatments/service';
import { channelBody, codeSent, verificationState, verifyBody, type ContactFields, type Owner } from '../verification';
import { clinicianSettings, contactNote, conversation, conversations, flag, patientConversations, flags, flagsRead, formList, formSubmission, formSubmitted, message, timeline, unitClinicians } from './responses';

/** A flag's severity is program data: "informativ" (info) or "bör agera" (action); unknown types ask for action. */
function severityOf(deps: ApiDeps, programId: string | undefined, type: string): 'info' | 'action' {
  const program = programId ? deps.programs.get(programId) : undefined;
  return program?.flagSeverity[type as keyof typeof program.flagSeverity] ?? 'action';
}

export function clinicalWorkRoutes(deps: ApiDeps): Route[] {
  const { clinical } = deps;
  const hsaIdOf = (res: { locals: Record<string, unknown> }) => callerOf(res, 'clinician').hsaId;
  const settingsView = (doc: (ContactFields & { emailFlagTypes?: string[]; smsFlagTypes?: string[] }) | null) =>
    ({ email: doc?.email ?? null, phone: doc?.phone ?? null, emailFlagTypes: doc?.emailFlagTypes ?? [], smsFlagTypes: doc?.smsFlagTypes ?? [], ...verificationState(doc) });
  const ownerOf = (res: { locals: Record<string, unknown> }): Owner => ({ kind: 'clinician', model: ClinicianModel, id: hsaIdOf(res), treatmentId: null });
  const flagView = (f: FlagDoc & { _id: string }, programId: string | undefined) => ({
    id: f._id, treatmentId: f.treatmentId, type: f.type, severity: severityOf(deps, programId, f.type),
    moduleId: f.moduleId ?? null, ref: f.ref ?? null, clinicianId: f.clinicianId ?? null,
    createdAt: f.createdAt.toISOString(), readAt: f.readAt ? f.readAt.toISOString() : null,
  });
  return [
    route({
      method: 'get', path: '/api/treatments/{id}/conversations', summary: 'Conversations (paged); reading them marks their message_received flags read', role: 'clinician', params: treatmentParams, query: conversationsQuery, treatment: 'clinician', ok: 200, response: conversations,
      handle: ({ treatment, query }) => clinical.conversations(treatment, query, 'clinician'),
    }),
    route({
      method: 'post', path: '/api/treatments/{id}/conversations', summary: 'Start a conversation', role: 'clinician', params: treatmentParams, body: newConversationBody, treatment: 'clinician', ok: 201, response: conversation,
      handle: ({ treatment, res, body }) => clinical.startConversation(treatment, { role: 'clinician', hsaId: hsaIdOf(res) }, body),
    }),
    route({
      method: 'post', path: '/api/treatments/{id}/conversations/{cid}/messages', summary: 'Reply', role: 'clinician', params: treatmentConversationParams, body: newMessageBody, treatment: 'clinician', ok: 201, response: message,
      handle: ({ treatment, res, params, body }) => clinical.reply(treatment, params.cid, { role: 'clinician', hsaId: hsaIdOf(res) }, body),
    }),
    route({
      method: 'get', path: '/api/treatments/{id}/forms', summary: 'Submitted forms (inskickade svar)', role: 'clinician', params: treatmentParams, treatment: 'clinician', ok: 200, response: formList,
      handle: ({ treatment }) => clinical.forms(treatment),
    }),
    route({
      method: 'get', path: '/api/treatments/{id}/forms/{submissionId}', summary: 'One submission with answers; the first open marks it read', role: 'clinician', params: submissionParams, treatment: 'clinician', ok: 200, response: formSubmission,
      handle: ({ treatment, res, params }) => clinical.openForm(treatment, params.submissionId, hsaIdOf(res)),
    }),
    route({
      method: 'get', path: '/api/treatments/{id}/timeline', summary: 'Tidslinje', role: 'clinician', params: treatmentParams, query: timelineQuery, treatment: 'clinician', ok: 200, response: timeline,
      handle: ({ treatment, query }) => clinical.timeline(treatment, query),
    }),
    route({
      method: 'post', path: '/api/treatments/{id}/notes', summary: 'Kontaktanteckning: record a phone call, visit or other contact on the timeline', role: 'clinician', params: treatmentParams, body: contactNoteBody, treatment: 'clinician', ok: 201, response: contactNote,
      handle: ({ treatment, res, body }) => clinical.addNote(treatment, hsaIdOf(res), body),
    }),
    route({
      method: 'get', path: '/api/flags', summary: 'Flaggor of your care units', role: 'clinician', query: flagsQuery, ok: 200, response: flags,
      async handle({ req, res, query: q }) {
        const caller = callerOf(res, 'clinician');
        const filter: Record<string, unknown> = { careUnitId: careUnitFilter(caller, q.careUnitId) };
        if (q.unread === 'true') filter.readAt = null;
        if (q.unread === 'false') filter.readAt = { $ne: null };
        if (q.treatmentId) filter.treatmentId = q.treatmentId;
        if (q.types?.length) filter.type = { $in: q.types };
        if (q.mine === 'true') {
          // "Bara mina": the treatments whose clinician the caller is now (a change of clinician moves their flags).
          const mine = await OverviewRow.find({ careUnitId: filter.careUnitId, clinicianId: caller.hsaId }, { _id: 1 }).lean();
          filter.treatmentId = q.treatmentId ? (mine.some((r) => r._id === q.treatmentId) ? q.treatmentId : { $in: [] }) : { $in: mine.map((r) => r._id) };
        }
        const [total, flags] = await Promise.all([
          FlagModel.countDocuments(filter),
          FlagModel.find(filter).sort({ createdAt: -1, _id: 1 }).skip((q.page - 1) * q.pageSize).limit(q.pageSize).lean(),
        ]);
        const ids = [...new Set(flags.map((f) => f.treatmentId))];
        const [treatments, rows] = await Promise.all([
          findByIds<{ _id: string; programId: string; careUnitId: string; patientKey?: string | null }>(Treatment, ids),
          findByIds<{ _id: string; name?: string | null; personnummer?: string | null }>(OverviewRow, ids),
        ]);
        // Flags tell about patients: each treatment on the page is an access (PDL), logged before the answer.
        await logAccess(accessorOf(req, res), treatments);
        const programOfTreatment = new Map(treatments.map((t) => [t._id, t.programId]));
        const rowOfTreatment = new Map(rows.map((r) => [r._id, r]));
        return {
          items: flags.map((f) => ({
            ...flagView(f, programOfTreatment.get(f.treatmentId)),
            patientName: rowOfTreatment.get(f.treatmentId)?.name ?? null, personnummer: rowOfTreatment.get(f.treatmentId)?.personnummer ?? null,
          })),
          total, page: q.page, pageSize: q.pageSize,
        };
      },
    }),
    route({
      method: 'post', path: '/api/flags/{id}/read', summary: 'Mark a flag read', role: 'clinician', params: flagParams, ok: 200, response: flag,
      async handle({ req, res, params: { id } }) {
        const flag = await findByIdWhere<FlagDoc>(FlagModel, id, { careUnitId: { $in: callerOf(res, 'clinician').careUnits } });
        if (!flag) throw notFound('flag');
        await markFlagsRead([id]);
        const after = (await FlagModel.findById(id).lean())!;
        const treatment = await Treatment.findById(after.treatmentId, { programId: 1, careUnitId: 1, patientKey: 1 }).lean();
        if (treatment) await logAccess(accessorOf(req, res), [treatment]);
        return flagView(after, treatment?.programId);
      },
    }),
    route({
      method: 'post', path: '/api/treatments/{id}/flags/read', summary: 'Mark every unread flag of a treatment read', role: 'clinician', params: treatmentParams, treatment: 'clinician', ok: 200, response: flagsRead,
      async handle({ treatment }) {
        const unread = await FlagModel.find({ treatmentId: treatment._id, readAt: null }, { _id: 1 }).lean();
        await markFlagsRead(unread.map((f) => f._id));
        return { read: unread.length };
      },
    }),
    route({
      method: 'get', path: '/api/care-units/{careUnitId}/clinicians', summary: 'The clinicians of a care unit (those who have signed in there), for Byt behandlare', role: 'clinician', params: careUnitParams, ok: 200, response: unitClinicians,
      async handle({ res, params: { careUnitId } }) {
        const caller = callerOf(res, 'clinician');
        if (!caller.careUnits.includes(careUnitId)) throw notFound('care unit');
        const known = await ClinicianModel.find({ careUnits: careUnitId }, { _id: 1, name: 1 }).sort({ _id: 1 }).lean<Array<{ _id: string; name?: string | null }>>();
        return { items: known.map((c) => ({ hsaId: c._id, name: c.name ?? null })) };
      },
    }),
    route({
      method: 'get', path: '/api/clinicians/me/settings', summary: 'Min profil', role: 'clinician', ok: 200, response: clinicianSettings,
      handle: async ({ res }) => settingsView(await ClinicianModel.findById(hsaIdOf(res)).lean()),
    }),
    route({
      method: 'put', path: '/api/clinicians/me/settings', summary: 'Min profil: e-mail and SMS per flag type', role: 'clinician', body: clinicianSettingsBody, ok: 200, response: clinicianSettings,
      async handle({ res, body }) {
        const doc = await ClinicianModel.findOneAndUpdate(
          { _id: hsaIdOf(res) },
          { $set: { ...body, emailFlagTypes: [...new Set(body.emailFlagTypes)], ...(body.smsFlagTypes ? { smsFlagTypes: [...new Set(body.smsFlagTypes)] } : {}) } },
          { upsert: true, new: true },
        ).lean();
        // A new address is unverified (no flag notice reaches it) until the code sent there is entered.
        await deps.verification.afterChange(ownerOf(res));
        return settingsView(doc);
      },
    }),
    route({
      method: 'post', path: '/api/clinicians/me/settings/verification-code', summary: 'Min profil: send a new code to the e-mail address or phone (at most one a minute, five an hour)', role: 'clinician', body: channelBody, ok: 202, response: codeSent,
      handle: async ({ res, body }) => deps.verification.sendCode(ownerOf(res), body.channel),
    }),
    route({
      method: 'post', path: '/api/clinicians/me/settings/verify', summary: 'Min profil: confirm the e-mail address or phone with the code sent there', role: 'clinician', body: verifyBody, ok: 200, response: clinicianSettings,
      async handle({ res, body }) {
        await deps.verification.confirm(ownerOf(res), body.channel, body.code);
        return settingsView(await ClinicianModel.findById(hsaIdOf(res)).lean());
      },
    }),

    // The patient's side.
    route({
      method: 'post', path: '/api/me/treatment/modules/{moduleId}/forms/{formId}', summary: 'Submit a form', role: 'patient', params: formParams, body: submitFormBody, treatment: 'patient', ok: 201, patientWrite: true, response: formSubmitted,
      handle: ({ treatment: t, params, body }) => clinical.submitForm(t, programOf(deps, t.programId), params.moduleId, params.formId, body.answers),
    }),
    route({
      method: 'get', path: '/api/me/treatment/conversations', summary: 'The patient\'s conversations (paged)', role: 'patient', query: conversationsQuery, treatment: 'patient', ok: 200, response: patientConversations,
      handle: ({ treatment, query }) => clinical.conversations(treatment, query, 'patient'),
    }),
    route({
      method: 'post', path: '/api/me/treatment/conversations', summary: 'Start a conversation', role: 'patient', body: newConversationBody, treatment: 'patient', ok: 201, patientWrite: true, response: conversation,
      handle: ({ treatment, body }) => clinical.startConversation(assertPatientMayWrite(treatment), { role: 'patient' }, { ...body, notify: false }),
    }),
    route({
      method: 'post', path: '/api/me/treatment/conversations/{cid}/messages', summary: 'Reply', role: 'patient', params: conversationParams, body: newMessageBody, treatment: 'patient', ok: 201, patientWrite: true, response: message,
      handle: ({ treatment, params, body }) => clinical.reply(assertPatientMayWrite(treatment), params.cid, { role: 'patient' }, { ...body, notify: false }),
    }),
  ];
}
