// Activity plans, gallring and statistics: the parts of a treatment that run long after the
// clinician last touched it.
import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import type { Config } from '../infra/config';
import type { Program } from '../infra/programs';
import { answersSchema } from '../domain/forms';
import { ActivityPlanModel, OccasionModel } from '../models/clinical';
import { findByIdWhere, updateByIdWhere } from '../infra/store';
import { computeStatistics } from '../infra/statistics';
import { addActivityPlanUpdate, purgeUpdate, removeActivityPlanUpdate } from '../workflows/definitions';
import { visibleTreatment } from './access-log';
import type { Request, Response } from 'express';
import { callerOf, type Caller } from './auth';
import { HttpError, badRequest, conflict, forbidden, fromZod, notFound, parse } from './errors';
import { activityPlanBody, occasionAnswerBody, occasionParams, planParams, statisticsQuery } from './schemas';
import { assertPatientMayWrite, type TreatmentRecord, type TreatmentService } from './service';

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

type PlanDoc = { _id: string; title: string; elements: Array<{ formId: string }>; schedule: { weekdays: string[]; times: string[]; weeks: number }; answerWindowDays: number; createdAt: Date; status: string };
const planView = (p: PlanDoc) => ({
  id: p._id, title: p.title, elements: p.elements.map((e) => ({ formId: e.formId })),
  schedule: { weekdays: p.schedule.weekdays, times: p.schedule.times, weeks: p.schedule.weeks },
  answerWindowDays: p.answerWindowDays, createdAt: iso(p.createdAt), status: p.status,
});

function formsOf(program: Program) {
  return new Map(program.modules.flatMap((m) => m.forms.map((f) => [f.id, f] as const)));
}

/** Clinician endpoints, mounted under /api after authentication. */
export function longArcClinicianRouter(service: TreatmentService, programs: Map<string, Program>): Router {
  const router = Router();
  const visible = (req: Request, res: Response) => visibleTreatment(service, req, res);

  router.post('/treatments/:id/purge', async (req, res) => {
    const t = await visible(req, res);
    await service.command(t._id, purgeUpdate);
    res.status(202).json({ id: t._id, status: 'purging' });
  });

  router.get('/treatments/:id/activity-plans', async (req, res) => {
    const t = await visible(req, res);
    const plans = await ActivityPlanModel.find({ treatmentId: t._id }).sort({ createdAt: 1 }).lean<PlanDoc[]>();
    res.json({ items: plans.map(planView) });
  });

  router.post('/treatments/:id/activity-plans', async (req, res) => {
    const body = parse(activityPlanBody, req.body);
    const t = await visible(req, res);
    const forms = formsOf(programs.get(t.programId)!);
    body.elements.forEach((e, i) => {
      if (!forms.has(e.formId)) throw badRequest(`elements.${i}.formId`, `no form "${e.formId}" in the program`);
    });
    if (t.status !== 'active' && t.status !== 'invited') throw conflict(`the treatment is ${t.status}`);
    const planId = randomUUID();
    const doc: PlanDoc & { treatmentId: string; createdBy: string } = {
      _id: planId, treatmentId: t._id, ...body, createdAt: new Date(), createdBy: callerOf(res, 'clinician').hsaId, status: 'active',
    };
    await ActivityPlanModel.create(doc);
    try {
      await service.command(t._id, addActivityPlanUpdate, { planId, schedule: body.schedule, answerWindowDays: body.answerWindowDays, startAt: Date.now() });
    } catch (err) {
      await ActivityPlanModel.deleteOne({ _id: planId }).catch(() => undefined);
      throw err;
    }
    res.status(201).json(planView(doc));
  });

  router.get('/treatments/:id/activity-plans/:planId', async (req, res) => {
    const { planId } = parse(planParams, req.params, 'params');
    const t = await visible(req, res);
    const plan = await findByIdWhere<PlanDoc>(ActivityPlanModel, planId, { treatmentId: t._id });
    if (!plan) throw notFound('activity plan');
    const occasions = await OccasionModel.find({ planId }).sort({ dueAt: 1 }).lean<OccasionDoc[]>();
    const now = Date.now();
    res.json({ ...planView(plan), occasions: occasions.map((o) => ({ ...occasionView(o, now), answers: o.answers ?? null })) });
  });

  router.delete('/treatments/:id/activity-plans/:planId', async (req, res) => {
    const { planId } = parse(planParams, req.params, 'params');
    const t = await visible(req, res);
    if (!(await ActivityPlanModel.exists({ _id: planId, treatmentId: t._id }))) throw notFound('activity plan');
    await service.command(t._id, removeActivityPlanUpdate, planId);
    await updateByIdWhere(ActivityPlanModel, planId, { status: 'active' }, { $set: { status: 'stopped' } });
    res.status(204).end();
  });

  return router;
}

