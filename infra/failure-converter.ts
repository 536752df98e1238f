// Failure messages and stack traces go through the payload codec too, so that no error text
// travels or rests in Temporal in clear.
import { DefaultFailureConverter } from '@temporalio/common';

export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
