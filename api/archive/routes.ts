// The gallring archive's delete path: operations staff delete an archived record before its
// retention date when the law asks for it (a court order, say), with a reason, logged first.
import { z } from 'zod';
import { archiveConnection } from '../../infra/archive';
import { breakGlassReason, logOpsAccess } from '../access-log/service';
import { forbidden, notFound } from '../errors';
import { route, type Route } from '../route';
import type { ApiDeps } from '../deps';

const archiveParams = z.object({ treatmentId: z.uuid('must be a treatment id') });

export function archiveRoutes({ config }: ApiDeps): Route[] {
  return [
    route({
      method: 'delete', path: '/api/ops/archive/{treatmentId}', summary: 'Delete an archived record before its retention date (reason in x-break-glass-reason)', role: 'ops', params: archiveParams, ok: 204,
      async handle({ req, res, params: { treatmentId } }) {
        const reason = breakGlassReason(req, res);
        if (!reason) throw forbidden('deleting an archived record needs a reason (x-break-glass-reason header, 10–500 characters)');
        const archive = (await archiveConnection(config)).collection<{ _id: string }>('treatments');
        if (!(await archive.findOne({ _id: treatmentId }, { projection: { _id: 1 } }))) throw notFound('archived record');
        await logOpsAccess(res, [treatmentId], 'DELETE /api/ops/archive', reason);
        await archive.deleteOne({ _id: treatmentId });
        return undefined;
      },
    }),
  ];
}
