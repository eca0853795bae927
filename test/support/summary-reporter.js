// Writes one plain closing line ("tests: N passed, N failed, N skipped") to .build/test-summary.txt;
// .ci/run prints it after Jest's own summary, so it is the run's last line.
const fs = require("node:fs");
const path = require("node:path");

class SummaryReporter {
  onRunComplete(_contexts, results) {
    const { numPassedTests: passed, numFailedTests: failed, numPendingTests: skipped } = results;
    const file = path.resolve(__dirname, "../../.build/test-summary.txt");
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `tests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
module.exports = SummaryReporter;
