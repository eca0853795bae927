#!/usr/bin/env node
// Transpiles TypeScript entry points into CommonJS bundles with esbuild. Type-checking is deliberately not on
// this path (`npm run typecheck` does it), which keeps synth well under a second.
const fs = require("node:fs");
const path = require("node:path");
const esbuild = require("esbuild");

const root = path.resolve(__dirname, "..");

/**
 * Bundles `entry` into `outfile`. With `bundlePackages`, npm packages are bundled too: one file to load instead
 * of hundreds of modules to resolve, which saves about a quarter of the app's start-up.
 */
function buildEntry(entry, outfile, { bundlePackages = false } = {}) {
  esbuild.buildSync({
    entryPoints: [path.join(root, entry)],
    outfile: path.join(root, outfile),
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    packages: bundlePackages ? undefined : "external",
    sourcemap: bundlePackages ? false : "inline",
    logLevel: "error",
  });
  return path.join(root, outfile);
}

/** Newest modification time of the project's own sources and the lock file. */
function newestSource() {
  let newest = fs.statSync(path.join(root, "package-lock.json")).mtimeMs;
  const visit = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (entry.name.endsWith(".ts")) newest = Math.max(newest, fs.statSync(full).mtimeMs);
    }
  };
  newest = Math.max(newest, fs.statSync(path.join(root, "main.ts")).mtimeMs);
  for (const dir of ["constructs", "stacks", "blueprints", "config", "tools/engine"]) visit(path.join(root, dir));
  return newest;
}

/** The app bundle, rebuilt only when a source is newer than it. */
function appBundle() {
  const outfile = ".build/app.js";
  const bundle = path.join(root, outfile);
  if (fs.existsSync(bundle) && fs.statSync(bundle).mtimeMs >= newestSource()) return bundle;
  return buildEntry("main.ts", outfile, { bundlePackages: true });
}

module.exports = { buildEntry, appBundle };

if (require.main === module) {
  const [entry = "main.ts", outfile = ".build/main.js"] = process.argv.slice(2);
  buildEntry(entry, outfile, { bundlePackages: entry === "main.ts" });
}
