// Treatments (moment): start, the overview, one treatment, the welcome text, change of clinician,
// the end and gallring.
import { WelcomeText } from '../../models/treatment';
import { ClinicianModel } from '../../models/clinical';
import { changeClinicianUpdate, endMaintenanceUpdate, endTreatmentUpdate, purgeUpdate } from '../../workflows/definitions';
import { normalisePersonnummer } from '../../domain/personnummer';
import { swedishDate } from '../../domain/durations';
import { FLAG_TYPES, type FlagType } from '../../domain/types';
import { callerOf, careUnitFilter } from '../auth';
import { badRequest, conflict, forbidden } from '../errors';
import { accessorOf, logAccess } from '../access-log/service';
import { route, type Route } from '../route';
import { changeClinicianBody, createTreatmentBody, endBody, listTreatmentsQuery, welcomeTextBody } from './schemas';
import { treatmentParams } from '../schemas';
import { detail, programOf, type ApiDeps } from '../deps';
import { clinicianView, listItem } from './views';
import { overviewPage } from './overview';
import { purgeAccepted, treatmentDetail, treatmentList } from './responses';

export function treatmentRoutes(deps: ApiDeps): Route[] {
  const { service, programs } = deps;
  return [
    route({
      method: 'post', path: '/api/treatments', summary: 'Starta nytt moment: start a treatment (200 with the open one when it exists)', role: 'clinician', body: createTreatmentBody, ok: 201, also: [200], alsoDescription: 'The open treatment that already exists (same care unit)', response: treatmentDetail,
      async handle(ctx) {
        const { req, res, body } = ctx;
        const caller = callerOf(res, 'clinician');
        const personnummer = normalisePersonnummer(body.personnummer, swedishDate(Date.now()).replace(/-/g, ''));
        if (!personnummer) throw badRequest('personnummer', 'is not a valid personnummer or samordningsnummer (12 digits, YYYYMMDD-NNNN, with a valid check digit and a birth date that has passed)', { code: 'invalid_format', format: 'personnummer' });
        const program = programs.get(body.programId);
        if (!program) throw badRequest('programId', `unknown program "${body.programId}"`, { code: 'unknown' });
        if (!caller.careUnits.includes(body.careUnitId)) throw forbidden('careUnitId is not one of your care units');
        const { treatment, created, patient } = await service.start({
          personnummer, program, careUnitId: body.careUnitId, clinicianId: caller.hsaId, patient: body.patient,
        });
        // A new treatment has no welcome text and no flags yet: its answer needs no further reads.
        const [view] = await Promise.all([
          created ? clinicianView(treatment, patient, { welcomeText: null, unreadFlags: 0 }, program) : detail(deps, treatment),
          logAccess(accessorOf(req, res), [treatment]),
        ]);
        res.location(`/api/treatments/${treatment._id}`);
        ctx.status = created ? 201 : 200;
        return view;
      },
    }),
    route({
      method: 'get', path: '/api/treatments', summary: 'List treatments of your care units', role: 'clinician', query: listTreatmentsQuery, ok: 200, response: treatmentList,
      async handle({ req, res, query: q }) {
        const caller = callerOf(res, 'clinician');
        const filter: Record<string, unknown> = { careUnitId: careUnitFilter(caller, q.careUnitId) };
        // A purged treatment keeps nothing to show: listed only when asked for by status, never as a row of dashes.
        filter.status = q.status ?? { $ne: 'purged' };
        if (q.mine === 'true') filter.clinicianId = caller.hsaId;
        let nameQuery: string | null = null;
        if (q.q) {
          const pnr = normalisePersonnummer(q.q);
          if (pnr) filter.patientKey = service.keyOf(pnr);
          else nameQuery = q.q;
        }
        // The list shows names and personnummer: every patient on the page is an access, logged
        // before the answer, while the flags are read.
        const { rows, total, unread, unreadTypes } = await overviewPage(
          filter, { sort: q.sort, name: nameQuery, flagged: q.flagged, page: q.page, pageSize: q.pageSize }, (page) => logAccess(accessorOf(req, res), page),
        );
        // A row carries no program: a type asks for action when a program rates it so (or none rates it).
        const severity = (type: string): 'info' | 'action' =>
          [...deps.programs.values()].every((p) => p.flagSeverity[type as keyof typeof p.flagSeverity] === 'info') ? 'info' : 'action';
        const typesOf = (id: string) => [...(unreadTypes.get(id) ?? new Map<string, number>())]
          .flatMap(([type, count]) => (FLAG_TYPES as readonly string[]).includes(type) ? [{ type: type as FlagType, count, severity: severity(type) }] : [])
          .sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'action' ? -1 : 1));
        return { items: rows.map((r) => listItem(r, unread.get(r._id) ?? 0, typesOf(r._id))), total, page: q.page, pageSize: q.pageSize, sort: q.sort };
      },
    }),
    route({
      method: 'get', path: '/api/treatments/{id}', summary: 'One treatment', role: 'clinician', params: treatmentParams, treatment: 'clinician', ok: 200, response: treatmentDetail,
      handle: ({ treatment }) => detail(deps, treatment),
    }),
    route({
      method: 'put', path: '/api/treatments/{id}/welcome-text', summary: 'Edit the welcome text (välkomsttext)', role: 'clinician', params: treatmentParams, body: welcomeTextBody, treatment: 'clinician', ok: 200, response: treatmentDetail,
      async handle({ treatment: t, body }) {
        // The welcome text may be personal, so it lives in MongoDB only, never in the workflow.
        if (t.status !== 'invited' && t.status !== 'active') throw conflict(`the treatment is ${t.status}`);
        await WelcomeText.updateOne({ _id: t._id }, { $set: { text: body.text, updatedAt: new Date() } }, { upsert: true });
        return detail(deps, await service.reload(t._id));
      },
    }),
    route({
      method: 'put', path: '/api/treatments/{id}/clinician', summary: 'Byte av behandlare', role: 'clinician', params: treatmentParams, body: changeClinicianBody, treatment: 'clinician', ok: 200, response: treatmentDetail,
      async handle({ treatment: t, body }) {
        // Only to a clinician known in the treatment's care unit: one who has signed in there.
        const known = await ClinicianModel.findById(body.clinicianId, { careUnits: 1 }).lean();
        if (!known?.careUnits.includes(t.careUnitId)) {
          throw badRequest('clinicianId', `is not a clinician known in care unit ${t.careUnitId} (one who has signed in there)`, { code: 'unknown' });
        }
        return detail(deps, t, service.applied(t, changeClinicianUpdate, body.clinicianId));
      },
    }),
    route({
      method: 'post', path: '/api/treatments/{id}/end', summary: 'Avsluta with an end reason', role: 'clinician', params: treatmentParams, body: endBody, treatment: 'clinician', ok: 200, response: treatmentDetail,
      handle({ treatment: t, body }) {
        const program = programOf(deps, t.programId);
        if (!program.endReasons.some((r) => r.id === body.reason)) {
          throw badRequest('reason', `must be one of: ${program.endReasons.map((r) => r.id).join(', ')}`);
        }
        return detail(deps, t, service.applied(t, endTreatmentUpdate, body.reason, body.maintenance));
      },
    }),
    route({
      method: 'post', path: '/api/treatments/{id}/maintenance/end', summary: 'End Vidmakthåll now: the patient\'s read access ends and gallring is allowed', role: 'clinician', params: treatmentParams, treatment: 'clinician', ok: 200, response: treatmentDetail,
      handle: ({ treatment: t }) => detail(deps, t, service.applied(t, endMaintenanceUpdate)),
    }),
    route({
      method: 'post', path: '/api/treatments/{id}/purge', summary: 'Gallra invånare (ended treatments only)', role: 'clinician', params: treatmentParams, treatment: 'clinician', ok: 202, response: purgeAccepted,
      async handle({ treatment: t }) {
        await service.command(t._id, purgeUpdate);
        return { id: t._id, status: 'purging' };
      },
    }),
  ];
}
