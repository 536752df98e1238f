export { treatmentWorkflow } from './treatment';
