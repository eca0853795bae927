import * as fs from "node:fs";
import * as path from "node:path";
import { App, TerraformStack } from "cdktf";
import { ValidateProviderPresence } from "cdktf/lib/validations/validate-provider-presence";
import type { BuildContext } from "./build-contexts";
import { externalizeLiterals } from "./literal-files";
import { resolveSynthInputs, SynthInputOptions, SynthInputs } from "./synth-inputs";
import { defineSystem, SystemStacks } from "./system";
import type { ResolvedSystem } from "../constructs/model";

export interface SynthesizeOptions extends SynthInputOptions {
  outdir: string;
}

/**
 * Validate (throws ModelValidationError before anything is written), read the build contexts (an absent one is a
 * warning), then synthesize every stack of the target.
 */
export function synthesize(options: SynthesizeOptions): { model: ResolvedSystem; stacks: SystemStacks; contexts: BuildContext[] } {
  const inputs = resolveSynthInputs(options);
  const stacks = synthesizeStacks(inputs, options);
  return { model: inputs.model, stacks, contexts: inputs.contexts };
}

/** Every stack of the resolved system, written to `outdir`. */
export function synthesizeStacks(
  { model, contexts, adoptions }: SynthInputs,
  options: Pick<SynthesizeOptions, "projectRoot" | "outdir">,
): SystemStacks {
  // Token stack traces only help debug cdktf itself and cost a tenth of the synth time. cdktf's own validations
  // also run `terraform version` once for every stack with a `moved` block (a process each, a tenth of the synth
  // time again) to check a version the pinned engine always meets: only their provider-presence check is kept.
  const app = new App({ outdir: options.outdir, stackTraces: false, skipValidation: true });
  const stacks = withoutTokenStackTraces(() => {
    const defined = defineSystem(app, model, options.projectRoot, { contexts, adoptions });
    app.synth();
    return defined;
  });
  const problems = app.node
    .findAll()
    .filter(TerraformStack.isStack)
    .flatMap((stack) => new ValidateProviderPresence(stack).validate());
  if (problems.length > 0) throw new Error(`synth: ${problems.join("\n")}`);
  const manifest = JSON.parse(fs.readFileSync(path.join(options.outdir, "manifest.json"), "utf8")) as {
    stacks: Record<string, { workingDirectory: string; synthesizedStackPath: string }>;
  };
  for (const stack of Object.values(manifest.stacks)) {
    const dir = path.join(options.outdir, stack.workingDirectory);
    const file = path.join(options.outdir, stack.synthesizedStackPath);
    fs.writeFileSync(file, JSON.stringify(externalizeLiterals(JSON.parse(fs.readFileSync(file, "utf8")), dir), null, 2));
  }
  return stacks;
}

/**
 * cdktf captures and formats a full stack trace for every token it makes (thousands per synth: about a third of
 * the synth time), and nothing reads them. Formatting is the costly part, and V8 asks Error.prepareStackTrace for
 * it: for cdktf's trace holders (plain objects) it returns nothing; real errors keep V8's usual text.
 */
function withoutTokenStackTraces<T>(work: () => T): T {
  const previous = Error.prepareStackTrace;
  Error.prepareStackTrace = (target: unknown, frames: NodeJS.CallSite[]) => {
    if (!(target instanceof Error)) return "";
    if (previous) return previous(target, frames);
    return [String(target), ...frames.map((frame) => `    at ${String(frame)}`)].join("\n");
  };
  try {
    return work();
  } finally {
    Error.prepareStackTrace = previous;
  }
}
