// Messages of the treatment workflow, declared once; the API imports this file too.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { SectionProgress, TreatmentProjection, TreatmentState } from '../domain/types';
import type { FormSubmission, MessagePosted } from '../domain/transitions';
import type { Schedule } from '../domain/schedule';

export const TREATMENT_WORKFLOW = 'treatmentWorkflow';
export const workflowIdFor = (treatmentId: string): string => `treatment-${treatmentId}`;

export const stateQuery = defineQuery<TreatmentState>('state');

/** Commands answer with the read model they wrote (the projection of the state after them). */
export const activateUpdate = defineUpdate<TreatmentProjection>('activate');
export const openModuleUpdate = defineUpdate<TreatmentProjection, [moduleId: string]>('openModule');
export const setCurrentModuleUpdate = defineUpdate<TreatmentProjection, [moduleId: string]>('setCurrentModule');
export const completeModuleUpdate = defineUpdate<TreatmentProjection, [moduleId: string]>('completeModule');
export const setWorkDaysUpdate = defineUpdate<TreatmentProjection, [moduleId: string, workDays: number]>('setWorkDays');
export const sectionProgressUpdate = defineUpdate<TreatmentProjection, [moduleId: string, sectionId: string, progress: SectionProgress]>('sectionProgress');
export const submitFormUpdate = defineUpdate<TreatmentProjection, [submission: FormSubmission]>('submitForm');
export const postMessageUpdate = defineUpdate<TreatmentProjection, [message: MessagePosted]>('postMessage');
export const changeClinicianUpdate = defineUpdate<TreatmentProjection, [clinicianId: string]>('changeClinician');
export const endTreatmentUpdate = defineUpdate<TreatmentProjection, [reason: string, maintenance: boolean]>('endTreatment');
export const purgeUpdate = defineUpdate<TreatmentProjection>('purge');
/** Release 1.2: the clinician ends Vidmakthåll now (then gallring is allowed). */
export const endMaintenanceUpdate = defineUpdate<TreatmentProjection>('endMaintenance');
export interface NewActivityPlan { planId: string; schedule: Schedule; answerWindowDays: number; startAt: number }
export const addActivityPlanUpdate = defineUpdate<TreatmentProjection, [plan: NewActivityPlan]>('addActivityPlan');
export const removeActivityPlanUpdate = defineUpdate<TreatmentProjection, [planId: string]>('removeActivityPlan');

/** An activity plan's own workflow (workflows/activity-plan.ts), which the API edits directly. */
export const planWorkflowIdFor = (planId: string) => `activity-plan-${planId}`;
export interface PlanEdit { schedule: Schedule; answerWindowDays: number }
/** Release 1.2: a new schedule and answer window for the occasions still to come. */
export const editPlanUpdate = defineUpdate<{ nextDueAt: number | null; occasionsToCome: number }, [edit: PlanEdit]>('editPlan');

/** Patient activity needs no answer: a signal, sent at most about once a minute per patient. */
export const patientActiveSignal = defineSignal<[at: number]>('patientActive');
/** The nightly sweep asks a treatment whose read model lags to write it again. */
export const resyncSignal = defineSignal('resync');
