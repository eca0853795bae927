#!/usr/bin/env node
// Transpiles the TypeScript app into one CommonJS bundle with esbuild. Type-checking is
// deliberately not on this path (`npm run typecheck` does it), which keeps synth well under a second.
const path = require("node:path");
const esbuild = require("esbuild");

const root = path.resolve(__dirname, "..");

function buildEntry(entry, outfile) {
  esbuild.buildSync({
    entryPoints: [path.join(root, entry)],
    outfile: path.join(root, outfile),
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    packages: "external",
    sourcemap: "inline",
    logLevel: "error",
  });
  return path.join(root, outfile);
}

module.exports = { buildEntry };

if (require.main === module) {
  const [entry = "main.ts", outfile = ".build/main.js"] = process.argv.slice(2);
  buildEntry(entry, outfile);
}