type OccasionDoc = { _id: string; planId: string; dueAt: Date; answerBy: Date; state: string; answeredAt: Date | null; answers?: unknown };
const occasionView = (o: OccasionDoc, now: number) => ({
  id: o._id, planId: o.planId, dueAt: iso(o.dueAt), answerBy: iso(o.answerBy),
  state: o.state === 'answered' ? 'answered' : o.answerBy.getTime() < now ? 'missed' : 'due',
  answeredAt: iso(o.answeredAt),
});

/** The patient's activities, mounted under /api/me after authentication. */
export function longArcPatientRouter(current: (res: { locals: Record<string, unknown> }) => Promise<TreatmentRecord>, programs: Map<string, Program>): Router {
  const router = Router();

  router.get('/treatment/activities', async (_req, res) => {
    const t = await current(res);
    const items = await OccasionModel.find({ treatmentId: t._id }).sort({ dueAt: 1 }).lean<OccasionDoc[]>();
    const now = Date.now();
    res.json({ items: items.map((o) => occasionView(o, now)) });
  });

  router.post('/treatment/activities/:occasionId', async (req, res) => {
    const { occasionId } = parse(occasionParams, req.params, 'params');
    const { answers } = parse(occasionAnswerBody, req.body);
    const t = await current(res);
    assertPatientMayWrite(t);
    const occasion = await findByIdWhere<OccasionDoc>(OccasionModel, occasionId, { treatmentId: t._id });
    if (!occasion) throw notFound('activity');
    const plan = await ActivityPlanModel.findById(occasion.planId).lean<PlanDoc>();
    const forms = formsOf(programs.get(t.programId)!);
    // Answers are keyed by the plan's forms: { [formId]: { [questionId]: answer } }.
    const shape = Object.fromEntries((plan?.elements ?? []).map((e) => [e.formId, answersSchema(forms.get(e.formId)!)]));
    const checked = z.strictObject(shape).safeParse(answers);
    if (!checked.success) {
      const err = fromZod(checked.error);
      throw new HttpError(400, err.title, err.message, err.errors.map((e) => ({ ...e, field: `answers.${e.field}` })));
    }
    const now = new Date();
    const updated = await updateByIdWhere(OccasionModel, occasionId, { state: 'due', answerBy: { $gte: now } }, {
      $set: { state: 'answered', answers: checked.data, answeredAt: now },
    });
    if (!updated) {
      throw conflict(occasion.state === 'answered' ? 'the activity is already answered' : 'the time to answer has passed');
    }
    const after = (await OccasionModel.findById(occasionId).lean<OccasionDoc>())!;
    res.status(201).json(occasionView(after, now.getTime()));
  });

  return router;
}

/** Statistik: counts and rates by care unit, region and program over a date range. Anonymous. */
export function statisticsRouter(config: Config, programs: Map<string, Program>): Router {
  const router = Router();
  router.get('/statistics', async (req, res) => {
    const caller = res.locals.caller as Caller;
    if (caller.role === 'patient') throw forbidden('statistics are for clinicians and operations');
    const q = parse(statisticsQuery, req.query, 'query');
    let units: string[] | null = caller.role === 'clinician' ? caller.careUnits : null;
    if (q.careUnitId) {
      if (units && !units.includes(q.careUnitId)) throw forbidden('careUnitId is not one of your care units');
      units = [q.careUnitId];
    }
    if (q.region) {
      const inRegion = Object.entries(config.careUnitRegions).filter(([, r]) => r === q.region).map(([u]) => u);
      if (inRegion.length === 0) throw badRequest('region', `no care units are configured for region "${q.region}" (CARE_UNIT_REGIONS)`);
      units = units ? units.filter((u) => inRegion.includes(u)) : inRegion;
    }
    if (q.programId && !programs.has(q.programId)) throw badRequest('programId', `unknown program "${q.programId}"`);
    res.json({
      filters: { careUnitId: q.careUnitId ?? null, region: q.region ?? null, programId: q.programId ?? null, from: q.from ?? null, to: q.to ?? null },
      ...(await computeStatistics({ careUnits: units, programId: q.programId, from: q.from ? new Date(q.from) : null, to: q.to ? new Date(q.to) : null }, programs)),
    });
  });
  return router;
}
