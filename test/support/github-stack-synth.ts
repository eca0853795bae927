// One project's `<id>-github` stack synthesized on its own (Testing.synth), for assertions on its resources.
import { Testing } from "cdktf";
import { ProjectSchema, type Project, type ProjectInput } from "../../constructs/model";
import { ProjectGitHubStack } from "../../stacks/project-github-stack";

export type Synth = { resource: Record<string, Record<string, any>>; provider: any; variable?: Record<string, any>; data?: any };

export function parse(input: ProjectInput): Project {
  return ProjectSchema.parse(input);
}

export function synth(
  project: Project,
  github: { owner: string; baseUrl?: string } = { owner: "acme" },
): { json: string; out: Synth; stack: ProjectGitHubStack } {
  const app = Testing.app();
  const stack = new ProjectGitHubStack(app, `${project.id}-github`, { project, github });
  const json = Testing.synth(stack);
  return { json, out: JSON.parse(json), stack };
}
