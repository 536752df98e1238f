// The patient's home: reading a section and sending a module's form change the treatment (meKeys).
import { api } from '../../api/client';
import { send } from '../../lib/api';

export const readSection = (moduleId: string, sectionId: string, progress: 'started' | 'finished') =>
  send(api.POST('/api/me/treatment/modules/{moduleId}/sections/{sectionId}', { params: { path: { moduleId, sectionId } }, body: { progress } }));

export const submitForm = (moduleId: string, formId: string, answers: Record<string, unknown>) =>
  send(api.POST('/api/me/treatment/modules/{moduleId}/forms/{formId}', { params: { path: { moduleId, formId } }, body: { answers } }));
