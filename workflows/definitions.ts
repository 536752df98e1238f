// Messages of the treatment workflow, declared once; the API imports this file too.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { SectionProgress, TreatmentState } from './types';

export const TREATMENT_WORKFLOW = 'treatmentWorkflow';
export const workflowIdFor = (treatmentId: string): string => `treatment-${treatmentId}`;

export const stateQuery = defineQuery<TreatmentState>('state');

export const activateUpdate = defineUpdate<TreatmentState>('activate');
export const openModuleUpdate = defineUpdate<TreatmentState, [moduleId: string]>('openModule');
export const setCurrentModuleUpdate = defineUpdate<TreatmentState, [moduleId: string]>('setCurrentModule');
export const completeModuleUpdate = defineUpdate<TreatmentState, [moduleId: string]>('completeModule');
export const sectionProgressUpdate = defineUpdate<TreatmentState, [moduleId: string, sectionId: string, progress: SectionProgress]>('sectionProgress');
export const endTreatmentUpdate = defineUpdate<TreatmentState, [reason: string, maintenance: boolean]>('endTreatment');
