// Aktivitetsplaner: the clinician adds, reads and stops plans; the patient sees and answers the
// occasions. Each plan runs as a child workflow of the treatment (workflows/activity-plan.ts).
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Program } from '../../infra/programs';
import { answersSchema } from '../../domain/forms';
import { ActivityPlanModel, OccasionModel, TimelineModel } from '../../models/clinical';
import { findByIdWhere, updateByIdWhere } from '../../infra/store';
import { WorkflowNotFoundError } from '@temporalio/client';
import { addActivityPlanUpdate, editPlanUpdate, planWorkflowIdFor, removeActivityPlanUpdate } from '../../workflows/definitions';
import { occasions as scheduledOccasions, planStartAt, type Schedule } from '../../domain/schedule';
import { addDays, swedishDate } from '../../domain/durations';
import { callerOf } from '../auth';
import { PROBLEM_TYPES, badRequest, conflict, fromWorkflowError, fromZod, notFound } from '../errors';
import { route, type Route } from '../route';
import { activityPlanBody, editActivityPlanBody, occasionAnswerBody, occasionParams, planParams } from './schemas';
import { treatmentParams } from '../schemas';
import { programOf, type ApiDeps } from '../deps';
import { assertPatientMayWrite } from '../treatments/service';
import { activityPlan, activityPlanDetail, activityPlans, occasion, patientOccasions } from './responses';

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

type PlanDoc = {
  _id: string; title: string; elements: Array<{ formId: string }>; schedule: { weekdays: string[]; times: string[]; weeks: number }; answerWindowDays: number;
  startDate?: string | null; createdAt: Date; updatedAt?: Date | null; status: string;
};
const planView = (p: PlanDoc) => ({
  id: p._id, title: p.title, elements: p.elements.map((e) => ({ formId: e.formId })),
  schedule: { weekdays: p.schedule.weekdays, times: p.schedule.times, weeks: p.schedule.weeks },
  answerWindowDays: p.answerWindowDays, startDate: p.startDate ?? swedishDate(p.createdAt.getTime()),
  createdAt: iso(p.createdAt), updatedAt: iso(p.updatedAt), status: p.status,
});

/** 400 naming the form of an element that the program does not have. */
function checkElements(forms: Map<string, unknown>, elements: Array<{ formId: string }>): void {
  elements.forEach((e, i) => {
    if (!forms.has(e.formId)) throw badRequest(`elements.${i}.formId`, `no form "${e.formId}" in the program`, { code: 'unknown' });
  });
}

type OccasionDoc = { _id: string; planId: string; dueAt: Date; answerBy: Date; state: string; answeredAt: Date | null; answers?: unknown; elements?: Array<{ formId: string }> | null };
/** What an occasion asks: the plan's elements when it opened (older occasions: the plan's). */
const elementsOf = (o: OccasionDoc, plan: PlanDoc | null | undefined) => (o.elements?.length ? o.elements : plan?.elements ?? []);
const occasionView = (o: OccasionDoc, now: number) => ({
  id: o._id, planId: o.planId, dueAt: iso(o.dueAt), answerBy: iso(o.answerBy),
  state: o.state === 'answered' ? 'answered' : o.answerBy.getTime() < now ? 'missed' : 'due',
  answeredAt: iso(o.answeredAt),
});

const UPCOMING_SHOWN = 20;

/**
 * The occasions an active plan has still to come: its schedule's calendar (as its workflow counts
 * it, domain/schedule.ts) after now, after the last occasion opened and after the last edit (an
 * edit applies from then on).
 */
function upcomingOf(plan: PlanDoc, opened: OccasionDoc[], now: number): number[] {
  if (plan.status !== 'active') return [];
  const startAt = planStartAt(plan.startDate ?? undefined, plan.createdAt.getTime());
  const after = Math.max(now, plan.updatedAt?.getTime() ?? 0, ...opened.map((o) => o.dueAt.getTime()));
  return scheduledOccasions(plan.schedule as Schedule, startAt).filter((t) => t > after);
}

function formsOf(program: Program) {
  return new Map(program.modules.flatMap((m) => m.forms.map((f) => [f.id, f] as const)));
}

