// What the API's features share: the configuration, the programs and the services, built once by
// the app, and the treatment's detail view that several features answer with.
import type { Client } from '@temporalio/client';
import type { Config } from '../infra/config';
import type { Program } from '../infra/programs';
import type { ClinicalService } from './clinical-work/service';
import type { ContactVerification } from './verification';
import type { TreatmentRecord, TreatmentService } from './treatments/service';
import { clinicianView } from './treatments/views';
import { unreadFlagCounts } from './treatments/overview';

export interface ApiDeps {
  config: Config;
  client: Client;
  programs: Map<string, Program>;
  service: TreatmentService;
  clinical: ClinicalService;
  verification: ContactVerification;
}

export function programOf(deps: Pick<ApiDeps, 'programs'>, id: string): Program {
  const p = deps.programs.get(id);
  if (!p) throw new Error(`treatment refers to unknown program ${id}`);
  return p;
}

/**
 * The clinician's detail view of a treatment. With `after` (a command under way; its access was
 * logged before it), the patient and the extras are read while the workflow works, and the
 * treatment shown is the one the command returned.
 */
export async function detail(deps: ApiDeps, t: TreatmentRecord, after?: Promise<TreatmentRecord>) {
  const { service } = deps;
  const [record, patient, welcomeText, counts, submissions] = await Promise.all([
    after ?? t, service.patientOf(t), service.welcomeTextOf(t._id), unreadFlagCounts([t._id]), service.submissionsOf(t._id),
  ]);
  return clinicianView(record, patient, { welcomeText, unreadFlags: counts.get(t._id) ?? 0, submissions }, programOf(deps, t.programId));
}
