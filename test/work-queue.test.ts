// The clinician's work queue on the API (issue 24): flags across treatments filtered by type and
// "Bara mina", with the patient named; all of a treatment's flags read at once; the care unit's
// clinicians for Byt behandlare; the timeline newest first.
import { expect } from 'chai';
import { harness, type Harness } from './support/harness';
import { eventually, testPersonnummer } from './support/fixtures';

describe('the clinician\'s work queue (real Temporal and MongoDB)', function () {
  this.timeout(60_000);
  let h: Harness;
  const UNIT = 'unit-queue';
  const ME = 'SE2321000016-2401';
  const OTHER = 'SE2321000016-2402';
  let me: string;
  let other: string;

  before(async () => {
    h = await harness();
    me = await h.token({ role: 'clinician', sub: ME, careUnits: [UNIT] });
    other = await h.token({ role: 'clinician', sub: OTHER, careUnits: [UNIT] });
  });

  /** A treatment of `token`'s clinician whose patient has signed in (first_login) and written a message (message_received). */
  async function flagged(token: string, name: string) {
    const pnr = testPersonnummer();
    const res = await h.request('POST', '/api/treatments', { token, body: { personnummer: pnr, programId: 'tobakshjalpen', careUnitId: UNIT, patient: { name } } });
    const patient = await h.token({ role: 'patient', sub: pnr });
    await h.request('GET', '/api/me/treatment', { token: patient });
    await h.request('POST', '/api/me/treatment/conversations', { token: patient, body: { subject: 'Fråga', text: 'Hej' } });
    const id = res.body.id as string;
    await eventually(async () => (await h.request('GET', `/api/flags?treatmentId=${id}&unread=true`, { token })).body.total === 2);
    return { id, pnr };
  }
  type Item = { id: string; treatmentId: string; type: string; severity: string; patientName: string | null; personnummer: string | null; createdAt: string };
  const queue = async (query: string, token = me) => {
    const r = await h.request('GET', `/api/flags?careUnitId=${UNIT}&unread=true&pageSize=200${query}`, { token });
    expect(r.status, JSON.stringify(r.body)).to.equal(200);
    return r.body.items as Item[];
  };

  it('flags across treatments, newest first, by type and "Bara mina", each naming its patient; all of a treatment read at once', async () => {
    const mine = await flagged(me, 'Maja Min');
    const theirs = await flagged(other, 'Tore Tor');
    const all = await queue('');
    const ids = new Set(all.map((f) => f.treatmentId));
    expect(ids.has(mine.id) && ids.has(theirs.id)).to.equal(true);
    expect(all.map((f) => f.createdAt)).to.deep.equal([...all.map((f) => f.createdAt)].sort().reverse());
    const one = all.find((f) => f.treatmentId === mine.id && f.type === 'message_received')!;
    expect(one).to.include({ patientName: 'Maja Min', personnummer: mine.pnr, severity: 'action' });

    const onlyMine = await queue('&mine=true');
    expect([...new Set(onlyMine.map((f) => f.treatmentId))]).to.deep.equal([mine.id]);
    const messages = await queue('&types=message_received');
    expect(new Set(messages.map((f) => f.type))).to.deep.equal(new Set(['message_received']));
    const two = await queue('&types=message_received,first_login&mine=true');
    expect(two.map((f) => f.type).sort()).to.deep.equal(['first_login', 'message_received']);
    const bad = await h.request('GET', '/api/flags?types=message_received,nonsense', { token: me });
    expect(bad.status).to.equal(400);
    expect(bad.body.errors[0].field).to.equal('types');

    const read = await h.request('POST', `/api/treatments/${mine.id}/flags/read`, { token: me });
    expect(read.status).to.equal(200);
    expect(read.body).to.deep.equal({ read: 2 });
    expect((await queue('&mine=true')).length).to.equal(0);
    expect((await queue('')).some((f) => f.treatmentId === theirs.id)).to.equal(true);
    const listed = await h.request('GET', `/api/treatments?careUnitId=${UNIT}&pageSize=100`, { token: me });
    expect(listed.body.items.find((i: { id: string }) => i.id === mine.id).unreadFlags).to.equal(0);
  });

  it('the care unit\'s clinicians for Byt behandlare: those who signed in there, never another unit\'s', async () => {
    const r = await h.request('GET', `/api/care-units/${UNIT}/clinicians`, { token: me });
    expect(r.status).to.equal(200);
    const hsaIds = r.body.items.map((c: { hsaId: string }) => c.hsaId);
    expect(hsaIds).to.include.members([ME, OTHER]);
    expect((await h.request('GET', '/api/care-units/unit-someone-else/clinicians', { token: me })).status).to.equal(404);
  });

  it('the timeline newest first, paged with its total', async () => {
    const { id } = await flagged(me, 'Tina Tid');
    const oldest = (await h.request('GET', `/api/treatments/${id}/timeline`, { token: me })).body;
    const newest = (await h.request('GET', `/api/treatments/${id}/timeline?order=newest&pageSize=2`, { token: me })).body;
    expect(newest.total).to.equal(oldest.total);
    expect(newest.items.map((i: { id: string }) => i.id)).to.deep.equal([...oldest.items].reverse().slice(0, 2).map((i: { id: string }) => i.id));
    const page2 = (await h.request('GET', `/api/treatments/${id}/timeline?order=newest&pageSize=2&page=2`, { token: me })).body;
    expect(page2.items.map((i: { id: string }) => i.id)).to.deep.equal([...oldest.items].reverse().slice(2, 4).map((i: { id: string }) => i.id));
  });
});
