/** A workstream's README (its specification), under docs/orchestration/workstreams/<slug>/. */
import type { Project } from "../../model";
import type { Workstream } from "../elements";
import type { OrchestrationPlan } from "../plan";
import { dependentsOf, softDependentsOf } from "./graph";
import { cell, checklist, list, mdMarker } from "./markdown";
import { durationText, milestoneLabel, orchestratorName, orchestratorOf, scheduleText, wsTitle } from "./plan-text";
import { workstreamStatus } from "./status";

export function renderWorkstreamReadme(project: Project, plan: OrchestrationPlan, ws: Workstream): string {
  const s = ws.spec;
  const orchestrator = orchestratorOf(plan, s.orchestrator);
  const blocks = dependentsOf(plan, ws);
  const softBlocks = softDependentsOf(plan, ws);
  const ref = (w: Workstream) => `[${wsTitle(w)}](../${w.slug}/README.md)`;
  const risks = ((s as { risks?: unknown }).risks as string[] | undefined) ?? [];
  const lines = [
    mdMarker(project),
    `# ${s.id}: ${s.name}`,
    ``,
    `| Field | Value |`,
    `|---|---|`,
    `| ID | ${s.id} |`,
    `| Orchestrator | ${cell(orchestratorName(plan, s.orchestrator))} |`,
    `| Milestone | ${cell(milestoneLabel(plan, s.milestone))} |`,
    `| Duration | ${durationText(s)}; scheduled ${scheduleText(project, ws)} |`,
    `| Priority | ${s.priority}${ws.critical ? " — critical path" : ""} |`,
    `| Dependencies | ${ws.blockers.map((b) => b.spec.id).join(", ") || "none"} |`,
    `| Agent Type | ${s.agentTypes.map((a) => `\`${a}\``).join(", ")} |`,
    `| Status | ${workstreamStatus(s)} |`,
    `| Branch | \`${ws.slug}\` |`,
    ``,
    `## Objective`,
    ``,
    s.objective,
    ``,
    `## Deliverables`,
    ``,
    list(s.deliverables),
    ``,
    `## Acceptance Criteria`,
    ``,
    checklist(s.acceptanceCriteria),
    ``,
    `## Technical Requirements`,
    ``,
    `- Agent type${s.agentTypes.length > 1 ? "s" : ""}: ${s.agentTypes.map((a) => `\`${a}\``).join(", ")}`,
    `- Work within the ${orchestrator ? cell(orchestrator.spec.name) : s.orchestrator}'s paths: ${orchestrator ? orchestrator.spec.ownedPaths.map((p) => `\`${p}\``).join(", ") : "—"}`,
    `- Merge through a pull request into \`${project.repository.defaultBranch}\` (squash only)` +
      (project.repository.requiredChecks.length
        ? ` with the required checks green: ${project.repository.requiredChecks.map((c) => `\`${c}\``).join(", ")}`
        : ""),
    `- Schedule: ${scheduleText(project, ws)}, slack ${ws.scheduled.slack} day${ws.scheduled.slack === 1 ? "" : "s"}`,
    ``,
    `## Dependencies`,
    ``,
    `### Blocked By`,
    ``,
    ws.blockers.length ? list(ws.blockers.map(ref)) : "Nothing; this workstream can start on day 0.",
    ``,
    `### Blocks`,
    ``,
    blocks.length ? list(blocks.map(ref)) : "Nothing.",
    ``,
    `### Soft Dependencies`,
    ``,
    ws.softBlockers.length || softBlocks.length
      ? [...ws.softBlockers.map((w) => `- Uses input from ${ref(w)}`), ...softBlocks.map((w) => `- Feeds ${ref(w)}`)].join("\n")
      : "None.",
    ``,
  ];
  if (risks.length > 0) lines.push(`## Known Risks`, ``, list(risks), ``);
  lines.push(
    `## Verification`,
    ``,
    `Each acceptance criterion is checked by the agent, then by the ${orchestrator ? cell(orchestrator.spec.name) : "orchestrator"}:`,
    ``,
    ...s.acceptanceCriteria.map((c, i) => `${i + 1}. ${c}`),
    ``,
    `The workstream is ready for completion when every criterion holds and the pull request's required checks pass.`,
    ``,
    `## Completion Checklist`,
    ``,
    checklist([
      "All acceptance criteria verified",
      "Deliverables committed and reviewed",
      ...(project.repository.requiredChecks.length ? ["Required checks green on the pull request"] : []),
      `Pull request squash-merged into \`${project.repository.defaultBranch}\``,
      `\`COMPLETION_SUMMARY.md\` written next to this README`,
      `Issue "${wsTitle(ws)}" closed with a link to the pull request`,
    ]),
    ``,
  );
  return lines.join("\n");
}
