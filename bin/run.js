#!/usr/bin/env node
// Runs a TypeScript entry point without type-checking: `node bin/run.js tools/graph.ts dgx-pixels`.
const path = require("node:path");
const { buildEntry } = require("./build");

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  process.stderr.write("usage: node bin/run.js <file.ts> [args...]\n");
  process.exit(2);
}
process.argv = [process.argv[0], entry, ...args];
require(buildEntry(entry, path.join(".build", entry.replace(/\.ts$/, ".js"))));
