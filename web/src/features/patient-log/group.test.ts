import { expect } from 'chai';
import { groupEntries } from './AccessLogPage';

describe('Loggar: repeated reads grouped by Swedish day, care unit and kind', () => {
  it('three reads by one unit on one day are one row; another day, unit or a write is its own', () => {
    const groups = groupEntries([
      { at: '2026-12-07T15:00:00.000Z', careUnitId: 'A', action: 'read' },
      { at: '2026-12-07T09:00:00.000Z', careUnitId: 'A', action: 'read' },
      { at: '2026-12-07T08:00:00.000Z', careUnitId: 'A', action: 'write' },
      { at: '2026-12-07T07:00:00.000Z', careUnitId: 'B', action: 'read' },
      { at: '2026-12-06T23:30:00.000Z', careUnitId: 'A', action: 'read' }, // 00:30 on the 7th in Stockholm
      { at: '2026-12-06T10:00:00.000Z', careUnitId: 'A', action: 'read' },
    ]);
    expect(groups.map((g) => [g.day, g.careUnitId, g.action, g.count])).to.deep.equal([
      ['2026-12-07', 'A', 'read', 3], ['2026-12-07', 'A', 'write', 1], ['2026-12-07', 'B', 'read', 1], ['2026-12-06', 'A', 'read', 1],
    ]);
  });
});
