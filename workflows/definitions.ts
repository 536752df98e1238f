// Messages of the treatment workflow, declared once; the API imports this file too.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { SectionProgress, TreatmentState } from '../domain/types';
import type { FormSubmission, MessagePosted } from '../domain/transitions';
import type { Schedule } from '../domain/schedule';

export const TREATMENT_WORKFLOW = 'treatmentWorkflow';
export const workflowIdFor = (treatmentId: string): string => `treatment-${treatmentId}`;

export const stateQuery = defineQuery<TreatmentState>('state');

export const activateUpdate = defineUpdate<TreatmentState>('activate');
export const openModuleUpdate = defineUpdate<TreatmentState, [moduleId: string]>('openModule');
export const setCurrentModuleUpdate = defineUpdate<TreatmentState, [moduleId: string]>('setCurrentModule');
export const completeModuleUpdate = defineUpdate<TreatmentState, [moduleId: string]>('completeModule');
export const setWorkDaysUpdate = defineUpdate<TreatmentState, [moduleId: string, workDays: number]>('setWorkDays');
export const sectionProgressUpdate = defineUpdate<TreatmentState, [moduleId: string, sectionId: string, progress: SectionProgress]>('sectionProgress');
export const submitFormUpdate = defineUpdate<TreatmentState, [submission: FormSubmission]>('submitForm');
export const postMessageUpdate = defineUpdate<TreatmentState, [message: MessagePosted]>('postMessage');
export const changeClinicianUpdate = defineUpdate<TreatmentState, [clinicianId: string]>('changeClinician');
export const endTreatmentUpdate = defineUpdate<TreatmentState, [reason: string, maintenance: boolean]>('endTreatment');
export const purgeUpdate = defineUpdate<TreatmentState>('purge');
export interface NewActivityPlan { planId: string; schedule: Schedule; answerWindowDays: number; startAt: number }
export const addActivityPlanUpdate = defineUpdate<TreatmentState, [plan: NewActivityPlan]>('addActivityPlan');
export const removeActivityPlanUpdate = defineUpdate<TreatmentState, [planId: string]>('removeActivityPlan');

/** Patient activity needs no answer: a signal, sent at most about once a minute per patient. */
export const patientActiveSignal = defineSignal<[at: number]>('patientActive');
/** The nightly sweep asks a treatment whose read model lags to write it again. */
export const resyncSignal = defineSignal('resync');
