// The simulated year of one treatment (bench/run.ts's "History of a simulated year"): a
// clinician's and a patient's requests through a whole treatment, for the size of its history.
import { loadPrograms } from '../infra/programs';

type Call = (method: string, url: string, body?: unknown) => Promise<any>;

export async function simulateYear(id: string, call: Call, asPatient: (method: string, url: string, body?: unknown) => Promise<unknown>): Promise<void> {
  await asPatient('GET', '/api/me/treatment');
  const conv = await call('POST', `/api/treatments/${id}/conversations`, { subject: 'Hej', text: 'Välkommen', notify: true });
  for (let i = 0; i < 19; i++) {
    if (i % 2) await call('POST', `/api/treatments/${id}/conversations/${conv.id}/messages`, { text: `m${i}`, notify: true });
    else await asPatient('POST', `/api/me/treatment/conversations/${conv.id}/messages`, { text: `m${i}` });
  }
  await asPatient('POST', '/api/me/treatment/modules/step-1/forms/tobacco-habits', { answers: { tobaccoType: ['snus'], amountPerDay: 5 } });
  await call('POST', `/api/treatments/${id}/activity-plans`, { title: 'Dagbok', elements: [{ formId: 'check-in' }], schedule: { weekdays: ['mon', 'thu'], times: ['08:00'], weeks: 8 }, answerWindowDays: 2 });
  for (const step of ['step-1', 'step-2', 'step-3', 'step-4']) {
    await call('POST', `/api/treatments/${id}/modules/${step}/current`);
    for (const s of (loadPrograms().get('tobakshjalpen')!.modules.find((m) => m.id === step)!.sections)) await asPatient('POST', `/api/me/treatment/modules/${step}/sections/${s.id}`, { progress: 'finished' });
    if (step === 'step-2') await asPatient('POST', '/api/me/treatment/modules/step-2/forms/quit-date', { answers: { quitDate: '2027-01-15' } });
    if (step === 'step-3') for (let i = 0; i < 6; i++) await asPatient('POST', '/api/me/treatment/modules/step-3/forms/check-in', { answers: { tobaccoFree: true } });
    if (step === 'step-4') await asPatient('POST', '/api/me/treatment/modules/step-4/forms/feedback', { answers: { tobaccoStatus: 'tobacco-free' } });
    await call('POST', `/api/treatments/${id}/modules/${step}/complete`);
  }
  for (const [step, form] of [['step-5', 'follow-up-3m'], ['step-6', 'follow-up-6m'], ['step-7', 'follow-up-12m']] as const) {
    await call('POST', `/api/treatments/${id}/modules/${step}/current`);
    await asPatient('POST', `/api/me/treatment/modules/${step}/forms/${form}`, { answers: { tobaccoStatus: 'tobacco-free' } });
    await call('POST', `/api/treatments/${id}/modules/${step}/complete`);
  }
  await call('POST', `/api/treatments/${id}/end`, { reason: 'completed-tobacco-free', maintenance: true });
}
