/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  // support/ holds no tests; it is a root so that watch mode follows the shared test-and-bench code too.
  roots: ["<rootDir>/test", "<rootDir>/support"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": "<rootDir>/test/support/esbuild-transform.js" },
  moduleFileExtensions: ["ts", "js", "json"],
  testTimeout: 30000,
  reporters: ["default", "<rootDir>/test/support/summary-reporter.js"],
};
