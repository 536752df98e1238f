// GET /api/events: live updates (server-sent events) for the clinician's web app. A patient's
// message reaches the streams of its care unit's clinicians as ids only, and no other unit's.
import { expect } from 'chai';
import { harness, type Harness } from './support/harness';
import { eventually, testPersonnummer } from './support/fixtures';

interface Stream { events: Array<{ event: string; data: { type: string; treatmentId: string } }>; status: number; close(): void; text: () => string }

describe('live updates: GET /api/events (server-sent events, real servers)', function () {
  this.timeout(120_000);
  let h: Harness;
  before(async () => { h = await harness(); });

  /** Opens the stream as the web app does: fetch with the bearer token, the body read as it comes. */
  async function open(token: string, extra: Record<string, string> = {}): Promise<Stream> {
    const abort = new AbortController();
    const res = await fetch(`${h.baseUrl}/api/events`, { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream', ...extra }, signal: abort.signal });
    const stream: Stream = { events: [], status: res.status, close: () => abort.abort(), text: () => raw };
    let raw = '';
    if (res.status !== 200) { raw = await res.text(); return stream; }
    expect(res.headers.get('content-type')).to.match(/^text\/event-stream/);
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    void (async () => {
      let buffer = '';
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          raw += value;
          buffer += value;
          let i;
          while ((i = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, i);
            buffer = buffer.slice(i + 2);
            const event = /^event: (.*)$/m.exec(block)?.[1];
            const data = /^data: (.*)$/m.exec(block)?.[1];
            if (event && data) stream.events.push({ event, data: JSON.parse(data) });
          }
        }
      } catch { /* aborted */ }
    })();
    return stream;
  }

  const until = async (check: () => boolean, ms = 20_000) => { await eventually(async () => check(), ms); };

  it('a patient\'s message reaches the clinicians of its care unit as ids only; another unit gets nothing', async () => {
    const n = Date.now() % 100000;
    const unit = `unit-live-${n}`;
    const other = `unit-live-other-${n}`;
    const clinician = await h.token({ role: 'clinician', sub: `SE2321000016-L${n}`, careUnits: [unit] });
    const stranger = await h.token({ role: 'clinician', sub: `SE2321000016-M${n}`, careUnits: [other] });
    const both = await h.token({ role: 'clinician', sub: `SE2321000016-B${n}`, careUnits: [other, unit] });
    const pnr = testPersonnummer();
    const created = await h.request('POST', '/api/treatments', { token: clinician, body: { personnummer: pnr, programId: 'tobakshjalpen', careUnitId: unit } });
    expect(created.status).to.equal(201);
    const id = created.body.id as string;
    const patient = await h.token({ role: 'patient', sub: pnr });
    expect((await h.request('GET', '/api/me/treatment', { token: patient })).status).to.equal(200);

    const mine = await open(clinician);
    const theirs = await open(stranger);
    const actingForOther = await open(both, { 'x-care-unit': other });
    try {
      expect([mine.status, theirs.status, actingForOther.status]).to.deep.equal([200, 200, 200]);
      const sent = await h.request('POST', '/api/me/treatment/conversations', { token: patient, body: { subject: 'Fråga', text: 'Får jag använda plåster?' } });
      expect(sent.status).to.equal(201);
      // The message at once (the API wrote it), the message_received flag once the worker has.
      await until(() => mine.events.some((e) => e.event === 'message' && e.data.treatmentId === id) && mine.events.some((e) => e.event === 'flag' && e.data.treatmentId === id));
      const event = mine.events.find((e) => e.event === 'message')!;
      expect(event.data).to.deep.equal({ type: 'message', treatmentId: id }); // ids only: no text, no personnummer
      expect(mine.text()).not.to.include('plåster');
      expect(mine.text()).not.to.include(pnr);
      // A later message in the other unit reaches both of its streams: the feed is in order, so had
      // the first message been sent to them it would have come before; it did not.
      const otherPnr = testPersonnummer();
      const otherTreatment = await h.request('POST', '/api/treatments', { token: stranger, body: { personnummer: otherPnr, programId: 'tobakshjalpen', careUnitId: other } });
      const otherPatient = await h.token({ role: 'patient', sub: otherPnr });
      expect((await h.request('GET', '/api/me/treatment', { token: otherPatient })).status).to.equal(200);
      await h.request('POST', '/api/me/treatment/conversations', { token: otherPatient, body: { subject: 'Fråga', text: 'Hej' } });
      const later = (s: typeof theirs) => s.events.some((e) => e.event === 'message' && e.data.treatmentId === otherTreatment.body.id);
      await until(() => later(theirs) && later(actingForOther));
      expect(theirs.events.filter((e) => e.data.treatmentId === id)).to.deep.equal([]);
      expect(actingForOther.events.filter((e) => e.data.treatmentId === id)).to.deep.equal([]);
    } finally {
      mine.close(); theirs.close(); actingForOther.close();
    }
  });

  it('refuses without a token (401), for a patient (403), and without Accept: text/event-stream (406)', async () => {
    const pnr = testPersonnummer();
    expect((await h.request('GET', '/api/events')).status).to.equal(401);
    expect((await h.request('GET', '/api/events', { token: await h.token({ role: 'patient', sub: pnr }) })).status).to.equal(403);
    const plain = await h.request('GET', '/api/events', { token: await h.token({ role: 'clinician', sub: 'SE2321000016-LX', careUnits: ['unit-live-x'] }) });
    expect(plain.status).to.equal(406);
    expect(plain.body.detail).to.include('text/event-stream');
    const foreign = await open(await h.token({ role: 'clinician', sub: 'SE2321000016-LY', careUnits: ['unit-live-y'] }), { 'x-care-unit': 'unit-live-z' });
    expect(foreign.status).to.equal(403);
  });
});
