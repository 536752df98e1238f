// `npm test` deals the server suites' files to shards by their last times (scripts/shards.ts).
import { expect } from 'chai';
import { deal } from '../scripts/shards';

describe('dealing test files to shards', () => {
  it('puts the longest files first, each on the shard with least time so far, and loses no file', () => {
    const times = { a: 100, b: 60, c: 50, d: 40, e: 10 };
    const shards = deal(Object.keys(times), times, 2);
    expect(shards.map((s) => s.files)).to.deep.equal([['a', 'd'], ['b', 'c', 'e']]);
    expect(shards.map((s) => s.ms)).to.deep.equal([140, 120]);
  });

  it('counts a file without a time as the median of the known ones, not as free', () => {
    const shards = deal(['old1', 'old2', 'old3', 'new'], { old1: 30, old2: 20, old3: 10 }, 2);
    expect(shards.map((s) => s.files)).to.deep.equal([['old1', 'old3'], ['new', 'old2']]);
  });

  it('makes no empty shard when there are fewer files than shards', () => {
    expect(deal(['x'], {}, 3)).to.deep.equal([{ files: ['x'], ms: 1 }]);
  });
});
