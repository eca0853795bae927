/** CLAUDE.md: guidance for agents: the orchestration, the workstream conventions, the services and how to reach them. */
import type { HostPlacement, Project } from "../../model";
import type { OrchestrationPlan } from "../plan";
import { workstreamIssueTitle } from "./issues";
import { plannedLines } from "./jobs-text";
import { DOCS_ROOT, list, mdMarker, table } from "./markdown";
import { workstreamSpecPath } from "./plan-text";
import { projectContainers, reachText } from "./services-text";
import { milestoneProgress, progressText } from "./status";

export function renderAgentGuide(project: Project, plan: OrchestrationPlan, placements: readonly HostPlacement[]): string {
  const repo = project.repository;
  const example = plan.workstreams.find((w) => w.spec.status !== "done") ?? plan.workstreams[0];
  const containers = projectContainers(placements);
  const planned = plannedLines(project);
  const checks = repo.requiredChecks.map((c) => `\`${c}\``).join(", ");
  return [
    mdMarker(project),
    `# ${project.name}: guidance for agents`,
    ``,
    project.description,
    ``,
    `## Orchestration`,
    ``,
    `The ${plan.meta.spec.name} (\`${plan.meta.spec.agentType}\`) spawns the domain orchestrators in dependency order` +
      (plan.meta.spec.statusCadence ? ` and collects their status every ${plan.meta.spec.statusCadence}` : "") +
      `. Plan: [${DOCS_ROOT}/workstream-plan.md](${DOCS_ROOT}/workstream-plan.md); gates and spawn order: [${DOCS_ROOT}/meta-orchestrator.md](${DOCS_ROOT}/meta-orchestrator.md).`,
    ``,
    table(
      ["Orchestrator", "Domain", "Milestones", "Owns", "Agent type"],
      plan.orchestrators.map((o) => [
        o.spec.name,
        o.spec.domain,
        o.spec.milestones.join(", "),
        o.spec.ownedPaths.map((p) => `\`${p}\``).join(", "),
        `\`${o.spec.agentType}\``,
      ]),
    ),
    ``,
    table(
      ["Milestone", "Progress"],
      plan.milestones.map((m) => [`${m.spec.id}: ${m.spec.name}`, progressText(milestoneProgress(m))]),
    ),
    ``,
    `## Working on a workstream`,
    ``,
    `1. Read its spec, e.g. [${workstreamSpecPath(example)}](${workstreamSpecPath(example)}), and its issue (\`${workstreamIssueTitle(example)}\`).`,
    `2. Branch from \`${repo.defaultBranch}\` under the spec's directory name, e.g. \`${example.slug}\`.`,
    `3. Change only your orchestrator's paths; its hard dependencies must be done first.`,
    `4. Open a pull request into \`${repo.defaultBranch}\`; it is squash-merged once it has ${repo.requiredReviews} approval${repo.requiredReviews === 1 ? "" : "s"}` +
      (checks ? ` and the checks ${checks} pass.` : "."),
    `5. Write \`COMPLETION_SUMMARY.md\` next to the spec. The issue closes when the blueprint marks the workstream done.`,
    ``,
    `## Services`,
    ``,
    containers.length
      ? table(
          ["Container", "Role", "Reach it", "What it does"],
          containers.map((s) => [`\`${s.containerName}\``, s.spec.role, reachText(project, s), s.spec.description]),
        )
      : "This project runs no containers.",
    ``,
    ...(containers.length ? [`Names, ports and commands: [DOCKER-QUICKREF.md](DOCKER-QUICKREF.md).`, ``] : []),
    ...(planned.length ? [`Planned, not deployed yet:`, ``, list(planned), ``] : []),
  ].join("\n");
}
