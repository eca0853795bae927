import type { Project } from "../model";
import { dateAfter, Schedule } from "./schedule";

const nodeId = (workstreamId: string) => workstreamId.replace("-", "");

/** Flowchart of the workstream DAG, grouped by orchestrator; the critical path is highlighted. */
export function renderWorkstreamGraph(project: Project, schedule: Schedule): string {
  const critical = new Set(schedule.criticalPath);
  const lines = ["flowchart LR"];
  for (const orchestrator of project.orchestrators) {
    lines.push(`  subgraph ${orchestrator.id}["${orchestrator.name}"]`);
    for (const ws of project.workstreams.filter((w) => w.orchestrator === orchestrator.id)) {
      const days = schedule.workstreams.get(ws.id)!;
      lines.push(`    ${nodeId(ws.id)}["${ws.id}: ${ws.name.replace(/"/g, "'")}<br/>${ws.priority} · day ${days.start}–${days.finish}"]`);
    }
    lines.push("  end");
  }
  for (const ws of project.workstreams) {
    for (const dep of ws.dependsOn) lines.push(`  ${nodeId(dep)} --> ${nodeId(ws.id)}`);
    for (const dep of ws.softDependsOn) lines.push(`  ${nodeId(dep)} -.-> ${nodeId(ws.id)}`);
  }
  lines.push("  classDef critical fill:#fde2e1,stroke:#c0392b,stroke-width:2px");
  if (critical.size > 0) lines.push(`  class ${[...critical].map(nodeId).join(",")} critical`);
  return lines.join("\n");
}

/** Gantt chart of the computed schedule, one section per orchestrator. */
export function renderGantt(project: Project, schedule: Schedule): string {
  const critical = new Set(schedule.criticalPath);
  const lines = [
    "gantt",
    `  title ${project.name}: computed schedule (${schedule.estimate} estimates)`,
    "  dateFormat YYYY-MM-DD",
    "  axisFormat %b %d",
  ];
  for (const orchestrator of project.orchestrators) {
    lines.push(`  section ${orchestrator.name}`);
    for (const ws of project.workstreams.filter((w) => w.orchestrator === orchestrator.id)) {
      const days = schedule.workstreams.get(ws.id)!;
      const tag = critical.has(ws.id) ? "crit, " : "";
      lines.push(
        `    ${ws.id} ${ws.name.replace(/[:#]/g, " ")} :${tag}${nodeId(ws.id)}, ${dateAfter(project.startDate, days.start)}, ${days.duration}d`,
      );
    }
  }
  return lines.join("\n");
}
