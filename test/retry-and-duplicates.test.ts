// Unit (no server): E11000 is recognised in one place, and the contract's request rules are said by
// the schemas themselves (issue 26): type lists and returnTo as patterns, e-mail local parts.
import { expect } from 'chai';
import { z } from 'zod';
import { isDuplicateKey, onDuplicateKey } from '../infra/duplicate-key';
import { flagsQuery, timelineQuery } from '../api/clinical-work/schemas';
import { email } from '../api/schemas';
import { RETURN_TO, safeReturnTo } from '../api/session';
import { editActivityPlanBody } from '../api/activity-plans/schemas';
import { sendUpdate } from '../api/treatments/service';
import { defineUpdate } from '@temporalio/workflow';
import type { WorkflowHandle } from '@temporalio/client';

describe('one duplicate-key check', () => {
  it('knows E11000 by code and by a bulk write\'s message, and nothing else', () => {
    expect(isDuplicateKey({ code: 11000 })).to.equal(true);
    expect(isDuplicateKey(new Error('E11000 duplicate key error collection: x index: _id_'))).to.equal(true);
    expect(isDuplicateKey({ code: 112 })).to.equal(false);
    expect(isDuplicateKey(null)).to.equal(false);
    expect(isDuplicateKey('E11000')).to.equal(false);
  });

  it('answers the fallback on a duplicate key and rethrows anything else', async () => {
    expect(await onDuplicateKey(() => Promise.reject(Object.assign(new Error('dup'), { code: 11000 })), () => 'first')).to.equal('first');
    expect(await onDuplicateKey(() => Promise.resolve('mine'), () => 'first')).to.equal('mine');
    let thrown: unknown;
    await onDuplicateKey(() => Promise.reject(new Error('other')), () => 'first').catch((err: unknown) => { thrown = err; });
    expect((thrown as Error).message).to.equal('other');
  });
});

describe('request rules /openapi.json says', () => {
  const pattern = (schema: z.ZodType, key: string) => new RegExp((z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as { properties: Record<string, { pattern: string }> }).properties[key]!.pattern);

  it('a types list: the pattern and the parser agree', () => {
    for (const [schema, known] of [[timelineQuery, 'message_sent'], [flagsQuery, 'first_login']] as const) {
      const p = pattern(schema, 'types');
      for (const v of [known, ` ${known} , ${known}`, '', `${known},,${known}`, 'nosuch', '0000', `${known},nosuch`]) {
        const ok = !['nosuch', '0000', `${known},nosuch`].includes(v);
        expect(p.test(v), `pattern: ${v}`).to.equal(ok);
        expect(schema.safeParse({ types: v }).success, `parser: ${v}`).to.equal(ok);
      }
    }
  });

  it('returnTo: the pattern and safeReturnTo agree', () => {
    for (const v of ['/behandlare', '/', '//evil.example', '/\\evil', 'x', '/a b', '/ok?x=1']) {
      let ok = true;
      try { safeReturnTo(v, 'http://127.0.0.1:3000', 'clinician'); } catch { ok = false; }
      expect(ok, v).to.equal(RETURN_TO.test(v));
    }
  });

  it('an e-mail address has at most 64 characters before @; an activity-plan edit names a field', () => {
    expect(email.safeParse(`${'a'.repeat(64)}@example.se`).success).to.equal(true);
    expect(email.safeParse(`${'a'.repeat(65)}@example.se`).success).to.equal(false);
    expect((z.toJSONSchema(editActivityPlanBody, { io: 'input', unrepresentable: 'any' }) as { minProperties?: number }).minProperties).to.equal(1);
    expect(editActivityPlanBody.safeParse({}).success).to.equal(false);
  });
});

describe('commands to one workflow go one at a time (sendUpdate)', () => {
  /** A handle whose updates take a turn of the event loop each, and count how many of its own overlap. */
  function fakeHandle(workflowId: string, log: string[], busy: Map<string, number>) {
    return {
      workflowId,
      async executeUpdate(_def: unknown, { updateId }: { updateId: string }) {
        busy.set(workflowId, (busy.get(workflowId) ?? 0) + 1);
        log.push(`${workflowId} ${updateId} ${busy.get(workflowId)} in flight; ${[...busy.values()].reduce((a, b) => a + b, 0)} in all`);
        await new Promise((resolve) => setImmediate(resolve));
        busy.set(workflowId, busy.get(workflowId)! - 1);
        if (updateId === 'a-2') throw new Error('refused');
        return updateId;
      },
    } as unknown as WorkflowHandle;
  }

  it('one update of a workflow in flight at a time, in the order sent, a refusal not holding up the next; other workflows alongside', async () => {
    const log: string[] = [];
    const busy = new Map<string, number>();
    const a = fakeHandle('a', log, busy);
    const b = fakeHandle('b', log, busy);
    const def = defineUpdate<string, [number]>('u');
    const sent = [
      sendUpdate(a, def, [1], 'a-1'), sendUpdate(a, def, [2], 'a-2'), sendUpdate(a, def, [3], 'a-3'), sendUpdate(b, def, [1], 'b-1'),
    ];
    const outcomes = await Promise.allSettled(sent);
    expect(outcomes.map((o) => (o.status === 'fulfilled' ? o.value : (o.reason as Error).message))).to.deep.equal(['a-1', 'refused', 'a-3', 'b-1']);
    expect(log.filter((l) => l.startsWith('a ')).map((l) => l.split(' ').slice(0, 3).join(' '))).to.deep.equal(['a a-1 1', 'a a-2 1', 'a a-3 1']);
    // b's update ran beside a's first one, not after a's three.
    expect(log.indexOf(log.find((l) => l.startsWith('b '))!)).to.equal(1);
    expect(log[1]).to.match(/2 in all$/);
  });
});
