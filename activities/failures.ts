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

/**
 * Typed like refuse(), but retried: for a refusal that time or an operator can cure, where giving up
 * would be worse. Gallring is the case: a purge that fails for good would leave personal data past
 * its date with the treatment's workflow gone; retried, it shows in the Temporal UI as a pending
 * activity with its type and attempts, and goes on by itself once the cause is fixed.
 */
export function refuseForNow(type: ActivityFailureType, message: string): ApplicationFailure {
  return ApplicationFailure.create({ type, nonRetryable: false, message });
}
