import { expect } from 'chai';
import { entryDetail, type TimelineEntry } from './entry';

const entry = (more: Partial<TimelineEntry>): TimelineEntry => ({ id: '1', type: 'module_opened', at: '2026-01-01T00:00:00Z', actor: null, moduleId: null, ref: null, data: null, ...more });

describe('web timeline entries in words', () => {
  it('a note by its kind and text; an end with Vidmakthåll; else the module\'s title', () => {
    expect(entryDetail(entry({ type: 'note', data: { kind: 'phone', text: 'Ringde' } }), () => undefined)).to.equal('Telefonsamtal: Ringde');
    expect(entryDetail(entry({ type: 'treatment_ended', data: { reason: 'done', maintenance: true } }), () => undefined)).to.equal('med Vidmakthåll');
    expect(entryDetail(entry({ moduleId: 'step-1' }), (id) => (id === 'step-1' ? 'Steg 1' : undefined))).to.equal('Steg 1');
    expect(entryDetail(entry({}), () => 'x')).to.equal('');
  });
});
