/** Titles and bodies of the workstream, gate and tracking issues. */
import type { PhaseGateSpec, Project } from "../../model";
import type { PhaseGate, Workstream } from "../elements";
import { renderWorkstreamGraph } from "../mermaid";
import type { OrchestrationPlan } from "../plan";
import { dependentsOf, softReferenceEdges } from "./graph";
import { jobsTable, plannedLines } from "./jobs-text";
import { checklist, DOCS_ROOT, GENERATED_MARKER, list } from "./markdown";
import { durationText, milestoneLabel, orchestratorName, scheduleText, workstreamSpecPath, wsTitle } from "./plan-text";
import { milestoneProgress, progressText } from "./status";

/** How issue bodies point at other issues; the GitHub construct supplies Terraform references or known numbers. */
export interface IssueRefs {
  /** "#<number>" for a workstream's issue, or undefined when it has none. Only called for links that cannot form a cycle. */
  workstream(id: string): string | undefined;
  /** "#<number>" for a gate's issue, or undefined when it has none (used by the tracking issue). */
  gate(id: string): string | undefined;
  /** Browsable URL of a file on the default branch, e.g. `${html_url}/blob/main/<path>`. */
  file(path: string): string;
}

/** Workstream and gate issue bodies are written once; from then on they are people's (ticks, notes). */
const PEOPLE_FOOTER =
  "<!-- sparky-infra wrote this body once, from the blueprint; it is yours to edit. sparky-infra keeps only the title, the milestone, its own labels and open/closed in sync. -->";
/** The tracking issue is the model's report: regenerated on every deploy. */
const TRACKING_FOOTER = `<!-- ${GENERATED_MARKER}: this issue body is managed by sparky-infra; edits are overwritten on the next deploy -->`;

/** "PIXELS-048: DCGM Metrics & Observability" when the repository already tracks the workstream under a key, else "WS-16: …". */
export function workstreamIssueTitle(ws: Workstream): string {
  const key = ws.spec.issueKeys[0];
  return key ? `${key}: ${ws.spec.name}` : wsTitle(ws);
}

/** A workstream as a link to its issue when it has one: "#12 (WS-04: ComfyUI Setup)", else its title. */
const linked = (refs: IssueRefs, ws: Workstream) => {
  const ref = refs.workstream(ws.spec.id);
  return ref ? `${ref} (${wsTitle(ws)})` : wsTitle(ws);
};

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
  const dependsOn = ws.blockers.map((b) => linked(refs, b));
  const soft = ws.softBlockers.map((b) => (linkedSoft.has(b.spec.id) ? linked(refs, b) : wsTitle(b)));
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
    PEOPLE_FOOTER,
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
    gate.reviews.length ? list(gate.reviews.map((w) => linked(refs, w))) : "No workstreams listed.",
    ``,
    `## Criteria`,
    checklist(g.criteria),
    ``,
    PEOPLE_FOOTER,
  ];
  return lines.join("\n") + "\n";
}

export function renderTrackingIssueBody(project: Project, plan: OrchestrationPlan, refs: IssueRefs): string {
  const done = plan.workstreams.filter((w) => w.spec.status === "done").length;
  const passed = plan.gates.filter((g) => g.spec.status === "passed").length;
  const lines = [
    `## ${project.name} orchestration`,
    ``,
    `${plan.workstreams.length} workstreams under ${plan.orchestrators.length} domain orchestrators, starting ${project.startDate}; ` +
      `${plan.schedule.totalDays} days with ${plan.schedule.estimate} estimates. Plan: [${DOCS_ROOT}/workstream-plan.md](${refs.file(`${DOCS_ROOT}/workstream-plan.md`)}).`,
    ``,
    `**Progress:** ${done}/${plan.workstreams.length} workstreams done` +
      (plan.gates.length ? `, ${passed}/${plan.gates.length} gates passed.` : "."),
    ``,
  ];
  for (const m of plan.milestones) {
    lines.push(`### ${milestoneLabel(plan, m.spec.id)}: ${progressText(milestoneProgress(m))}`, "");
    for (const ws of m.workstreams) {
      const ref = refs.workstream(ws.spec.id);
      const notes = [ws.spec.status, ws.spec.priority, ...(ws.critical ? ["critical path"] : [])].join(" · ");
      lines.push(`- [${ws.spec.status === "done" ? "x" : " "}] ${ref ? `${ref} ` : ""}${workstreamIssueTitle(ws)} — ${notes}`);
    }
    if (m.workstreams.length === 0) lines.push("No workstreams.");
    lines.push("");
  }
  if (plan.gates.length > 0) {
    lines.push(`### Phase gates`, "");
    for (const g of plan.gates) {
      const ref = refs.gate(g.spec.id);
      lines.push(`- [${g.spec.status === "passed" ? "x" : " "}] ${ref ? `${ref} ` : ""}${gateIssueTitle(g.spec)} (${g.spec.status})`);
    }
    lines.push("");
  }
  const planned = plannedLines(project, (id) => (refs.workstream(id) ? `${refs.workstream(id)} (${id})` : id));
  if (planned.length > 0) lines.push(`### Planned services (not deployed yet)`, "", list(planned.map((l) => `⏳ ${l}`)), "");
  const jobs = jobsTable(project);
  if (jobs) lines.push(`### Jobs`, "", jobs, "");
  lines.push(
    `### Critical path`,
    "",
    plan.criticalPath.map((w) => `${refs.workstream(w.spec.id) ?? ""} ${w.spec.id}`.trim()).join(" → "),
    "",
    `### Dependency graph`,
    "",
    "```mermaid",
    renderWorkstreamGraph(project, plan.schedule),
    "```",
    "",
    TRACKING_FOOTER,
  );
  return lines.join("\n") + "\n";
}
