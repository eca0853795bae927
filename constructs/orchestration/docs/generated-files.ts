import type { HostPlacement, Project } from "../../model";
import type { OrchestrationPlan } from "../plan";
import { renderAgentGuide } from "./agent-guide";
import { renderCodeowners } from "./codeowners";
import { renderContributing } from "./contributing";
import { renderDockerQuickref } from "./docker-quickref";
import { labelDefinitions } from "./labels";
import { DOCS_ROOT } from "./markdown";
import { renderMetaOrchestratorDoc } from "./meta-orchestrator";
import { renderOrchestratorDoc } from "./orchestrator-doc";
import { workstreamSpecPath } from "./plan-text";
import { renderIssueTemplate, renderPullRequestTemplate } from "./templates";
import { renderWorkstreamPlanDoc } from "./workstream-plan";
import { renderWorkstreamReadme } from "./workstream-readme";

export interface RepositoryContext {
  /** Every host of the deployment config that runs the project (its containers, named the same on each). */
  placements: readonly HostPlacement[];
}

/** Every generated file, keyed by repository path, in a stable (sorted) order. */
export function generatedFiles(
  project: Project,
  plan: OrchestrationPlan,
  context: RepositoryContext = { placements: [] },
): Map<string, string> {
  const files = new Map<string, string>();
  files.set(`${DOCS_ROOT}/meta-orchestrator.md`, renderMetaOrchestratorDoc(project, plan));
  files.set(`${DOCS_ROOT}/workstream-plan.md`, renderWorkstreamPlanDoc(project, plan));
  for (const o of plan.orchestrators) files.set(`${DOCS_ROOT}/orchestrators/${o.spec.id}.md`, renderOrchestratorDoc(project, plan, o));
  for (const ws of plan.workstreams) files.set(workstreamSpecPath(ws), renderWorkstreamReadme(project, plan, ws));
  if (project.orchestrators.some((o) => o.owners.length > 0)) files.set(".github/CODEOWNERS", renderCodeowners(project));
  files.set(".github/ISSUE_TEMPLATE/workstream.md", renderIssueTemplate(project));
  files.set(".github/pull_request_template.md", renderPullRequestTemplate(project));
  files.set("CLAUDE.md", renderAgentGuide(project, plan, context.placements));
  files.set("CONTRIBUTING.md", renderContributing(project, plan, labelDefinitions(plan)));
  files.set("DOCKER-QUICKREF.md", renderDockerQuickref(project, context.placements));
  return new Map([...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
