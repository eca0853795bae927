#!/usr/bin/env node
// Transpiles TypeScript entry points into CommonJS bundles with esbuild. Type-checking is deliberately not on
// this path (`npm run typecheck` does it), which keeps synth well under a second.
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");

/**
 * Bundles `entry` into `outfile`. With `bundlePackages`, npm packages are bundled too: one file to load instead
 * of hundreds of modules to resolve, which saves about a quarter of the app's start-up.
 */
function buildEntry(entry, outfile, { bundlePackages = false } = {}) {
  const started = Date.now();
  // Loaded only to build: a run that finds its bundle up to date never pays for it.
  const result = require("esbuild").buildSync({
    absWorkingDir: root,
    entryPoints: [path.join(root, entry)],
    outfile: path.join(root, outfile),
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    packages: bundlePackages ? undefined : "external",
    sourcemap: bundlePackages ? false : "inline",
    logLevel: "error",
    metafile: true,
    write: false,
  });
  const bundle = path.join(root, outfile);
  fs.mkdirSync(path.dirname(bundle), { recursive: true });
  // Written whole, then renamed: a run starting meanwhile loads the old bundle or the new one, never half of one.
  const temporary = `${bundle}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, result.outputFiles[0].contents);
  fs.renameSync(temporary, bundle);
  // What it was built from, unless a source changed while it was being built (then the next run builds again).
  const inputs = Object.fromEntries(Object.keys(result.metafile.inputs).map((file) => [file, stamp(file)]));
  if (Object.values(inputs).every((s) => s && s.mtimeMs < started))
    fs.writeFileSync(inputsFile(bundle), JSON.stringify({ bundlePackages, inputs }));
  else fs.rmSync(inputsFile(bundle), { force: true });
  return bundle;
}

const inputsFile = (bundle) => `${bundle}.inputs.json`;

function stamp(file) {
  try {
    const { mtimeMs, size } = fs.statSync(path.join(root, file));
    return { mtimeMs, size };
  } catch {
    return undefined;
  }
}

/**
 * The bundle of `entry`, built only when one of the files it was last built from changed (esbuild's own list of
 * them): a tool then starts without bundling, a third of its start-up.
 */
function cachedEntry(entry, outfile, options = {}) {
  const bundle = path.join(root, outfile);
  try {
    const built = JSON.parse(fs.readFileSync(inputsFile(bundle), "utf8"));
    const unchanged =
      built.bundlePackages === Boolean(options.bundlePackages) &&
      Object.entries(built.inputs).every(([file, was]) => {
        const now = stamp(file);
        return now && now.mtimeMs === was.mtimeMs && now.size === was.size;
      });
    if (unchanged && fs.existsSync(bundle)) return bundle;
  } catch {
    // not built yet, or built by an older version of this file
  }
  return buildEntry(entry, outfile, options);
}

/** The app bundle (main.ts with its npm packages). */
const appBundle = () => cachedEntry("main.ts", ".build/app.js", { bundlePackages: true });

module.exports = { buildEntry, cachedEntry, appBundle };

if (require.main === module) {
  const [entry = "main.ts", outfile = ".build/main.js"] = process.argv.slice(2);
  buildEntry(entry, outfile, { bundlePackages: entry === "main.ts" });
}
