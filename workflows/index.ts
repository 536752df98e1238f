export { treatmentWorkflow } from './treatment';
export { activityPlanWorkflow } from './activity-plan';
export { nightlyJobWorkflow } from './nightly';
