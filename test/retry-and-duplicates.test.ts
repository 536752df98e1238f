// Unit (no server): E11000 is recognised in one place, and the contract's request rules are said by
// the schemas themselves (issue 26): type lists and returnTo as patterns, e-mail local parts.
import { expect } from 'chai';
import { z } from 'zod';
import { isDuplicateKey, onDuplicateKey } from '../infra/duplicate-key';
import { flagsQuery, timelineQuery } from '../api/clinical-work/schemas';
import { email } from '../api/schemas';
import { RETURN_TO, safeReturnTo } from '../api/session';
import { editActivityPlanBody } from '../api/activity-plans/schemas';

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
