// The one table of patient notices (issue 22), without a server: every notice type has a neutral
// form naming nothing revealing and a full form naming the program; which form an address gets.
import { expect } from 'chai';
import { PATIENT_NOTICES, patientNoticeForm, render } from '../infra/notify';
import { PATIENT_NOTICE_TYPES } from '../domain/types';
import { FULL_TEXT, NEUTRAL_TEXT, REVEALING } from './support/notice-texts';

describe('patient notices: the one table (no server)', () => {
  it('one table: every notice type has a neutral form without a revealing word and a full form naming the program', () => {
    expect(Object.keys(PATIENT_NOTICES).sort()).to.deep.equal([...PATIENT_NOTICE_TYPES].sort());
    for (const notice of PATIENT_NOTICE_TYPES) {
      const neutral = render({ kind: 'patient', notice, form: 'neutral', readableUntil: '2027-03-01', step: 'Steg 5: Uppföljning efter 3 månader' }, 'https://tobak.example.se');
      expect(`${neutral.subject} ${neutral.text}`, notice).to.not.match(REVEALING).and.not.match(/2027/);
      expect(neutral.text, notice).to.match(NEUTRAL_TEXT[notice]);
      const full = render({ kind: 'patient', notice, form: 'full', readableUntil: '2027-03-01', step: notice === 'forms_reminder' ? 'Steg 4: Återkoppling – en framtid som tobaksfri' : 'Steg 5: Uppföljning efter 3 månader' }, 'https://tobak.example.se');
      expect(full.text, notice).to.match(/Tobakshjälpen/).and.match(FULL_TEXT[notice]);
    }
    // Which form an address gets.
    expect(patientNoticeForm('070-1', '070-1', null)).to.equal('full');
    expect(patientNoticeForm('070-1', null, '070-1')).to.equal('neutral');
    expect(patientNoticeForm('070-2', '070-1', '070-1')).to.equal(null);
    expect(patientNoticeForm(null, null, null)).to.equal(null);
    // The flag e-mail links to the treatment's page in the web app.
    expect(render({ kind: 'flag', flag: 'message_received', treatmentId: 'abc' }, 'https://tobak.example.se').text).to.contain('https://tobak.example.se/behandlare/behandlingar/abc');
  });
});
