// The clinician's overview reads small rows and unread-flag markers (models/overview.ts), kept by the
// projection and by the flags' writers: what the list shows follows the treatment on real servers.
import { expect } from 'chai';
import { harness, type Harness } from './support/harness';
import { eventually, testPersonnummer } from './support/fixtures';
import { Migration, OverviewRow, UnreadFlag } from '../models/overview';
import { FlagModel } from '../models/clinical';
import { backfillOverview, markUnread } from '../infra/overview-rows';

describe('the overview (compact rows, unread markers)', function () {
  this.timeout(120_000);
  let h: Harness;
  let clinician: string;
  const unit = 'unit-rows';

  before(async () => {
    h = await harness();
    clinician = await h.token({ role: 'clinician', sub: 'SE2321000016-4141', careUnits: [unit] });
  });

  const start = async (name: string) => {
    const pnr = testPersonnummer();
    const res = await h.request('POST', '/api/treatments', { token: clinician, body: { personnummer: pnr, programId: 'tobakshjalpen', careUnitId: unit, patient: { name } } });
    expect(res.status).to.equal(201);
    return { id: res.body.id as string, pnr };
  };
  type Item = { id: string; status: string; currentModuleId: string | null; unreadFlags: number; patient: { personnummer: string | null; name: string | null } };
  const list = async (query = '') => (await h.request('GET', `/api/treatments?careUnitId=${unit}&pageSize=100${query}`, { token: clinician })).body as { items: Item[]; total: number };
  const itemOf = async (id: string, query = '') => (await list(query)).items.find((i) => i.id === id);

  it('a row follows its treatment: a command shows in the list, and the row holds no modules', async () => {
    const { id, pnr } = await start('Rut Radsson');
    expect(await itemOf(id)).to.deep.include({ status: 'invited', currentModuleId: null, patient: { personnummer: pnr, name: 'Rut Radsson' } });
    await h.request('GET', '/api/me/treatment', { token: await h.token({ role: 'patient', sub: pnr }) });
    const moved = await h.request('POST', `/api/treatments/${id}/modules/step-2/current`, { token: clinician });
    expect(moved.status).to.equal(200);
    // The command answers after the projection wrote treatment and row: no waiting.
    expect(await itemOf(id)).to.deep.include({ status: 'active', currentModuleId: 'step-2' });
    const row = await OverviewRow.findById(id).lean();
    expect(row).to.include({ careUnitId: unit, status: 'active', currentModuleId: 'step-2' });
    expect(Object.keys(row!)).to.not.include.members(['modules', 'followUps']);
    expect(row!.version).to.be.greaterThan(0);
  });

  it('unread flags are counted, filtered and sorted by their markers; a read removes one, a retried raising after the read does not bring it back', async () => {
    const quiet = await start('Stina Stilla');
    const flagged = await start('Frida Flagg');
    await h.request('GET', '/api/me/treatment', { token: await h.token({ role: 'patient', sub: flagged.pnr }) }); // first_login: an unread flag
    const item = await eventually(async () => { const i = await itemOf(flagged.id); return i && i.unreadFlags > 0 ? i : null; });
    expect(item.unreadFlags).to.equal(1);
    expect((await list('&flagged=true')).items.map((i) => i.id)).to.include(flagged.id).and.not.include(quiet.id);
    expect((await list('&flagged=false')).items.map((i) => i.id)).to.include(quiet.id).and.not.include(flagged.id);
    const byFlags = (await list('&sort=-unreadFlags')).items;
    expect(byFlags.findIndex((i) => i.id === flagged.id)).to.be.lessThan(byFlags.findIndex((i) => i.id === quiet.id));
    expect(byFlags.slice(0, byFlags.findIndex((i) => i.id === quiet.id)).every((i) => i.unreadFlags > 0)).to.equal(true);

    const flag = (await FlagModel.find({ treatmentId: flagged.id }).lean())[0]!;
    expect(await UnreadFlag.findById(flag._id).lean()).to.include({ treatmentId: flagged.id, careUnitId: unit, type: flag.type });
    expect((await h.request('POST', `/api/flags/${encodeURIComponent(flag._id)}/read`, { token: clinician })).status).to.equal(200);
    expect(await itemOf(flagged.id)).to.deep.include({ unreadFlags: 0 });
    expect((await list('&flagged=true')).items.map((i) => i.id)).to.not.include(flagged.id);
    // The activity that raised it, retried now (a worker crashed before reporting): still read.
    await markUnread(flag._id, false, { treatmentId: flagged.id, careUnitId: unit, type: flag.type, ref: flag.ref ?? null });
    expect(await itemOf(flagged.id)).to.deep.include({ unreadFlags: 0 });
    // The detail view counts the same markers.
    expect((await h.request('GET', `/api/treatments/${flagged.id}`, { token: clinician })).body.unreadFlags).to.equal(0);
  });

  it('treatments and unread flags written before the rows existed are backfilled once, on boot', async () => {
    const { id, pnr } = await start('Bo Bakåt');
    await h.request('GET', '/api/me/treatment', { token: await h.token({ role: 'patient', sub: pnr }) });
    await eventually(async () => (await UnreadFlag.countDocuments({ treatmentId: id })) > 0 || null);
    // A store from before this release: no row, no marker, no record of the migration.
    await OverviewRow.deleteOne({ _id: id });
    await UnreadFlag.deleteMany({ treatmentId: id });
    await Migration.deleteOne({ _id: 'overview-rows-1' });
    expect(await itemOf(id)).to.equal(undefined);
    // Two boots at once (the API and the worker started together, as the faults test does): both
    // may run it; neither fails on the other's record of it.
    const [done, beside] = await Promise.all([backfillOverview(), backfillOverview()]);
    expect(done!.rows).to.be.greaterThan(0);
    expect(beside === null || beside.rows > 0).to.equal(true);
    expect(await itemOf(id)).to.deep.include({ status: 'active', unreadFlags: 1, patient: { personnummer: pnr, name: 'Bo Bakåt' } });
    expect(await backfillOverview()).to.equal(null); // once
  });

  it('gallring leaves a row with no personal data and no markers', async function () {
    this.timeout(60_000);
    const { id, pnr } = await start('Gull Gallrad');
    await h.request('GET', '/api/me/treatment', { token: await h.token({ role: 'patient', sub: pnr }) });
    await eventually(async () => (await UnreadFlag.countDocuments({ treatmentId: id })) > 0 || null);
    await h.request('POST', `/api/treatments/${id}/end`, { token: clinician, body: { reason: 'other', maintenance: false } });
    expect((await h.request('POST', `/api/treatments/${id}/purge`, { token: clinician })).status).to.equal(202);
    await eventually(async () => (await OverviewRow.findById(id).lean())?.status === 'purged' || null, 30_000);
    const row = (await OverviewRow.findById(id).lean())!;
    expect(Object.keys(row).sort()).to.deep.equal(['_id', 'careUnitId', 'status', 'version']);
    expect(await UnreadFlag.countDocuments({ treatmentId: id })).to.equal(0);
    // Purged: not among the overview's rows (no row of dashes), listed only when asked for by status.
    expect(await itemOf(id)).to.equal(undefined);
    expect(await itemOf(id, '&status=purged')).to.deep.include({ status: 'purged', patient: { personnummer: null, name: null }, unreadFlags: 0 });
  });
});
