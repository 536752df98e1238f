// Search attributes for operations staff in the Temporal UI. They are not encrypted: ids and
// states only, never personal data.
import { defineSearchAttributeKey, SearchAttributeType, type SearchAttributePair } from '@temporalio/common';
import type { TreatmentState } from '../domain/types';

export const TREATMENT_STATUS = defineSearchAttributeKey('TreatmentStatus', SearchAttributeType.KEYWORD);
export const CARE_UNIT = defineSearchAttributeKey('CareUnit', SearchAttributeType.KEYWORD);
export const CURRENT_MODULE = defineSearchAttributeKey('CurrentModule', SearchAttributeType.KEYWORD);
export const PROGRAM_ID = defineSearchAttributeKey('ProgramId', SearchAttributeType.KEYWORD);

/** Every key, for registering them on a server. */
export const SEARCH_ATTRIBUTE_KEYS = [TREATMENT_STATUS, CARE_UNIT, CURRENT_MODULE, PROGRAM_ID];

export function searchAttributesOf(s: Pick<TreatmentState, 'status' | 'careUnitId' | 'currentModuleId' | 'programId'>): SearchAttributePair[] {
  return [
    { key: TREATMENT_STATUS, value: s.status },
    { key: CARE_UNIT, value: s.careUnitId },
    { key: CURRENT_MODULE, value: s.currentModuleId ?? 'none' },
    { key: PROGRAM_ID, value: s.programId },
  ];
}
