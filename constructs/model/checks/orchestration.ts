import { Edges, findCycles } from "../graph";
import type { Project } from "../project";
import { duplicates, Problem, unknownReference } from "../problems";

/** Workstreams, milestones, orchestrators and gates: ids unique, references known, no cycles, milestones in order. */
export function checkOrchestration(project: Project, at: string, problems: Problem[]): void {
  const milestoneIds = project.milestones.map((m) => m.id);
  const orchestratorIds = project.orchestrators.map((o) => o.id);
  const workstreamIds = project.workstreams.map((w) => w.id);
  const milestoneRank = new Map(milestoneIds.map((id, i) => [id, i]));

  for (const [kind, ids, list] of [
    ["milestone", milestoneIds, "milestones"],
    ["orchestrator", orchestratorIds, "orchestrators"],
    ["workstream", workstreamIds, "workstreams"],
    ["gate", project.gates.map((g) => g.id), "gates"],
  ] as const) {
    for (const id of duplicates([...ids])) problems.push({ path: `${at}.${list}`, message: `duplicate ${kind} id "${id}"` });
  }

  project.orchestrators.forEach((o) =>
    o.milestones.forEach((m, i) => {
      if (!milestoneRank.has(m))
        problems.push({ path: `${at}.orchestrators.${o.id}.milestones[${i}]`, message: unknownReference("milestone", m, milestoneIds) });
    }),
  );

  const byId = new Map(project.workstreams.map((w) => [w.id, w]));
  for (const ws of project.workstreams) {
    const wsAt = `${at}.workstreams.${ws.id}`;
    if (!orchestratorIds.includes(ws.orchestrator))
      problems.push({ path: `${wsAt}.orchestrator`, message: unknownReference("orchestrator", ws.orchestrator, orchestratorIds) });
    if (!milestoneRank.has(ws.milestone))
      problems.push({ path: `${wsAt}.milestone`, message: unknownReference("milestone", ws.milestone, milestoneIds) });
    for (const field of ["dependsOn", "softDependsOn"] as const) {
      ws[field].forEach((dep, i) => {
        const depAt = `${wsAt}.${field}[${i}]`;
        if (dep === ws.id) problems.push({ path: depAt, message: `a workstream cannot depend on itself` });
        else if (!byId.has(dep)) problems.push({ path: depAt, message: unknownReference("workstream", dep, workstreamIds) });
        else if (field === "dependsOn") {
          const depMilestone = byId.get(dep)!.milestone;
          const mine = milestoneRank.get(ws.milestone);
          const theirs = milestoneRank.get(depMilestone);
          if (mine !== undefined && theirs !== undefined && mine < theirs)
            problems.push({
              path: `${wsAt}.milestone`,
              message: `"${ws.milestone}" is earlier than "${depMilestone}", the milestone of its hard dependency ${dep}`,
            });
        }
      });
    }
  }

  checkTracking(project, at, problems);

  const edges: Edges = new Map(project.workstreams.map((w) => [w.id, w.dependsOn]));
  for (const cycle of findCycles(workstreamIds, edges))
    problems.push({ path: `${at}.workstreams.${cycle[0]}.dependsOn`, message: `dependency cycle: ${cycle.join(" → ")}` });

  for (const gate of project.gates) {
    const gateAt = `${at}.gates.${gate.id}`;
    if (gate.owner !== "meta" && !orchestratorIds.includes(gate.owner))
      problems.push({ path: `${gateAt}.owner`, message: unknownReference("orchestrator", gate.owner, ["meta", ...orchestratorIds]) });
    for (const field of ["from", "to"] as const)
      gate[field].forEach((m, i) => {
        if (!milestoneRank.has(m))
          problems.push({ path: `${gateAt}.${field}[${i}]`, message: unknownReference("milestone", m, milestoneIds) });
      });
    gate.after.forEach((w, i) => {
      if (!byId.has(w)) problems.push({ path: `${gateAt}.after[${i}]`, message: unknownReference("workstream", w, workstreamIds) });
    });
  }
}

/** Issue keys name one workstream each; a workstream is done only once its hard dependencies are. */
function checkTracking(project: Project, at: string, problems: Problem[]): void {
  for (const key of duplicates(project.workstreams.flatMap((w) => w.issueKeys)))
    problems.push({ path: `${at}.workstreams`, message: `issue key "${key}" is given to more than one workstream` });
  const byId = new Map(project.workstreams.map((w) => [w.id, w]));
  for (const ws of project.workstreams) {
    if (ws.status !== "done") continue;
    ws.dependsOn.forEach((dep, i) => {
      const other = byId.get(dep);
      if (other && other.status !== "done")
        problems.push({
          path: `${at}.workstreams.${ws.id}.status`,
          message: `"done", but its hard dependency ${dep} (dependsOn[${i}]) is "${other.status}"`,
        });
    });
  }
}
