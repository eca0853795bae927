/** docs/orchestration/orchestrators/<id>.md: one domain orchestrator, its workstreams, cross-domain links and gates. */
import type { DomainOrchestratorSpec, Project } from "../../model";
import type { DomainOrchestrator } from "../elements";
import type { OrchestrationPlan } from "../plan";
import { dependentsOf } from "./graph";
import { checklist, list, mdMarker, table } from "./markdown";
import { durationText, milestoneLabel, orchestratorName, wsTitle } from "./plan-text";
import { STATUS_MARK } from "./status";

export function renderOrchestratorDoc(project: Project, plan: OrchestrationPlan, o: DomainOrchestrator): string {
  const s: DomainOrchestratorSpec = o.spec;
  const mine = new Set(o.workstreams);
  const inbound = o.workstreams.flatMap((w) =>
    w.blockers.filter((b) => !mine.has(b)).map((b) => `${w.spec.id} needs ${wsTitle(b)} (${orchestratorName(plan, b.spec.orchestrator)})`),
  );
  const outbound = o.workstreams.flatMap((w) =>
    dependentsOf(plan, w)
      .filter((d) => !mine.has(d))
      .map((d) => `${wsTitle(w)} unblocks ${d.spec.id} (${orchestratorName(plan, d.spec.orchestrator)})`),
  );
  const gates = plan.gates.filter((g) => g.spec.owner === s.id);
  return [
    mdMarker(project),
    `# ${s.name}`,
    ``,
    `- Domain: ${s.domain}`,
    `- Milestones: ${s.milestones.map((m) => milestoneLabel(plan, m)).join("; ")}`,
    `- Agent type: \`${s.agentType}\``,
    `- Owners: ${s.owners.join(", ") || "—"}`,
    `- Owned paths: ${s.ownedPaths.map((p) => `\`${p}\``).join(", ")}`,
    ``,
    `## Workstreams`,
    ``,
    table(
      ["ID", "Name", "Status", "Milestone", "Depends on", "Estimate", "Priority", "Agents", "Days"],
      o.workstreams.map((w) => [
        w.spec.id,
        `[${w.spec.name}](../workstreams/${w.slug}/README.md)`,
        `${STATUS_MARK[w.spec.status]} ${w.spec.status}`,
        w.spec.milestone,
        w.spec.dependsOn.join(", ") || "—",
        durationText(w.spec),
        w.spec.priority + (w.critical ? " ★" : ""),
        w.spec.agentTypes.join(", "),
        `${w.scheduled.start}–${w.scheduled.finish}`,
      ]),
    ),
    ``,
    `## Cross-domain dependencies`,
    ``,
    `### Inbound`,
    ``,
    inbound.length ? list(inbound) : "None.",
    ``,
    `### Outbound`,
    ``,
    outbound.length ? list(outbound) : "None.",
    ``,
    `## Gates`,
    ``,
    gates.length
      ? gates.map((g) => [`### ${g.spec.name} (${g.spec.status})`, ``, checklist(g.spec.criteria)].join("\n")).join("\n\n")
      : "This orchestrator owns no gates.",
    ``,
  ].join("\n");
}
