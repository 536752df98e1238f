import { expect } from 'chai';
import { nextSort, sortState } from './sort';

describe('web overview sort', () => {
  it('a header sorts ascending, then descending, then ascending again', () => {
    expect(nextSort('-startedAt', 'name')).to.equal('name');
    expect(nextSort('name', 'name')).to.equal('-name');
    expect(nextSort('-name', 'name')).to.equal('name');
  });
  it('aria-sort only on the sorted column', () => {
    expect(sortState('-startedAt', 'startedAt')).to.equal('descending');
    expect(sortState('startedAt', 'startedAt')).to.equal('ascending');
    expect(sortState('startedAt', 'name')).to.equal(undefined);
  });
});
