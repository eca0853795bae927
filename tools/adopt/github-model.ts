// What a project's `<project>-github` stack would manage, by model id and by the names GitHub knows them under: the
// side of the adoption that the model supplies.
import { App } from "cdktf";
import type { HostPlacement, Project, WorkstreamStatusValue } from "../../constructs/model";
import { ISSUE_NUMBERS_VARIABLE, rulesetName } from "../../constructs/github";
import {
  gateIssueTitle,
  generatedFiles,
  labelDefinitions,
  trackingIssueTitle,
  workstreamIssueTitle,
} from "../../constructs/orchestration/docs";
import { OrchestrationPlan } from "../../constructs/orchestration/plan";
import { canonicalProject } from "../../stacks/project-github-stack";

export interface ModelIssue {
  id: string;
  name: string;
  /** The title the model gives its issue. */
  title: string;
  done: boolean;
}

export interface GitHubModelView {
  project: Project;
  labels: string[];
  milestones: { id: string; name: string; title: string }[];
  workstreams: (ModelIssue & { issueKeys: string[]; status: WorkstreamStatusValue })[];
  gates: ModelIssue[];
  trackingTitle: string;
  /** Every path the stack would commit. */
  files: string[];
  /** Actions variables the stack manages, its own numbers variable included. */
  variables: string[];
  rulesetName: string;
}

export function githubModelView(project: Project, placements: readonly HostPlacement[]): GitHubModelView {
  const plan = new OrchestrationPlan(new App(), "plan", canonicalProject(project));
  return {
    project,
    labels: labelDefinitions(plan).map((l) => l.name),
    milestones: plan.milestones.map((m) => ({ id: m.spec.id, name: m.spec.name, title: `${m.spec.id}: ${m.spec.name}` })),
    workstreams: plan.workstreams.map((w) => ({
      id: w.spec.id,
      name: w.spec.name,
      title: workstreamIssueTitle(w),
      done: w.spec.status === "done",
      status: w.spec.status,
      issueKeys: w.spec.issueKeys,
    })),
    gates: plan.gates.map((g) => ({ id: g.spec.id, name: g.spec.name, title: gateIssueTitle(g.spec), done: g.spec.status === "passed" })),
    trackingTitle: trackingIssueTitle(project),
    files: [...generatedFiles(project, plan, { placements }).keys()],
    variables: [...Object.keys(project.repository.variables), ISSUE_NUMBERS_VARIABLE].sort(),
    rulesetName: rulesetName(project.repository),
  };
}
