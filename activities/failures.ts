// Typed, non-retryable failures of activities that refuse their input: retrying cannot help, so
// Temporal does not retry them, and the type says what went wrong (the API maps each type to its
// 4xx answer: api/errors.ts, FAILURE_STATUS). A transient failure (a store, a gateway) stays a plain
// error, retried by the activity's retry policy.
import { ApplicationFailure } from '@temporalio/common';

export const ACTIVITY_FAILURE_TYPES = {
  /** Gallring found no read model for the treatment: there is nothing to archive. */
  treatmentNotFound: 'TreatmentNotFound',
  /** Gallring's removal refused: the treatment is not archived yet (archive first). */
  notArchived: 'TreatmentNotArchived',
  /** An activity started without what it needs (the worker's wiring), e.g. the nightly jobs without the client. */
  misconfigured: 'ActivityMisconfigured',
} as const;

export type ActivityFailureType = (typeof ACTIVITY_FAILURE_TYPES)[keyof typeof ACTIVITY_FAILURE_TYPES];

/** The failure an activity throws when it refuses its input: typed, not retried. */
export function refuse(type: ActivityFailureType, message: string): ApplicationFailure {
  return ApplicationFailure.create({ type, nonRetryable: true, message });
}
