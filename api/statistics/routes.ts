// Statistik: counts and rates by care unit, region and program over whole days; counts under 5
// are shown as "<5" (domain/statistics.ts).
import { statisticsFor } from '../../infra/statistics';
import { suppressSmallCounts } from '../../domain/statistics';
import type { Caller } from '../auth';
import { badRequest, forbidden } from '../errors';
import { route, type Route } from '../route';
import { statisticsQueryFor } from './schemas';
import type { ApiDeps } from '../deps';
import { statistics } from './responses';

export function statisticsRoutes({ config, programs }: ApiDeps): Route[] {
  const regions = [...new Set(Object.values(config.careUnitRegions))].sort();
  return [
    route({
      method: 'get', path: '/api/statistics', summary: 'Statistik', role: 'clinician+ops', query: statisticsQueryFor(regions), ok: 200, response: statistics,
      async handle({ res, query: q }) {
        const caller = res.locals.caller as Caller;
        let units: string[] | null = caller.role === 'clinician' ? caller.careUnits : null;
        if (q.careUnitId) {
          if (units && !units.includes(q.careUnitId)) throw forbidden('careUnitId is not one of your care units');
          units = [q.careUnitId];
        }
        if (q.region) {
          const inRegion = Object.entries(config.careUnitRegions).filter(([, r]) => r === q.region).map(([u]) => u);
          if (inRegion.length === 0) throw badRequest('region', `no care units are configured for region "${q.region}" (CARE_UNIT_REGIONS)`, { code: 'unknown' });
          units = units ? units.filter((u) => inRegion.includes(u)) : inRegion;
        }
        if (q.programId && !programs.has(q.programId)) throw badRequest('programId', `unknown program "${q.programId}"`, { code: 'unknown' });
        const { statistics, source } = await statisticsFor({ careUnits: units, programId: q.programId, from: q.from ?? null, to: q.to ?? null }, programs);
        return {
          filters: { careUnitId: q.careUnitId ?? null, region: q.region ?? null, programId: q.programId ?? null, from: q.from ?? null, to: q.to ?? null },
          source,
          ...suppressSmallCounts(statistics),
        };
      },
    }),
  ];
}
