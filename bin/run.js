#!/usr/bin/env node
// Runs a TypeScript entry point without type-checking: `node bin/run.js tools/graph.ts dgx-pixels`.
const path = require("node:path");
const { cachedEntry } = require("./build");

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  process.stderr.write("usage: node bin/run.js <file.ts> [args...]\n");
  process.exit(2);
}
// npm packages bundled too: one file to load instead of hundreds of modules to resolve (half a tool's start-up).
const bundle = cachedEntry(entry, path.join(".build", entry.replace(/\.ts$/, ".js")), { bundlePackages: true });
process.argv = [process.argv[0], bundle, ...args];
// Load the bundle as the main module, so its `require.main === module` guard holds.
require("node:module").Module._load(bundle, null, true);
