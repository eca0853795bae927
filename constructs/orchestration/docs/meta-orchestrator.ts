/** docs/orchestration/meta-orchestrator.md: domains, spawn order, milestones, gates, critical path and decisions. */
import type { Project } from "../../model";
import type { OrchestrationPlan } from "../plan";
import { orchestratorDependencies, orchestratorOrder } from "./graph";
import { jobsTable, plannedLines } from "./jobs-text";
import { checklist, list, mdMarker, table } from "./markdown";
import { orchestratorName } from "./plan-text";
import { milestoneProgress, progressText } from "./status";

export function renderMetaOrchestratorDoc(project: Project, plan: OrchestrationPlan): string {
  const m = plan.meta.spec;
  const lines = [
    mdMarker(project),
    `# ${m.name}`,
    ``,
    m.description,
    ``,
    `- Agent type: \`${m.agentType}\``,
    ...(m.statusCadence ? [`- Status cadence: every ${m.statusCadence}`] : []),
    `- Start date: ${project.startDate}; planned length ${plan.schedule.totalDays} days (${plan.schedule.estimate} estimates)`,
    ``,
    `## Domain orchestrators`,
    ``,
    table(
      ["ID", "Name", "Domain", "Milestones", "Workstreams", "Agent type", "Owners"],
      plan.orchestrators.map((o) => [
        o.spec.id,
        `[${o.spec.name}](orchestrators/${o.spec.id}.md)`,
        o.spec.domain,
        o.spec.milestones.join(", "),
        o.workstreams.map((w) => w.spec.id).join(", "),
        `\`${o.spec.agentType}\``,
        o.spec.owners.join(", ") || "—",
      ]),
    ),
    ``,
    `## Spawn order`,
    ``,
    `An orchestrator is spawned once every orchestrator its workstreams hard-depend on has been spawned.`,
    ``,
    ...orchestratorOrder(plan).map((o, i) => {
      const deps = orchestratorDependencies(plan, o);
      return `${i + 1}. ${o.spec.name}${deps.length ? ` (after ${deps.map((d) => d.spec.name).join(", ")})` : ""}`;
    }),
    ``,
    `## Milestones`,
    ``,
    table(
      ["ID", "Name", "Goal", "Success metric", "Progress", "Due"],
      plan.milestones.map((ms) => [
        ms.spec.id,
        ms.spec.name,
        ms.spec.goal,
        ms.spec.successMetric ?? "—",
        progressText(milestoneProgress(ms)),
        ms.dueDate,
      ]),
    ),
    ``,
    `## Phase gates`,
    ``,
    plan.gates.length
      ? table(
          ["Gate", "Owner", "From → To", "Reviews", "Status"],
          plan.gates.map((g) => [
            g.spec.name,
            orchestratorName(plan, g.spec.owner),
            `${g.spec.from.join(", ")} → ${g.spec.to.join(", ")}`,
            g.reviews.map((w) => w.spec.id).join(", ") || "—",
            g.spec.status,
          ]),
        )
      : "No gates.",
    ``,
  ];
  for (const g of plan.gates) lines.push(`### ${g.spec.name}`, ``, checklist(g.spec.criteria), ``);
  lines.push(`## Critical path`, ``, plan.criticalPath.map((w) => w.spec.id).join(" → "), ``);
  const planned = plannedLines(project);
  if (planned.length > 0) lines.push(`## Planned services`, ``, `Not deployed until what each waits for exists:`, ``, list(planned), ``);
  const jobs = jobsTable(project);
  if (jobs) lines.push(`## Jobs`, ``, jobs, ``);
  if (project.decisions.length > 0) lines.push(`## Decisions`, ``, list(project.decisions), ``);
  return lines.join("\n");
}
