// Mocha's spec output, the time each file took (slowest first), then one closing line that CI
// reads: "N passed, N failed".
const Mocha = require('mocha');
const path = require('node:path');

class SpecWithSummary extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    this.fileMs = new Map();
    const started = new Map();
    const isTop = (suite) => suite.file && suite.parent && suite.parent.root;
    runner.on(Mocha.Runner.constants.EVENT_SUITE_BEGIN, (suite) => { if (isTop(suite)) started.set(suite, Date.now()); });
    runner.on(Mocha.Runner.constants.EVENT_SUITE_END, (suite) => {
      if (!started.has(suite)) return;
      const file = path.relative(process.cwd(), suite.file);
      this.fileMs.set(file, (this.fileMs.get(file) ?? 0) + Date.now() - started.get(suite));
    });
  }

  epilogue() {
    super.epilogue();
    if (this.fileMs.size > 1) {
      process.stdout.write('  Time per file:\n');
      for (const [file, ms] of [...this.fileMs].sort((a, b) => b[1] - a[1])) process.stdout.write(`  ${(ms / 1000).toFixed(1).padStart(7)} s  ${file}\n`);
      process.stdout.write('\n');
    }
    // `npm test` deals the next run's files to its shards by these times (scripts/shards.ts).
    if (process.env.TEST_TIMES_FILE) {
      const lines = [...this.fileMs].map(([file, ms]) => `${JSON.stringify({ file, ms })}\n`).join('');
      require('node:fs').appendFileSync(process.env.TEST_TIMES_FILE, lines);
    }
    const { passes = 0, failures = 0 } = this.stats;
    process.stdout.write(`${passes} passed, ${failures} failed\n`);
    // `npm test` (scripts/test.ts) adds the runs up for its own closing line.
    if (process.env.TEST_SUMMARY_FILE) require('node:fs').appendFileSync(process.env.TEST_SUMMARY_FILE, `${JSON.stringify({ passes, failures })}\n`);
  }
}

module.exports = SpecWithSummary;
