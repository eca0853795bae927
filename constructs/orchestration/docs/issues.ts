/** Titles and bodies of the workstream, gate and tracking issues. */
import type { PhaseGateSpec, Project } from "../../model";
import type { PhaseGate, Workstream } from "../elements";
import { renderWorkstreamGraph } from "../mermaid";
import type { OrchestrationPlan } from "../plan";
import { dependentsOf, softReferenceEdges } from "./graph";
import { checklist, DOCS_ROOT, GENERATED_MARKER, list } from "./markdown";
import { durationText, milestoneLabel, orchestratorName, scheduleText, workstreamSpecPath, wsTitle } from "./plan-text";

/** How issue bodies point at other issues; the GitHub construct supplies Terraform references. */
export interface IssueRefs {
  /** "#<number>" for a workstream's issue. Only called for links that cannot form a cycle. */
  workstream(id: string): string;
  /** "#<number>" for a gate's issue (used by the tracking issue). */
  gate(id: string): string;
  /** Browsable URL of a file on the default branch, e.g. `${html_url}/blob/main/<path>`. */
  file(path: string): string;
}

const ISSUE_FOOTER = `<!-- ${GENERATED_MARKER}: this issue body is managed by sparky-infra; edits are overwritten on the next deploy -->`;

export function workstreamIssueTitle(ws: Workstream): string {
  return wsTitle(ws);
}

export function gateIssueTitle(gate: PhaseGateSpec): string {
  return /^gate\b/i.test(gate.name) ? gate.name : `Gate: ${gate.name}`;
}

export function trackingIssueTitle(project: Project): string {
  return `${project.name}: orchestration tracking`;
}

/** Body of a workstream's issue, following the planned issue format (Summary … Specification). */
export function renderWorkstreamIssueBody(
  project: Project,
  plan: OrchestrationPlan,
  ws: Workstream,
  refs: IssueRefs,
  softRefs = softReferenceEdges(plan),
): string {
  const s = ws.spec;
  const linkedSoft = softRefs.get(s.id) ?? new Set<string>();
  const blocks = dependentsOf(plan, ws);
  const dependsOn = ws.blockers.map((b) => `${refs.workstream(b.spec.id)} (${wsTitle(b)})`);
  const soft = ws.softBlockers.map((b) => (linkedSoft.has(b.spec.id) ? `${refs.workstream(b.spec.id)} (${wsTitle(b)})` : wsTitle(b)));
  const lines = [
    `## Summary`,
    s.objective,
    ``,
    `## Workstream`,
    `${s.id}: ${s.name}${ws.critical ? " — **on the critical path**" : ""}`,
    ``,
    `## Orchestrator`,
    orchestratorName(plan, s.orchestrator),
    ``,
    `## Milestone`,
    milestoneLabel(plan, s.milestone),
    ``,
    `## Deliverables`,
    list(s.deliverables),
    ``,
    `## Acceptance Criteria`,
    checklist(s.acceptanceCriteria),
    ``,
    `## Dependencies`,
    `- Depends on: ${dependsOn.length ? dependsOn.join(", ") : "none"}`,
    `- Soft: ${soft.length ? soft.join(", ") : "none"}`,
    `- Blocks: ${blocks.length ? blocks.map(wsTitle).join(", ") : "none"}`,
    ``,
    `## Agent Type`,
    s.agentTypes.map((a) => `\`${a}\``).join(", "),
    ``,
    `## Priority`,
    s.priority,
    ``,
    `## Estimated Duration`,
    `${durationText(s)}; scheduled ${scheduleText(project, ws)}, slack ${ws.scheduled.slack} day${ws.scheduled.slack === 1 ? "" : "s"}${ws.critical ? ", critical path" : ""}`,
    ``,
    `## Specification`,
    `[${workstreamSpecPath(ws)}](${refs.file(workstreamSpecPath(ws))})`,
    ``,
    ISSUE_FOOTER,
  ];
  return lines.join("\n") + "\n";
}

export function renderGateIssueBody(project: Project, plan: OrchestrationPlan, gate: PhaseGate, refs: IssueRefs): string {
  const g = gate.spec;
  const lines = [
    `## Gate`,
    `${g.name} — owned by ${orchestratorName(plan, g.owner)}`,
    ``,
    `## Transition`,
    `${g.from.map((m) => milestoneLabel(plan, m)).join(", ")} → ${g.to.map((m) => milestoneLabel(plan, m)).join(", ")}`,
    ``,
    `## Status`,
    g.status,
    ``,
    `## Reviews`,
    gate.reviews.length ? list(gate.reviews.map((w) => `${refs.workstream(w.spec.id)} (${wsTitle(w)})`)) : "No workstreams listed.",
    ``,
    `## Criteria`,
    checklist(g.criteria),
    ``,
    ISSUE_FOOTER,
  ];
  return lines.join("\n") + "\n";
}

export function renderTrackingIssueBody(project: Project, plan: OrchestrationPlan, refs: IssueRefs): string {
  const lines = [
    `## ${project.name} orchestration`,
    ``,
    `${plan.workstreams.length} workstreams under ${plan.orchestrators.length} domain orchestrators, starting ${project.startDate}; ` +
      `${plan.schedule.totalDays} days with ${plan.schedule.estimate} estimates. Plan: [${DOCS_ROOT}/workstream-plan.md](${refs.file(`${DOCS_ROOT}/workstream-plan.md`)}).`,
    ``,
  ];
  for (const o of plan.orchestrators) {
    lines.push(`### ${o.spec.name} (${o.spec.milestones.join(", ")})`, "");
    for (const ws of o.workstreams)
      lines.push(`- [ ] ${refs.workstream(ws.spec.id)} ${wsTitle(ws)} — ${ws.spec.priority}${ws.critical ? " · critical path" : ""}`);
    lines.push("");
  }
  if (plan.gates.length > 0) {
    lines.push(`### Phase gates`, "");
    for (const g of plan.gates)
      lines.push(`- [${g.spec.status === "passed" ? "x" : " "}] ${refs.gate(g.spec.id)} ${gateIssueTitle(g.spec)} (${g.spec.status})`);
    lines.push("");
  }
  lines.push(
    `### Critical path`,
    "",
    plan.criticalPath.map((w) => `${refs.workstream(w.spec.id)} ${w.spec.id}`).join(" → "),
    "",
    `### Dependency graph`,
    "",
    "```mermaid",
    renderWorkstreamGraph(project, plan.schedule),
    "```",
    "",
    ISSUE_FOOTER,
  );
  return lines.join("\n") + "\n";
}
