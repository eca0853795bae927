#!/usr/bin/env node
// Runs the local GitHub REST emulator (support/github-emulator) on 127.0.0.1.
//   node bin/github-emulator.js [--port N] [--owner ORG] [--token T] [--owner-type User] [--verbose]
// Port/owner/token also come from GITHUB_EMULATOR_PORT / GITHUB_EMULATOR_OWNER / GITHUB_EMULATOR_TOKEN.
// Prints the base URL (use it as the provider's base_url) and serves until SIGINT/SIGTERM.
const { cachedEntry } = require("./build");
require(cachedEntry("support/github-emulator/cli.ts", ".build/github-emulator.js", { bundlePackages: true }));
