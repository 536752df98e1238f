// Every identifier the API can send has Swedish words in the web app (issue 24): a new flag, timeline
// or status type without a label fails here, before a clinician ever sees "activity_missed".
import { expect } from 'chai';
import { FLAG_TYPES, TIMELINE_TYPES } from '../domain/types';
import { flagTypeText, statusText, timelineTypeText } from '../web/src/utils/format';
import { entryDetail } from '../web/src/features/timeline/entry';

describe('Swedish labels for the API\'s enums (no server)', () => {
  it('every flag type, timeline type and status has a label', () => {
    expect(FLAG_TYPES.filter((t) => !flagTypeText[t]), 'flag types without a label').to.deep.equal([]);
    expect(TIMELINE_TYPES.filter((t) => !timelineTypeText[t]), 'timeline types without a label').to.deep.equal([]);
    expect(['invited', 'active', 'ended', 'maintenance', 'purged'].filter((s) => !statusText[s]), 'statuses without a label').to.deep.equal([]);
    for (const label of [...Object.values(flagTypeText), ...Object.values(timelineTypeText)]) expect(label).to.not.match(/_|[a-z]+[A-Z]/);
  });

  it('a change of contact says what changed and who changed it, never the address', () => {
    const entry = (data: Record<string, unknown>) => ({ id: 'x', type: 'contact_changed', at: '2026-12-07T10:00:00Z', actor: null, moduleId: null, ref: null, data }) as Parameters<typeof entryDetail>[0];
    expect(entryDetail(entry({ channel: 'sms', by: 'patient' }), () => undefined)).to.equal('Mobilnummer, ändrat av invånaren');
    expect(entryDetail(entry({ channel: 'email', by: 'clinician' }), () => undefined)).to.equal('E-post, ändrat av behandlaren');
  });
});