export function activityPlanRoutes(deps: ApiDeps): Route[] {
  const { service } = deps;
  return [
    route({
      method: 'get', path: '/api/treatments/{id}/activity-plans', summary: 'Activity plans', role: 'clinician', params: treatmentParams, treatment: 'clinician', ok: 200, response: activityPlans,
      async handle({ treatment: t }) {
        const plans = await ActivityPlanModel.find({ treatmentId: t._id }).sort({ createdAt: 1 }).lean<PlanDoc[]>();
        return { items: plans.map(planView) };
      },
    }),
    route({
      method: 'post', path: '/api/treatments/{id}/activity-plans', summary: 'Add an activity plan', role: 'clinician', params: treatmentParams, body: activityPlanBody, treatment: 'clinician', ok: 201, response: activityPlan,
      async handle({ treatment: t, res, body }) {
        checkElements(formsOf(programOf(deps, t.programId)), body.elements);
        const now = Date.now();
        const today = swedishDate(now);
        const startDate = body.startDate ?? today;
        if (startDate < today) throw badRequest('startDate', 'must be today or later', { code: 'too_small', origin: 'date', minimum: today });
        if (startDate > swedishDate(addDays(now, 365))) throw badRequest('startDate', 'must be within a year', { code: 'too_big', origin: 'date', maximum: swedishDate(addDays(now, 365)) });
        if (t.status !== 'active' && t.status !== 'invited') throw conflict(`the treatment is ${t.status}`);
        const running = await ActivityPlanModel.countDocuments({ treatmentId: t._id, status: 'active' });
        if (running >= deps.config.activityPlansMax) throw conflict(`a treatment has at most ${deps.config.activityPlansMax} activity plans; stop one first`);
        const planId = randomUUID();
        const doc: PlanDoc & { treatmentId: string; createdBy: string } = {
          _id: planId, treatmentId: t._id, ...body, startDate, createdAt: new Date(now), createdBy: callerOf(res, 'clinician').hsaId, status: 'active',
        };
        await ActivityPlanModel.create(doc);
        try {
          await service.command(t._id, addActivityPlanUpdate, { planId, schedule: body.schedule, answerWindowDays: body.answerWindowDays, startAt: planStartAt(startDate, now) });
        } catch (err) {
          await ActivityPlanModel.deleteOne({ _id: planId }).catch(() => undefined);
          throw err;
        }
        return planView(doc);
      },
    }),
    route({
      method: 'get', path: '/api/treatments/{id}/activity-plans/{planId}', summary: 'One activity plan with its occasions (due, answered, missed) and answers', role: 'clinician', params: planParams, treatment: 'clinician', ok: 200, response: activityPlanDetail,
      async handle({ treatment: t, params: { planId } }) {
        const plan = await findByIdWhere<PlanDoc>(ActivityPlanModel, planId, { treatmentId: t._id });
        if (!plan) throw notFound('activity plan');
        const occasions = await OccasionModel.find({ planId }).sort({ dueAt: 1 }).lean<OccasionDoc[]>();
        const now = Date.now();
        const upcoming = upcomingOf(plan, occasions, now);
        return {
          ...planView(plan), occasions: occasions.map((o) => ({ ...occasionView(o, now), answers: o.answers ?? null })),
          upcoming: upcoming.slice(0, UPCOMING_SHOWN).map((t) => new Date(t).toISOString()), upcomingTotal: upcoming.length,
        };
      },
    }),
    route({
      method: 'put', path: '/api/treatments/{id}/activity-plans/{planId}', summary: 'Edit an activity plan: schedule and answer window apply to the occasions still to come', role: 'clinician', params: planParams, body: editActivityPlanBody, treatment: 'clinician', ok: 200, response: activityPlan,
      async handle({ treatment: t, params: { planId }, body }) {
        const plan = await findByIdWhere<PlanDoc>(ActivityPlanModel, planId, { treatmentId: t._id });
        if (!plan) throw notFound('activity plan');
        if (body.elements) checkElements(formsOf(programOf(deps, t.programId)), body.elements);
        if (t.status !== 'active' && t.status !== 'invited') throw conflict(`the treatment is ${t.status}`);
        if (plan.status !== 'active') throw conflict(`the activity plan is ${plan.status}`);
        const schedule = body.schedule ?? plan.schedule;
        const answerWindowDays = body.answerWindowDays ?? plan.answerWindowDays;
        if (body.schedule || body.answerWindowDays !== undefined) {
          // The plan's workflow takes the new schedule for the occasions still to come.
          try {
            await deps.client.workflow.getHandle(planWorkflowIdFor(planId)).executeUpdate(editPlanUpdate, {
              args: [{ schedule: schedule as Schedule, answerWindowDays }],
            });
          } catch (err) {
            if (err instanceof WorkflowNotFoundError) throw conflict('the activity plan has ended');
            throw fromWorkflowError(err);
          }
        }
        // Title and elements live here only; occasions already due keep the elements they were opened with.
        const set = { ...body, updatedAt: new Date() };
        await ActivityPlanModel.updateOne({ _id: planId }, { $set: set });
        return planView({ ...plan, ...set });
      },
    }),
    route({
      method: 'delete', path: '/api/treatments/{id}/activity-plans/{planId}', summary: 'Stop an activity plan', role: 'clinician', params: planParams, treatment: 'clinician', ok: 204,
      async handle({ treatment: t, params: { planId } }) {
        if (!(await ActivityPlanModel.exists({ _id: planId, treatmentId: t._id }))) throw notFound('activity plan');
        await service.command(t._id, removeActivityPlanUpdate, planId);
        await updateByIdWhere(ActivityPlanModel, planId, { status: 'active' }, { $set: { status: 'stopped' } });
        return undefined;
      },
    }),

    // The patient's side.
    route({
      method: 'get', path: '/api/me/treatment/activities', summary: 'Activity occasions', role: 'patient', treatment: 'patient', ok: 200, response: patientOccasions,
      async handle({ treatment: t }) {
        const [items, plans] = await Promise.all([
          OccasionModel.find({ treatmentId: t._id }).sort({ dueAt: 1 }).lean<OccasionDoc[]>(),
          ActivityPlanModel.find({ treatmentId: t._id }).lean<PlanDoc[]>(),
        ]);
        // Each occasion with its plan's title and the questions to answer, whatever the state of the
        // module the form comes from.
        const forms = formsOf(programOf(deps, t.programId));
        const byId = new Map(plans.map((p) => [p._id, p]));
        const now = Date.now();
        return {
          items: items.map((o) => {
            const plan = byId.get(o.planId);
            return {
              ...occasionView(o, now),
              title: plan?.title ?? null,
              answers: o.state === 'answered' ? (o.answers ?? {}) as Record<string, unknown> : null,
              elements: elementsOf(o, plan).map((e) => {
                const form = forms.get(e.formId);
                return { formId: e.formId, title: form?.title ?? e.formId, questions: form?.questions ?? [] };
              }),
            };
          }),
        };
      },
    }),
    route({
      method: 'post', path: '/api/me/treatment/activities/{occasionId}', summary: 'Answer an occasion', role: 'patient', params: occasionParams, body: occasionAnswerBody, treatment: 'patient', ok: 201, patientWrite: true, response: occasion,
      async handle({ treatment: t, params: { occasionId }, body: { answers } }) {
        assertPatientMayWrite(t);
        const occasion = await findByIdWhere<OccasionDoc>(OccasionModel, occasionId, { treatmentId: t._id });
        if (!occasion) throw notFound('activity');
        const plan = await ActivityPlanModel.findById(occasion.planId).lean<PlanDoc>();
        const forms = formsOf(programOf(deps, t.programId));
        // Answers are keyed by the plan's forms: { [formId]: { [questionId]: answer } }.
        const shape = Object.fromEntries(elementsOf(occasion, plan).map((e) => [e.formId, answersSchema(forms.get(e.formId)!)]));
        const checked = z.strictObject(shape).safeParse(answers);
        if (!checked.success) throw fromZod(checked.error, 'body', ['answers']);
        const now = new Date();
        const updated = await updateByIdWhere(OccasionModel, occasionId, { state: 'due', answerBy: { $gte: now } }, {
          $set: { state: 'answered', answers: checked.data, answeredAt: now },
        });
        if (!updated) {
          throw occasion.state === 'answered' ? conflict('the activity is already answered', PROBLEM_TYPES.alreadyAnswered) : conflict('the time to answer has passed', PROBLEM_TYPES.answerTimePassed);
        }
        // An answered occasion goes on the clinician's timeline (the answers stay with the occasion).
        await TimelineModel.updateOne(
          { _id: `${t._id}:occasion-answered:${occasionId}` },
          { $setOnInsert: { treatmentId: t._id, type: 'activity_answered', at: now, actor: null, moduleId: null, ref: occasionId, data: { planId: occasion.planId } } },
          { upsert: true },
        );
        const after = (await OccasionModel.findById(occasionId).lean<OccasionDoc>())!;
        return occasionView(after, now.getTime());
      },
    }),
  ];
}
