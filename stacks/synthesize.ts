import { App, TerraformStack } from "cdktf";
import { ValidateProviderPresence } from "cdktf/lib/validations/validate-provider-presence";
import { adoptionDir, githubAdoptions } from "./adoption";
import { absentContextWarnings, BuildContext, inspectBuildContexts } from "./build-contexts";
import { loadModel, readProjects } from "./load-model";
import { defineSystem, SystemStacks } from "./system";
import type { ResolvedSystem } from "../constructs/model";

export interface SynthesizeOptions {
  env: NodeJS.ProcessEnv;
  projectRoot: string;
  outdir: string;
  /** Project inputs; by default $SPARKY_PROJECTS, else the blueprints. */
  projects?: readonly unknown[];
}

/**
 * Validate (throws ModelValidationError before anything is written), read the build contexts (an absent one is a
 * warning), then synthesize every stack of the target.
 */
export function synthesize(options: SynthesizeOptions): { model: ResolvedSystem; stacks: SystemStacks; contexts: BuildContext[] } {
  const model = loadModel(options.env, options.projectRoot, options.projects ?? readProjects(options.env, options.projectRoot));
  const contexts = inspectBuildContexts(model);
  model.warnings.push(...absentContextWarnings(contexts));
  const adoptions = githubAdoptions(model, adoptionDir(options.env, options.projectRoot), model.warnings);
  // Token stack traces only help debug cdktf itself and cost a tenth of the synth time. cdktf's own validations
  // also run `terraform version` once for every stack with a `moved` block (a process each, a tenth of the synth
  // time again) to check a version the pinned engine always meets: only their provider-presence check is kept.
  const app = new App({ outdir: options.outdir, stackTraces: false, skipValidation: true });
  const stacks = defineSystem(app, model, options.projectRoot, { contexts, adoptions });
  app.synth();
  const problems = app.node
    .findAll()
    .filter(TerraformStack.isStack)
    .flatMap((stack) => new ValidateProviderPresence(stack).validate());
  if (problems.length > 0) throw new Error(`synth: ${problems.join("\n")}`);
  return { model, stacks, contexts };
}
