// Typed failures (issue 26): every ApplicationFailure type a workflow rule or an activity throws
// maps to its answer (api/errors.ts FAILURE_STATUS), as problem details; the activities that refuse
// their input throw typed, non-retryable failures.
import { expect } from 'chai';
import express from 'express';
import type { AddressInfo } from 'node:net';
import { ActivityFailure, ApplicationFailure, RetryState } from '@temporalio/common';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { harness, type Harness } from './support/harness';
import { testPersonnummer } from './support/fixtures';
import { FAILURE_STATUS, fromWorkflowError, HttpError, problemHandler } from '../api/errors';
import { ACTIVITY_FAILURE_TYPES, refuse, refuseForNow } from '../activities/failures';
import { FAILURE_TYPES } from '../domain/types';

describe('typed failures and their answers', function () {
  this.timeout(60_000);
  let h: Harness;
  before(async () => { h = await harness(); });

  it('every type, workflow rules and activities alike, has its answer', () => {
    for (const type of [...Object.values(FAILURE_TYPES), ...Object.values(ACTIVITY_FAILURE_TYPES)]) {
      expect(FAILURE_STATUS, type).to.have.property(type);
    }
    expect(FAILURE_STATUS[ACTIVITY_FAILURE_TYPES.misconfigured]!.status).to.equal(503);
  });

  it('an activity refusing its input throws a typed failure that Temporal does not retry; gallring\'s refusals are typed and retried', () => {
    const failure = refuse(ACTIVITY_FAILURE_TYPES.misconfigured, 'nightly jobs need the Temporal client and the programs');
    expect(failure).to.be.instanceOf(ApplicationFailure);
    expect(failure.type).to.equal('ActivityMisconfigured');
    expect(failure.nonRetryable).to.equal(true);
    // A purge given up would leave personal data past its date: it is retried until the cause is fixed.
    const purge = refuseForNow(ACTIVITY_FAILURE_TYPES.notArchived, 'refusing to purge a treatment that is not archived');
    expect(purge.type).to.equal('TreatmentNotArchived');
    expect(purge.nonRetryable).to.equal(false);
  });

  it('each type reaches the caller as its status with problem+json, from an update or an activity inside it', async () => {
    // The API's own error handler, behind a route that throws what a failed update throws.
    const app = express();
    app.get('/fail/:type/:via', (req, _res, next) => {
      const failure = ApplicationFailure.create({ type: req.params.type, nonRetryable: true, message: `refused: ${req.params.type}` });
      const cause = req.params.via === 'activity'
        ? new ActivityFailure('activity failed', 'someActivity', '1', RetryState.NON_RETRYABLE_FAILURE, 'worker', failure)
        : failure;
      next(fromWorkflowError(new WorkflowUpdateFailedError('update failed', cause)));
    });
    app.use(problemHandler);
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      for (const [type, { status }] of Object.entries(FAILURE_STATUS)) {
        for (const via of ['update', 'activity']) {
          const res = await fetch(`${base}/fail/${type}/${via}`);
          expect(res.status, `${type} via ${via}`).to.equal(status);
          expect(res.headers.get('content-type')).to.match(/application\/problem\+json/);
          expect(((await res.json()) as { detail: string }).detail).to.equal(`refused: ${type}`);
        }
      }
      // An untyped failure stays what it was (a 500 from the handler), and is not mistaken for one.
      expect(fromWorkflowError(new WorkflowUpdateFailedError('x', ApplicationFailure.create({ type: 'SomethingElse' })))).not.to.be.instanceOf(HttpError);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('on the real servers: an unknown module 404, an unknown section 404, a locked module 409', async () => {
    const clinician = await h.token({ role: 'clinician', sub: 'SE2321000016-7026', careUnits: ['unit-failures'] });
    const pnr = testPersonnummer();
    const created = await h.request('POST', '/api/treatments', { token: clinician, body: { personnummer: pnr, programId: 'tobakshjalpen', careUnitId: 'unit-failures' } });
    expect(created.status).to.equal(201);
    const id = created.body.id as string;
    const patient = await h.token({ role: 'patient', sub: pnr });
    expect((await h.request('GET', '/api/me/treatment', { token: patient })).status).to.equal(200);
    const unknownModule = await h.request('POST', `/api/treatments/${id}/modules/step-99/complete`, { token: clinician });
    expect(unknownModule.status).to.equal(404);
    expect(unknownModule.headers.get('content-type')).to.match(/problem\+json/);
    expect((await h.request('POST', '/api/me/treatment/modules/intro/sections/no-such-section', { token: patient, body: { progress: 'started' } })).status).to.equal(404);
    const locked = await h.request('POST', `/api/treatments/${id}/modules/step-3/complete`, { token: clinician });
    expect(locked.status).to.equal(409);
    expect(locked.body.detail).to.match(/locked/);
  });
});
