// Personal data is never readable in Temporal: encrypted payloads with per-treatment keys,
// crypto-shredding at gallring, key rotation, and the codec server for the Temporal UI.
import { expect } from 'chai';
import { AccessLog } from '../models/access-log';
import { createCipheriv, randomBytes } from 'node:crypto';
import { temporal } from '@temporalio/proto';
import { harness, type Harness } from './support/harness';
import { eventually, testPersonnummer } from './support/fixtures';
import { decodedHistoryText, rawHistoryText } from './support/history';
import { workflowIdFor } from '../workflows/definitions';
import { parseMasterKeys, TreatmentKeyCodec } from '../infra/codec';
import { payloadCodec } from '../infra/data-converter';
import { defaultPayloadConverter } from '@temporalio/common';

describe('payload encryption (real Temporal and MongoDB)', function () {
  this.timeout(90_000);
  let h: Harness;
  let clinician: string;
  before(async () => {
    h = await harness();
    clinician = await h.token({ role: 'clinician', sub: 'SE2321000016-7070', careUnits: ['unit-enc'] });
  });

  it('a treatment\'s raw history, ids and memo hold no personal data; with the codec it reads; after gallring it no longer does', async () => {
    const pnr = testPersonnummer();
    const name = 'Signe Sekretess';
    const phone = '070-777 66 55';
    const email = 'signe@example.se';
    const res = await h.request('POST', '/api/treatments', { token: clinician, body: { personnummer: pnr, programId: 'tobakshjalpen', careUnitId: 'unit-enc', patient: { name, phone, email } } });
    const id = res.body.id as string;
    const patient = await h.token({ role: 'patient', sub: pnr });
    await h.request('GET', '/api/me/treatment', { token: patient });
    const text = 'Mycket privat text';
    const conv = await h.request('POST', `/api/treatments/${id}/conversations`, { token: clinician, body: { subject: 'Privat', text, notify: true } });
    await h.request('POST', `/api/me/treatment/conversations/${conv.body.id}/messages`, { token: patient, body: { text: 'Privat svar' } });
    await h.request('POST', '/api/me/treatment/modules/step-1/forms/tobacco-habits', { token: patient, body: { answers: { tobaccoType: ['snus'], amountPerDay: 12, reasons: 'Privat anledning' } } });
    await h.request('GET', '/api/clinicians/me/settings', { token: await h.token({ role: 'clinician', sub: 'SE2321000016-7171', careUnits: ['unit-enc'] }) });
    await h.request('PUT', `/api/treatments/${id}/clinician`, { token: clinician, body: { clinicianId: 'SE2321000016-7171' } });
    const handle = h.client.workflow.getHandle(workflowIdFor(id));
    await eventually(async () => (await h.request('GET', `/api/flags?treatmentId=${id}`, { token: clinician })).body.items.some((f: { type: string }) => f.type === 'form_submitted'));
    // An activity plan's child workflow seals with the treatment's key too (security #4).
    const plan = await h.request('POST', `/api/treatments/${id}/activity-plans`, { token: clinician, body: { title: 'Dagbok', elements: [{ formId: 'check-in' }], schedule: { weekdays: ['mon'], times: ['08:00'], weeks: 1 }, answerWindowDays: 1 } });
    expect(plan.status).to.equal(201);
    const planHandle = h.client.workflow.getHandle(`activity-plan-${plan.body.id}`);
    const planInput = (await planHandle.fetchHistory()).events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]!;
    expect(Buffer.from(planInput.metadata!['encryption-key-id']!).toString()).to.equal(`t:${id}`);

    const history = await handle.fetchHistory();
    const description = await handle.describe();
    const raw = rawHistoryText(history) + JSON.stringify(description.raw);
    const secrets = [pnr, pnr.slice(2), name, phone, email, text, 'Privat svar', 'Privat anledning', 'Privat'];
    for (const s of secrets) expect(raw, s).to.not.contain(s);
    expect(raw).to.not.contain('"treatmentId"'); // the payloads are ciphertext, not JSON
    expect(description.workflowId).to.equal(`treatment-${id}`);
    const decoded = await decodedHistoryText(history, payloadCodec(h.config));
    expect(decoded).to.contain(id).and.to.contain('step-1');
    for (const s of secrets.slice(0, 8)) expect(decoded, s).to.not.contain(s);

    await h.request('POST', `/api/treatments/${id}/end`, { token: clinician, body: { reason: 'other', maintenance: false } });
    await h.request('POST', `/api/treatments/${id}/purge`, { token: clinician });
    await eventually(async () => (await handle.describe()).status.name === 'COMPLETED', 30_000);
    // Another process's codec (no cache), with every master key: the treatment's payloads are gone.
    const fresh = new TreatmentKeyCodec(parseMasterKeys(h.config.payloadKeys));
    const err = await decodedHistoryText(await handle.fetchHistory(), fresh).catch((e: Error) => e);
    expect(err).to.be.instanceOf(Error);
    expect((err as Error).message).to.match(/shredded/);
    const planErr = await decodedHistoryText(await planHandle.fetchHistory(), fresh).catch((e: Error) => e);
    expect((planErr as Error).message).to.match(/shredded/); // the plan's history went with it
  });

  it('several master keys: new payloads use the first, payloads of a retired key still decrypt', async () => {
    const k = (id: string) => `${id}:${randomBytes(32).toString('base64')}`;
    const old = k('old');
    const before = new TreatmentKeyCodec(parseMasterKeys(old));
    const [sealed] = await before.encode([defaultPayloadConverter.toPayload({ hello: 'world' })]);
    const rotated = new TreatmentKeyCodec(parseMasterKeys(`${k('new')},${old}`));
    const [opened] = await rotated.decode([sealed!]);
    expect(defaultPayloadConverter.fromPayload(opened!)).to.deep.equal({ hello: 'world' });
    const [resealed] = await rotated.encode([opened!]);
    expect(Buffer.from(resealed!.metadata!['encryption-key-id']!).toString()).to.equal('m:new');
    const withoutOld = new TreatmentKeyCodec(parseMasterKeys(k('new')));
    const failure = await withoutOld.decode([sealed!]).catch((e: Error) => e);
    expect((failure as Error).message).to.match(/unknown master key "old"/);
  });

  it('attack: a payload is bound to its key and its workflow; relabelled or moved, it does not open; payloads from before the binding still do (security #12)', async () => {
    const master = randomBytes(32);
    const codec = new TreatmentKeyCodec(parseMasterKeys(`m1:${master.toString('base64')}`));
    const value = defaultPayloadConverter.toPayload({ secret: 'svar' });
    const [sealed] = await codec.encode([value], { type: 'workflow', namespace: 'default', workflowId: 'treatment-a' });
    expect(Buffer.from(sealed!.metadata!['encryption-bound-to']!).toString()).to.equal('wf:treatment-a');
    const read = async (p: typeof sealed, workflowId?: string) => codec.decode([p!], workflowId ? { type: 'workflow', namespace: 'default', workflowId } : undefined)
      .then(([o]) => defaultPayloadConverter.fromPayload(o!), (e: Error) => e.message);
    expect(await read(sealed, 'treatment-a')).to.deep.equal({ secret: 'svar' });
    expect(await read(sealed)).to.deep.equal({ secret: 'svar' }); // the codec server has no context: the seal still checks the label
    expect(await read(sealed, 'treatment-b')).to.match(/another workflow/);
    const relabelled = { ...sealed!, metadata: { ...sealed!.metadata, 'encryption-bound-to': Buffer.from('wf:treatment-b') } };
    expect(await read(relabelled)).to.match(/does not decrypt/);
    expect(await read(relabelled, 'treatment-b')).to.match(/does not decrypt/);
    // Stripping the label does not help an attacker either.
    const { 'encryption-bound-to': _bound, ...unlabelled } = sealed!.metadata!;
    expect(await read({ ...sealed!, metadata: unlabelled })).to.match(/does not decrypt/);
    // A payload sealed before release 1.2 (no binding, no associated data) still opens.
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', master, iv);
    const body = Buffer.concat([cipher.update(temporal.api.common.v1.Payload.encode(value).finish()), cipher.final()]);
    const legacy = { metadata: { ...unlabelled, 'encryption-key-id': Buffer.from('m:m1') }, data: Buffer.concat([iv, body, cipher.getAuthTag()]) };
    expect(await read(legacy, 'treatment-a')).to.deep.equal({ secret: 'svar' });
  });

  it('the codec server answers only the ops role, with CORS only for the Temporal UI origin', async () => {
    const [sealed] = await payloadCodec(h.config).encode([defaultPayloadConverter.toPayload({ secret: 'x' })]);
    const body = { payloads: [{ metadata: Object.fromEntries(Object.entries(sealed!.metadata!).map(([key, v]) => [key, Buffer.from(v).toString('base64')])), data: Buffer.from(sealed!.data!).toString('base64') }] };
    const post = (token: string | undefined, origin?: string) => fetch(`${h.baseUrl}/codec/decode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...(origin ? { origin } : {}) },
      body: JSON.stringify(body),
    });
    expect((await post(undefined)).status).to.equal(401);
    expect((await post(clinician)).status).to.equal(403);
    const ops = await h.token({ role: 'ops', sub: 'ops-anna' });
    const ok = await post(ops, h.config.codecCorsOrigin);
    expect(ok.status).to.equal(200);
    expect(ok.headers.get('access-control-allow-origin')).to.equal(h.config.codecCorsOrigin);
    const decoded = (await ok.json()) as { payloads: Array<{ data: string }> };
    expect(JSON.parse(Buffer.from(decoded.payloads[0]!.data, 'base64').toString())).to.deep.equal({ secret: 'x' });
    const evil = await post(ops, 'https://evil.example');
    expect(evil.headers.get('access-control-allow-origin')).to.equal(null);
    const preflight = await fetch(`${h.baseUrl}/codec/decode`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(preflight.status).to.equal(403);
    const good = await fetch(`${h.baseUrl}/codec/decode`, { method: 'OPTIONS', headers: { origin: h.config.codecCorsOrigin, 'access-control-request-method': 'POST' } });
    expect(good.status).to.equal(204);
  });

  it('attack: ops decoding a treatment\'s payloads needs a break-glass reason and is access-logged; undecodable payloads answer 400 (security #2, #12)', async () => {
    const pnr = testPersonnummer();
    const res = await h.request('POST', '/api/treatments', { token: clinician, body: { personnummer: pnr, programId: 'tobakshjalpen', careUnitId: 'unit-enc' } });
    const id = res.body.id as string;
    const history = await h.client.workflow.getHandle(`treatment-${id}`).fetchHistory();
    const input = history.events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]!;
    const asJson = (p: { metadata?: Record<string, Uint8Array> | null; data?: Uint8Array | null }) => ({
      metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])), data: Buffer.from(p.data ?? []).toString('base64'),
    });
    const ops = await h.token({ role: 'ops', sub: 'ops-bertil' });
    const decode = (payloads: unknown[], headers: Record<string, string> = {}) => fetch(`${h.baseUrl}/codec/decode`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${ops}`, ...headers }, body: JSON.stringify({ payloads }),
    });
    const refused = await decode([asJson(input)]);
    expect(refused.status).to.equal(403);
    expect(await AccessLog.countDocuments({ treatmentId: id, actorRole: 'ops' })).to.equal(0);
    const allowed = await decode([asJson(input)], { 'x-break-glass-reason': 'Incident INC-4711: stuck treatment' });
    expect(allowed.status).to.equal(200);
    const entry = await AccessLog.findOne({ treatmentId: id, actorRole: 'ops' }).lean();
    expect(entry).to.include({ actorId: 'ops-bertil', careUnitId: 'unit-enc', reason: 'Incident INC-4711: stuck treatment', action: 'POST /codec/decode' });
    const patientLog = await h.request('GET', '/api/me/access-log', { token: await h.token({ role: 'patient', sub: pnr }) });
    expect(patientLog.body.items).to.deep.include({ at: entry!.at.toISOString(), careUnitId: 'drift', careUnitName: 'Drift (teknisk personal)', action: 'read' });
    // Development: the embedded Temporal UI (its origin, loopback, no token) decodes as the operator
    // development-ui, logged like any operator; without that origin, no token is no answer.
    const fromUi = (origin: string) => fetch(`${h.baseUrl}/codec/decode`, {
      method: 'POST', headers: { 'content-type': 'application/json', origin }, body: JSON.stringify({ payloads: [asJson(input)] }),
    });
    expect((await fromUi('http://evil.example')).status).to.equal(401);
    const viaUi = await fromUi(h.config.codecCorsOrigin);
    expect(viaUi.status).to.equal(200);
    const shown = (await viaUi.json()) as { payloads: Array<{ data: string }> };
    expect(Buffer.from(shown.payloads[0]!.data, 'base64').toString()).to.contain(id); // the workflow's input, in the clear
    expect(await AccessLog.findOne({ treatmentId: id, actorId: 'development-ui' }).lean()).to.include({ actorRole: 'ops', action: 'POST /codec/decode' });
    // Unknown key ids and broken ciphertext are the caller's error, not the server's.
    const unknownKey = { metadata: { encoding: Buffer.from('binary/encrypted').toString('base64'), 'encryption-key-id': Buffer.from('x:nope').toString('base64') }, data: 'AAAA' };
    expect((await decode([unknownKey])).status).to.equal(400);
    const broken = { ...asJson(input), data: Buffer.from('not ciphertext at all').toString('base64') };
    expect((await decode([broken], { 'x-break-glass-reason': 'Incident INC-4711: stuck treatment' })).status).to.equal(400);
    // The log review is itself logged.
    const before = await AccessLog.countDocuments({ actorId: 'ops-bertil', action: /access-log\/search/ });
    const now = new Date();
    await h.request('POST', '/api/ops/access-log/search', { token: ops, body: { personnummer: pnr, from: new Date(now.getTime() - 60_000).toISOString(), to: now.toISOString() } });
    expect(await AccessLog.countDocuments({ actorId: 'ops-bertil', action: /access-log\/search/ })).to.equal(before + 1);
  });
});
