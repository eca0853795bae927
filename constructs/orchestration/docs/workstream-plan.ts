/** docs/orchestration/workstream-plan.md: dependency graph, schedule, critical path and every workstream. */
import type { Project } from "../../model";
import { renderGantt, renderWorkstreamGraph } from "../mermaid";
import type { OrchestrationPlan } from "../plan";
import { dateAfter } from "../schedule";
import { mdMarker, table } from "./markdown";
import { durationText, orchestratorName, wsTitle } from "./plan-text";
import { milestoneProgress, progressText, STATUS_MARK } from "./status";

export function renderWorkstreamPlanDoc(project: Project, plan: OrchestrationPlan): string {
  const ws = (id: string) => plan.workstream(id);
  return [
    mdMarker(project),
    `# ${project.name}: workstream plan`,
    ``,
    `${plan.workstreams.length} workstreams, starting ${project.startDate}. Scheduled from hard dependencies with ${plan.schedule.estimate} estimates: ` +
      `${plan.schedule.totalDays} days, ending ${dateAfter(project.startDate, plan.schedule.totalDays)}. Soft dependencies (dashed) never delay a start.`,
    ``,
    `## Dependency graph`,
    ``,
    "```mermaid",
    renderWorkstreamGraph(project, plan.schedule),
    "```",
    ``,
    `## Schedule`,
    ``,
    "```mermaid",
    renderGantt(project, plan.schedule),
    "```",
    ``,
    `## Critical path`,
    ``,
    table(
      ["#", "Workstream", "Orchestrator", "Start", "Finish", "Days"],
      plan.schedule.criticalPath.map((id, i) => {
        const w = ws(id);
        return [
          String(i + 1),
          `[${wsTitle(w)}](workstreams/${w.slug}/README.md)`,
          orchestratorName(plan, w.spec.orchestrator),
          dateAfter(project.startDate, w.scheduled.start),
          dateAfter(project.startDate, w.scheduled.finish),
          String(w.scheduled.duration),
        ];
      }),
    ),
    ``,
    `## All workstreams`,
    ``,
    table(
      ["ID", "Name", "Status", "Orchestrator", "Milestone", "Depends on", "Soft", "Estimate", "Priority", "Agents", "Days", "Slack"],
      plan.workstreams.map((w) => [
        w.spec.id,
        `[${w.spec.name}](workstreams/${w.slug}/README.md)`,
        `${STATUS_MARK[w.spec.status]} ${w.spec.status}`,
        orchestratorName(plan, w.spec.orchestrator),
        w.spec.milestone,
        w.spec.dependsOn.join(", ") || "—",
        w.spec.softDependsOn.join(", ") || "—",
        durationText(w.spec),
        w.spec.priority + (w.critical ? " ★" : ""),
        w.spec.agentTypes.join(", "),
        `${w.scheduled.start}–${w.scheduled.finish}`,
        String(w.scheduled.slack),
      ]),
    ),
    ``,
    `★ = on the critical path.`,
    ``,
    `## Milestones`,
    ``,
    table(
      ["ID", "Name", "Workstreams", "Progress", "Due"],
      plan.milestones.map((m) => [
        m.spec.id,
        m.spec.name,
        m.workstreams.map((w) => w.spec.id).join(", ") || "—",
        progressText(milestoneProgress(m)),
        m.dueDate,
      ]),
    ),
    ``,
  ].join("\n");
}
