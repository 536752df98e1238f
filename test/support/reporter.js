// Mocha's spec output, then one closing line that CI reads: "N passed, N failed".
const Mocha = require('mocha');

class SpecWithSummary extends Mocha.reporters.Spec {
  epilogue() {
    super.epilogue();
    const { passes = 0, failures = 0 } = this.stats;
    process.stdout.write(`${passes} passed, ${failures} failed\n`);
    // `npm test` (scripts/test.ts) adds the runs up for its own closing line.
    if (process.env.TEST_SUMMARY_FILE) require('node:fs').appendFileSync(process.env.TEST_SUMMARY_FILE, `${JSON.stringify({ passes, failures })}\n`);
  }
}

module.exports = SpecWithSummary;
