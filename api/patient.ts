// The patient's own endpoints (invånarens vy). Identity is the personnummer in the token.
import { Router } from 'express';
import type { Program } from '../lib/programs';
import { activateUpdate, sectionProgressUpdate } from '../workflows/definitions';
import { callerOf, requireRole } from './auth';
import { HttpError, parse } from './errors';
import { sectionParams, sectionProgressBody } from './schemas';
import type { TreatmentService } from './service';
import { patientView } from './views';

export function patientRouter(service: TreatmentService, programs: Map<string, Program>): Router {
  const router = Router();
  router.use(requireRole('patient'));
  const programOf = (id: string) => programs.get(id)!;

  router.get('/treatment', async (_req, res) => {
    let t = await service.ofPatient(callerOf(res, 'patient').personnummer);
    if (t.status === 'invited') {
      // The first visit activates the treatment; a concurrent first visit may have done it already.
      try {
        await service.command(t._id, activateUpdate);
      } catch (err) {
        if (!(err instanceof HttpError && err.status === 409)) throw err;
      }
      t = await service.reload(t._id);
    }
    res.json(patientView(t, programOf(t.programId)));
  });

  router.post('/treatment/modules/:moduleId/sections/:sectionId', async (req, res) => {
    const { moduleId, sectionId } = parse(sectionParams, req.params, 'params');
    const { progress } = parse(sectionProgressBody, req.body);
    const t = await service.ofPatient(callerOf(res, 'patient').personnummer);
    const program = programOf(t.programId);
    const mod = t.modules.find((m) => m.id === moduleId);
    // A locked module does not exist as far as the patient can tell.
    if (!mod || mod.state === 'locked') throw new HttpError(404, 'Not found', 'no such module');
    if (!program.modules.find((m) => m.id === moduleId)?.sections.some((s) => s.id === sectionId)) {
      throw new HttpError(404, 'Not found', 'no such section');
    }
    await service.command(t._id, sectionProgressUpdate, moduleId, sectionId, progress);
    const after = await service.reload(t._id);
    res.json(patientView(after, program).modules.find((m) => m.id === moduleId));
  });

  return router;
}
