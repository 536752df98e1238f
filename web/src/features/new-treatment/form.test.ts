import { expect } from 'chai';
import { startBody, startSchema } from './form';

const base = { personnummer: '19900101-1234', programId: 'tobakshjalpen', careUnitId: 'VE1', name: '', phone: '', email: '', welcome: '' };

describe('web Starta ny behandling: the form\'s checks', () => {
  it('a malformed personnummer or e-mail is named at its field, in Swedish', () => {
    const r = startSchema.safeParse({ ...base, personnummer: '1990', email: 'inte-en-adress' });
    expect(r.success).to.equal(false);
    expect(r.error?.issues.map((i) => i.path[0])).to.deep.equal(['personnummer', 'email']);
    expect(r.error?.issues[0]?.message).to.match(/^Ogiltigt personnummer/);
  });
  it('the body carries only what was given', () => {
    const v = startSchema.parse({ ...base, name: ' Astrid ', email: 'a@example.se' });
    expect(startBody(v)).to.deep.equal({ personnummer: '19900101-1234', programId: 'tobakshjalpen', careUnitId: 'VE1', patient: { name: 'Astrid', email: 'a@example.se' } });
    expect(startBody(startSchema.parse(base))).to.not.have.property('patient');
  });
});
