// What a synth reads besides the code, resolved and validated without cdktf: a command that reuses the last synth
// (tools/engine/synth-record.ts) never loads cdktf or the provider bindings, a third of its start-up.
import { adoptionDir, githubAdoptions } from "./adoption";
import { absentContextWarnings, BuildContext, inspectBuildContexts } from "./build-contexts";
import { loadModel, readProjects } from "./load-model";
import type { GitHubAdoption, ResolvedSystem } from "../constructs/model";

export interface SynthInputOptions {
  env: NodeJS.ProcessEnv;
  projectRoot: string;
  /** Project inputs; by default $SPARKY_PROJECTS, else the blueprints. */
  projects?: readonly unknown[];
}

/** Everything a synth reads besides the code: the resolved model, the build contexts and the adoption maps. */
export interface SynthInputs {
  model: ResolvedSystem;
  contexts: BuildContext[];
  adoptions: Record<string, GitHubAdoption>;
}

/** What a synth of these options reads, validated; nothing is written. */
export function resolveSynthInputs(options: SynthInputOptions): SynthInputs {
  const model = loadModel(options.env, options.projectRoot, options.projects ?? readProjects(options.env, options.projectRoot));
  const contexts = inspectBuildContexts(model);
  model.warnings.push(...absentContextWarnings(contexts));
  const adoptions = githubAdoptions(model, adoptionDir(options.env, options.projectRoot), model.warnings);
  return { model, contexts, adoptions };
}
