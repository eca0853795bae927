import { App } from "cdktf";
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
  // Token stack traces only help debug cdktf itself and cost a tenth of the synth time.
  const app = new App({ outdir: options.outdir, stackTraces: false });
  const stacks = defineSystem(app, model, options.projectRoot, { contexts, adoptions });
  app.synth();
  return { model, stacks, contexts };
}
