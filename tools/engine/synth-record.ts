// When a command may reuse the last synth instead of synthesizing again: a synth is a third of a no-op deploy's
// time, and the everyday loop runs one per command while the code and the model rarely change between two.
// A synth's output depends only on the code and on what resolveSynthInputs returns (the resolved model, the build
// contexts, the adoption maps), plus where it is written; a digest of all of them is its key. The record beside the
// output keeps that key and the sha256 of every file the synth wrote. The output is reused only when the key is the
// same and every file is as written: a hand edit, a deleted stack or a stray config file means a new synth.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type { SynthInputs } from "../../stacks/synth-inputs";
import { filesUnder } from "./files";

const RECORD_FILE = ".sparky-synth.json";

/** What the engine writes among the synthesized files, which a synth neither writes nor reads. */
const ENGINE_FILES = [/^\.terraform$/, /^\.terraform\.lock\.hcl$/, /\.tfplan$/, /\.tfstate(\.backup)?$/];

/** Source directories whose files only tools run: they never change what a synth writes. */
const TOOL_SOURCES = ["tools/", "bin/", "bench/", "test/"];

interface SynthRecord {
  key: string;
  /** Every file the synth wrote (path relative to the output directory) and its sha256. */
  files: Record<string, string>;
}

/**
 * The code a synth runs, when this process runs from a bundle (bin/build.js lists the sources it was built from
 * with their size and modification time, and bin/run.js rebuilds it when one changed): the non-tool sources, so
 * every tool's bundle agrees. Undefined otherwise (sources loaded one by one): then nothing is reused.
 */
export function synthCodeIdentity(bundle: string = __filename): string | undefined {
  try {
    const built = JSON.parse(fs.readFileSync(`${bundle}.inputs.json`, "utf8")) as { inputs: Record<string, unknown> };
    const sources = Object.entries(built.inputs)
      .filter(([file]) => !TOOL_SOURCES.some((dir) => file.startsWith(dir)))
      .sort(([a], [b]) => a.localeCompare(b));
    return createHash("sha256").update(JSON.stringify(sources)).digest("hex");
  } catch {
    return undefined;
  }
}

/** The key of a synth of `inputs` by `code` into `outdir`. */
export function synthKey(code: string, inputs: SynthInputs, projectRoot: string, outdir: string): string {
  const { model, contexts, adoptions } = inputs;
  return createHash("sha256").update(code).update(JSON.stringify({ projectRoot, outdir, model, contexts, adoptions })).digest("hex");
}

/** Records that `dir` holds the output of the synth with this key (call right after the synth wrote it). */
export function writeSynthRecord(dir: string, key: string): void {
  const files = Object.fromEntries(synthesizedFiles(dir).map((file) => [file, sha256Of(path.join(dir, file))]));
  const record: SynthRecord = { key, files };
  fs.writeFileSync(path.join(dir, RECORD_FILE), JSON.stringify(record), { mode: 0o600 });
}

/** Whether `outdir` holds, unchanged, the output of the synth with this key. */
export function reusableSynth(outdir: string, key: string): boolean {
  let record: SynthRecord;
  try {
    record = JSON.parse(fs.readFileSync(path.join(outdir, RECORD_FILE), "utf8")) as SynthRecord;
  } catch {
    return false;
  }
  if (record.key !== key) return false;
  const found = synthesizedFiles(outdir);
  if (found.length !== Object.keys(record.files).length) return false;
  return found.every((file) => record.files[file] !== undefined && sha256Of(path.join(outdir, file)) === record.files[file]);
}

/** Every file under `dir` but the engine's and the record itself, relative to `dir`. */
const synthesizedFiles = (dir: string) =>
  filesUnder(dir, (name, relative) => relative === RECORD_FILE || ENGINE_FILES.some((pattern) => pattern.test(name)));

const sha256Of = (file: string) => createHash("sha256").update(fs.readFileSync(file)).digest("hex");
