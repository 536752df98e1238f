// Mocha's spec output, then one closing line that CI reads: "N passed, N failed".
const Mocha = require('mocha');

class SpecWithSummary extends Mocha.reporters.Spec {
  epilogue() {
    super.epilogue();
    const { passes = 0, failures = 0 } = this.stats;
    process.stdout.write(`${passes} passed, ${failures} failed\n`);
  }
}

module.exports = SpecWithSummary;
