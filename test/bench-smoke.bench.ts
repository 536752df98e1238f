// A few iterations of `npm run bench`, so the benchmark keeps working. No timing is asserted here:
// figures are read from bench/results.json of a full run, as ratios to baselines of the same run.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { withTable } from '../bench/readme';

const ROOT = path.join(__dirname, '..');

describe('benchmark smoke run', function () {
  this.timeout(300_000);
  it('runs every measurement end to end and writes its results', () => {
    const env: NodeJS.ProcessEnv = { ...process.env, BENCH_SMOKE: '1' };
    for (const k of ['TEMPORAL_ADDRESS', 'MONGODB_URI', 'PROGRAM_OVERRIDES']) delete env[k];
    const run = spawnSync(process.execPath, ['--expose-gc', path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'bench/run.ts'], { cwd: ROOT, env, encoding: 'utf8', timeout: 280_000 });
    expect(run.status, `${run.stdout}\n${run.stderr}`.slice(-3000)).to.equal(0);
    const results = JSON.parse(readFileSync(path.join(ROOT, 'bench', 'results.smoke.json'), 'utf8'));
    expect(results.machine.smoke).to.equal(true);
    expect(results.baselines.B0_workflowsPerSecond['8'].median).to.be.greaterThan(0);
    expect(results.application.startTreatmentPerSecond['32'].ratio).to.be.greaterThan(0);
    expect(results.application.simulatedYearHistory.events).to.be.greaterThan(50);
    expect(results.application.timerLatenessMs.count).to.equal(20);
    // The overview at a small and a large unit, each against a bare read of the same rows.
    expect(results.application.overview.map((o: { treatments: number }) => o.treatments)).to.deep.equal([100, 200]);
    for (const o of results.application.overview) expect(o.ratioP99ToBareRead).to.be.greaterThan(0);
    expect(run.stdout).to.contain('| POST /api/treatments, concurrency 1');
    // Every figure machine-readable, and the README's table made from them (never typed).
    for (const f of results.figures) expect(f).to.include.keys('name', 'value', 'unit', 'baseline', 'ratio', 'target');
    expect(results.figures.find((f: { name: string }) => f.name === 'command round trip p99').ratio).to.be.greaterThan(0);
    expect(results.application.commandRoundTripMs.B4floorMs.p99).to.be.greaterThan(0);
    expect(results.application.commandsAtScale.commands).to.equal(results.application.commandsAtScale.clients * 2);
    const readme = withTable('a\n<!-- bench:start -->\nold\n<!-- bench:end -->\nb', results);
    expect(readme).to.match(/^a\n<!-- bench:start -->\nsmoke run/).and.contain('| command round trip p99 |').and.contain('<!-- bench:end -->\nb');
    expect(readme).to.not.contain('old');
  });
});
