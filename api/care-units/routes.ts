// Care units: a clinician's own units (those of the token), by name, for choosing the unit to
// work in and for showing units in words. (The clinicians of one unit: clinical-work/routes.ts.)
import { callerOf } from '../auth';
import { route, type Route } from '../route';
import type { ApiDeps } from '../deps';
import { careUnitName } from './names';
import { careUnits } from './responses';

export function careUnitRoutes({ config }: ApiDeps): Route[] {
  return [
    route({
      method: 'get', path: '/api/care-units', summary: 'My care units (those of the token), each with its name and region, in the token\'s order', role: 'clinician', ok: 200, response: careUnits,
      handle({ res }) {
        const caller = callerOf(res, 'clinician');
        return { items: caller.careUnits.map((id) => ({ id, name: careUnitName(config, id), region: config.careUnitRegions[id] ?? null })) };
      },
    }),
  ];
}
