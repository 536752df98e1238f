// What operations staff read of a treatment in the Temporal UI without decoding anything: its
// program and care unit (the workflow's summary, set at start) and its status and current module
// (its current details, kept current). Ids and states only, never personal data; the payload codec
// leaves a text in exactly this form unencrypted and encrypts everything else (infra/codec.ts).
import type { TreatmentState, TreatmentStatus } from './types';

const ID = '[A-Za-z0-9._:-]{1,64}';
const STATUSES: TreatmentStatus[] = ['invited', 'active', 'ended', 'maintenance', 'purged'];
const PUBLIC = new RegExp(
  `^(Tobakshjälpen · program ${ID} · vårdenhet ${ID}|status (${STATUSES.join('|')}) · aktuell modul (${ID}|ingen))$`,
);

/** The workflow's static summary: program and care unit. */
export function operationsSummary(s: Pick<TreatmentState, 'programId' | 'careUnitId'>): string {
  return `Tobakshjälpen · program ${s.programId} · vårdenhet ${s.careUnitId}`;
}

/** The workflow's current details: status and current module. */
export function operationsDetails(s: Pick<TreatmentState, 'status' | 'currentModuleId'>): string {
  return `status ${s.status} · aktuell modul ${s.currentModuleId ?? 'ingen'}`;
}

/** True only for a text made by the two functions above (the codec's exemption). */
export function isOperationsText(text: unknown): text is string {
  return typeof text === 'string' && PUBLIC.test(text);
}

const NAME = /^[A-Za-z0-9_]{1,100}$/;
/** Handler definitions: names and descriptions from the code (the SDK's built-in queries carry descriptions). */
function definitions(list: unknown): boolean {
  return Array.isArray(list) && list.every((d: unknown) => {
    if (typeof d !== 'object' || d === null) return false;
    const { name, description, ...rest } = d as Record<string, unknown>;
    return Object.keys(rest).length === 0 && NAME.test(String(name))
      && (description === undefined || (typeof description === 'string' && description.length <= 200));
  });
}

/**
 * True for the summary and details texts, and for the answer of Temporal's workflow-metadata query
 * when it holds nothing but handler names and such a details text (what the UI's detail page reads).
 */
export function isOperationsValue(value: unknown): boolean {
  if (isOperationsText(value)) return true;
  if (typeof value !== 'object' || value === null) return false;
  const { definition, currentDetails, ...rest } = value as Record<string, unknown>;
  if (Object.keys(rest).length > 0 || !(currentDetails === '' || isOperationsText(currentDetails))) return false;
  if (typeof definition !== 'object' || definition === null) return false;
  const { type, queryDefinitions, signalDefinitions, updateDefinitions, ...more } = definition as Record<string, unknown>;
  return Object.keys(more).length === 0 && NAME.test(String(type))
    && definitions(queryDefinitions) && definitions(signalDefinitions) && definitions(updateDefinitions);
}
