// Hantera: the clinician's commands on one module of a treatment (öppna, sätt till aktuell,
// markera som avklarad, fler dagar).
import { completeModuleUpdate, openModuleUpdate, setCurrentModuleUpdate, setWorkDaysUpdate } from '../../workflows/definitions';
import { notFound } from '../errors';
import { route, type Route } from '../route';
import { moduleParams, workDaysBody } from './schemas';
import { detail, programOf, type ApiDeps } from '../deps';
import type { TreatmentRecord } from '../treatments/service';
import { treatmentDetail } from '../treatments/responses';

export function moduleRoutes(deps: ApiDeps): Route[] {
  const { service } = deps;
  const known = (t: TreatmentRecord, moduleId: string) => {
    if (!programOf(deps, t.programId).modules.some((m) => m.id === moduleId)) throw notFound('module');
  };
  const commands = [
    ['open', openModuleUpdate, 'Open a module'],
    ['current', setCurrentModuleUpdate, 'Sätt till aktuell'],
    ['complete', completeModuleUpdate, 'Mark completed (avklarad)'],
  ] as const;
  return [
    ...commands.map(([action, update, summary]) => route({
      method: 'post', path: `/api/treatments/{id}/modules/{moduleId}/${action}`, summary, role: 'clinician', params: moduleParams, treatment: 'clinician', ok: 200, response: treatmentDetail,
      handle({ treatment: t, params }) {
        known(t, params.moduleId);
        return detail(deps, t, service.applied(t, update, params.moduleId));
      },
    })),
    route({
      method: 'patch', path: '/api/treatments/{id}/modules/{moduleId}', summary: 'Give more days (förläng svarstiden)', role: 'clinician', params: moduleParams, body: workDaysBody, treatment: 'clinician', ok: 200, response: treatmentDetail,
      handle({ treatment: t, params, body }) {
        known(t, params.moduleId);
        return detail(deps, t, service.applied(t, setWorkDaysUpdate, params.moduleId, body.workDays));
      },
    }),
  ];
}
