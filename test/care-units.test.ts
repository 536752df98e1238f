// Care units by name (issues 24 and 25): CARE_UNIT_REGIONS names units beside their regions, a
// clinician reads their own units with names (GET /api/care-units), and the patient's Loggar names
// the unit that read the data, never by its id; a unit without a name is "Okänd vårdenhet".
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { ConfigError, ensureDevSecrets, loadConfig } from '../infra/config';
import { DEV_CARE_UNITS } from '../dev/care-units';
import { harness, type Harness } from './support/harness';
import { testPersonnummer } from './support/fixtures';

describe('care units by name', function () {
  this.timeout(120_000);

  describe('CARE_UNIT_REGIONS (configuration)', () => {
    let dataDir: string;
    before(() => { dataDir = mkdtempSync(path.join(os.tmpdir(), 'tobakshjalpen-units-')); ensureDevSecrets({ DATA_DIR: dataDir }); });
    after(() => rmSync(dataDir, { recursive: true, force: true }));
    const load = (value: string) => loadConfig({ DATA_DIR: dataDir, CARE_UNIT_REGIONS: value }, { auth: false });

    it('maps a unit to a region (a string) or to {region, name}; only units with a region count for statistics', () => {
      const config = load(JSON.stringify({
        'unit-x': 'gavleborg',
        'unit-y': { region: 'gavleborg', name: 'Vårdcentralen Gävle' },
        'unit-z': { name: 'Tobaksmottagningen Sandviken' },
      }));
      expect(config.careUnitRegions).to.deep.equal({ 'unit-x': 'gavleborg', 'unit-y': 'gavleborg' });
      expect(config.careUnitNames).to.deep.equal({ 'unit-y': 'Vårdcentralen Gävle', 'unit-z': 'Tobaksmottagningen Sandviken' });
    });

    it('unset: no regions and no names', () => {
      const config = loadConfig({ DATA_DIR: dataDir }, { auth: false });
      expect(config.careUnitRegions).to.deep.equal({});
      expect(config.careUnitNames).to.deep.equal({});
    });

    it('refuses anything else with one line naming the setting', () => {
      for (const bad of ['{"unit-x": 5}', '{"unit-x": {"name": ""}}', '{"unit-x": {"title": "X"}}', '{"unit-x": ["a"]}', '{not json']) {
        expect(() => load(bad), bad).to.throw(ConfigError, /^configuration: CARE_UNIT_REGIONS/);
      }
    });
  });

  describe('the API (real servers)', () => {
    let h: Harness;
    const hsaId = `SE2321000016-U${Date.now() % 100000}`;
    before(async () => { h = await harness(); });

    it('GET /api/care-units: the clinician\'s own units in the token\'s order, with name and region; an unnamed unit is "Okänd vårdenhet", never its id', async () => {
      const clinician = await h.token({ role: 'clinician', sub: hsaId, careUnits: ['unit-b', 'unit-stat-1', 'unit-unnamed-1', 'unit-a'] });
      const res = await h.request('GET', '/api/care-units', { token: clinician });
      expect(res.status).to.equal(200);
      expect(res.body).to.deep.equal({
        items: [
          { id: 'unit-b', name: DEV_CARE_UNITS['unit-b']!.name, region: null },
          { id: 'unit-stat-1', name: 'Okänd vårdenhet', region: 'region-x' },
          { id: 'unit-unnamed-1', name: 'Okänd vårdenhet', region: null },
          { id: 'unit-a', name: DEV_CARE_UNITS['unit-a']!.name, region: null },
        ],
      });
      expect(DEV_CARE_UNITS['unit-a']!.name).to.equal('Vårdcentralen Aspudden');
    });

    it('is for clinicians: a patient and operations staff are refused, no token is 401', async () => {
      const patient = await h.token({ role: 'patient', sub: testPersonnummer() });
      const ops = await h.token({ role: 'ops', sub: 'ops-units' });
      expect((await h.request('GET', '/api/care-units', { token: patient })).status).to.equal(403);
      expect((await h.request('GET', '/api/care-units', { token: ops })).status).to.equal(403);
      expect((await h.request('GET', '/api/care-units')).status).to.equal(401);
    });

    it('the patient\'s access log names the unit that read (the one acted for), and operations staff as Drift', async () => {
      const pnr = testPersonnummer();
      const clinician = await h.token({ role: 'clinician', sub: hsaId, careUnits: ['unit-a', 'unit-b'] });
      const started = await h.request('POST', '/api/treatments', { token: clinician, body: { personnummer: pnr, programId: 'tobakshjalpen', careUnitId: 'unit-a' } });
      expect(started.status).to.equal(201);
      const id = started.body.id as string;
      const patient = await h.token({ role: 'patient', sub: pnr });
      expect((await h.request('GET', '/api/me/treatment', { token: patient })).status).to.equal(200);
      expect((await h.request('GET', `/api/treatments/${id}`, { token: clinician })).status).to.equal(200);
      // Acting for unit B (the unit chosen in the web app, sent as x-care-unit).
      const asB = await fetch(`${h.baseUrl}/api/treatments/${id}`, { headers: { authorization: `Bearer ${clinician}`, 'x-care-unit': 'unit-b' } });
      expect(asB.status).to.equal(200);
      // Operations staff's log review of this patient is an access too.
      const ops = await h.token({ role: 'ops', sub: 'ops-units' });
      const now = Date.now();
      const review = await h.request('POST', '/api/ops/access-log/search', { token: ops, body: { personnummer: pnr, from: new Date(now - 3_600_000).toISOString(), to: new Date(now + 60_000).toISOString() } });
      expect(review.status).to.equal(200);

      const log = await h.request('GET', '/api/me/access-log', { token: patient });
      expect(log.status).to.equal(200);
      const items = log.body.items as Array<{ careUnitId: string; careUnitName: string; action: string }>;
      const names = new Set(items.map((i) => i.careUnitName));
      expect([...names]).to.include.members(['Vårdcentralen Aspudden', 'Vårdcentralen Bagarmossen', 'Drift (teknisk personal)']);
      for (const i of items) {
        expect(i.careUnitName).to.not.match(/unit-/);
        if (i.careUnitId === 'unit-a') expect(i.careUnitName).to.equal('Vårdcentralen Aspudden');
        if (i.careUnitId === 'unit-b') expect(i.careUnitName).to.equal('Vårdcentralen Bagarmossen');
        if (i.careUnitId === 'drift') expect(i.careUnitName).to.equal('Drift (teknisk personal)');
      }
    });

    it('a unit without a name is "Okänd vårdenhet" in the patient\'s log too', async () => {
      const pnr = testPersonnummer();
      const clinician = await h.token({ role: 'clinician', sub: hsaId, careUnits: ['unit-unnamed-2'] });
      const started = await h.request('POST', '/api/treatments', { token: clinician, body: { personnummer: pnr, programId: 'tobakshjalpen', careUnitId: 'unit-unnamed-2' } });
      const patient = await h.token({ role: 'patient', sub: pnr });
      await h.request('GET', '/api/me/treatment', { token: patient });
      await h.request('GET', `/api/treatments/${started.body.id}`, { token: clinician });
      const log = await h.request('GET', '/api/me/access-log', { token: patient });
      expect(log.body.items.length).to.be.greaterThan(0);
      for (const i of log.body.items) expect(i).to.include({ careUnitId: 'unit-unnamed-2', careUnitName: 'Okänd vårdenhet' });
    });
  });
});
