// What every command does before the engine runs: synthesize once in process, select the stacks, check every
// secret they need, and build the masker. Bad input (an invalid model, no matching stack, a missing or short
// secret) fails here, before anything changes and before the output directory is touched.
import * as fs from "node:fs";
import * as path from "node:path";
import type { ResolvedSystem } from "../../constructs/model";
import type { BuildContext } from "../../stacks/build-contexts";
import { resolveSynthInputs } from "../../stacks/synth-inputs";
import { InputError } from "./args";
import { createMasker, Masker } from "./mask";
import { resolveSecrets, secretsOf } from "./secrets";
import { selectStacks, splitPatterns } from "./select";
import { SynthesizedStack, synthesizedStacks } from "./stacks";
import { withoutUnnamedStateServers } from "./state-server";
import { tightenStackFiles } from "./file-modes";
import { toolchainEnv } from "./toolchain";
import { reusableSynth, synthCodeIdentity, synthKey, writeSynthRecord } from "./synth-record";
import { memoryBudgetLines } from "../../stacks/memory-report";
import { formatWarning } from "../../stacks/warnings";

export interface PrepareOptions {
  env: NodeJS.ProcessEnv;
  projectRoot: string;
  /** The synthesized output directory (cdktf.out). */
  outdir: string;
  /** Project inputs (the blueprints, or $SPARKY_PROJECTS, by default). */
  projects?: readonly unknown[];
  /** Stack name patterns; every stack when empty. */
  stacks?: readonly string[] | string;
  /** Use the stacks already in `outdir` instead of synthesizing (default true). */
  synth?: boolean;
  /** Refuse stacks that build from a context absent at synth (diff, deploy): before anything is written. */
  requireBuildContexts?: boolean;
  /** Check the selected stacks' secrets (default true); commands that only read state (outputs) need none. */
  checkSecrets?: boolean;
  /**
   * Picks the stacks to run from every synthesized one (default: the ones matching `stacks`); a state server's own
   * stack is among them only when a pattern naming "state" matches it.
   */
  select?: (all: SynthesizedStack[]) => SynthesizedStack[];
  log?: (line: string) => void;
}

export interface PreparedStacks {
  /** Undefined with `synth: false`. */
  model?: ResolvedSystem;
  /** The build contexts synth read (empty with `synth: false`). */
  contexts: BuildContext[];
  all: SynthesizedStack[];
  selected: SynthesizedStack[];
  /** The caller's environment plus what the secrets check found (GITHUB_TOKEN from `gh auth token`). */
  env: NodeJS.ProcessEnv;
  /** Masks the values of every stack's secrets (whatever their names) and everything else secret in `env`. */
  masker: Masker;
}

export class NoStacksError extends InputError {}

export function prepareStacks(options: PrepareOptions): PreparedStacks {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const outdir = path.resolve(options.outdir);
  const inputs = options.synth === false ? undefined : resolveSynthInputs({ ...options, env: toolchainEnv(options.env) });
  const code = inputs && synthCodeIdentity();
  const key = inputs && code && synthKey(code, inputs, options.projectRoot, outdir);
  // Synthesized next to the output directory (same depth: the state paths in it stay valid), and moved into
  // place only once the checks pass; or the last synth, when nothing it read changed (see synth-record.ts).
  const synth = inputs !== undefined && !(key && reusableSynth(outdir, key));
  const staging = synth ? `${outdir}.staging-${process.pid}` : outdir;
  const parent = path.dirname(outdir);
  const parentExisted = fs.existsSync(parent);
  let installed = false;
  try {
    if (inputs) {
      for (const warning of inputs.model.warnings) log(formatWarning(warning));
      for (const line of memoryBudgetLines(inputs.model)) log(line);
    }
    if (synth) {
      fs.rmSync(staging, { recursive: true, force: true });
      fs.mkdirSync(parent, { recursive: true });
      // Loaded only for a synth: a command that reuses the last one never loads cdktf (see synth-inputs.ts).
      const { synthesizeStacks } = require("../../stacks/synthesize") as typeof import("../../stacks/synthesize");
      synthesizeStacks(inputs, { projectRoot: options.projectRoot, outdir: staging });
      if (key) writeSynthRecord(staging, key);
    }
    const all = synthesizedStacks(staging);
    const candidates = withoutUnnamedStateServers(all, options.stacks);
    const selected = options.select ? options.select(candidates) : selectStacks(candidates, options.stacks);
    if (selected.length === 0)
      throw new NoStacksError(
        `no stack matches ${
          splitPatterns(options.stacks)
            .map((p) => `"${p}"`)
            .join(", ") || "the selection"
        }; the stacks are: ${all.map((s) => s.name).join(", ")}`,
      );
    if (options.requireBuildContexts) requireBuildContexts(selected, inputs?.contexts ?? []);
    const found = options.checkSecrets === false ? {} : resolveSecrets(selected, options.env);
    const env = { ...options.env, ...found };
    const masker = createMasker({ env, names: secretsOf(all).map((s) => s.name) });
    if (synth) installSynth(staging, outdir);
    installed = true;
    const moved = (s: SynthesizedStack) => ({ ...s, dir: path.join(outdir, path.relative(staging, s.dir)) });
    for (const stack of selected) for (const note of tightenStackFiles(moved(stack))) log(`sparky-infra: ${note}`);
    return { model: inputs?.model, contexts: inputs?.contexts ?? [], all: all.map(moved), selected: selected.map(moved), env, masker };
  } finally {
    if (synth) fs.rmSync(staging, { recursive: true, force: true });
    // Nothing written on failure: not even the output directory's parent (e.g. a fresh --out directory).
    if (!installed && !parentExisted && fs.existsSync(parent) && fs.readdirSync(parent).length === 0) fs.rmdirSync(parent);
  }
}

/** What survives a new synth in each stack directory: the engine's providers and lock file (init is slow). */
const KEPT_IN_STACK_DIR = [".terraform", ".terraform.lock.hcl"];

function installSynth(staging: string, outdir: string): void {
  const stacksDir = path.join(staging, "stacks");
  for (const name of fs.existsSync(stacksDir) ? fs.readdirSync(stacksDir) : [])
    for (const kept of KEPT_IN_STACK_DIR) {
      const from = path.join(outdir, "stacks", name, kept);
      if (fs.existsSync(from)) fs.renameSync(from, path.join(stacksDir, name, kept));
    }
  fs.rmSync(outdir, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(outdir), { recursive: true });
  fs.renameSync(staging, outdir);
}

/** A stack that builds from a context absent at synth fails here, first, naming the path and the config key. */
export function requireBuildContexts(selected: readonly SynthesizedStack[], contexts: readonly BuildContext[]): void {
  const names = new Set(selected.map((s) => s.name));
  const absent = contexts.filter((c) => c.sha256 === undefined && names.has(c.stack));
  if (absent.length === 0) return;
  const byDir = new Map<string, BuildContext[]>();
  for (const c of absent) byDir.set(c.dir, [...(byDir.get(c.dir) ?? []), c]);
  throw new InputError(
    [
      "build contexts are missing; nothing was planned or changed:",
      ...[...byDir.entries()].map(
        ([dir, cs]) =>
          `  ${dir} (${cs.map((c) => `${c.stack}: ${c.service}`).join(", ")}): check the sources out there, or set ${cs[0].sourceKey} to a checkout`,
      ),
    ].join("\n"),
  );
}
