// Writes one plain closing line ("tests: N passed, N failed, N skipped") to .build/test-summary.txt;
// .ci/run prints it after Jest's own summary, so it is the run's last line. `npm test` runs Jest twice (the system
// e2e on its own, after the rest); the second run, with SPARKY_TEST_SUMMARY_ADD=1, adds its counts to the first's.
const fs = require("node:fs");
const path = require("node:path");

class SummaryReporter {
  onRunComplete(_contexts, results) {
    let { numPassedTests: passed, numFailedTests: failed, numPendingTests: skipped } = results;
    const file = path.resolve(__dirname, "../../.build/test-summary.txt");
    const earlier = process.env.SPARKY_TEST_SUMMARY_ADD === "1" && fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
    const counts = earlier.match(/^tests: (\d+) passed, (\d+) failed, (\d+) skipped/);
    if (counts) [passed, failed, skipped] = [passed + Number(counts[1]), failed + Number(counts[2]), skipped + Number(counts[3])];
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `tests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
module.exports = SummaryReporter;
