/** How the documents name, date and locate the plan's elements. */
import type { Project, WorkstreamSpec } from "../../model";
import type { Workstream } from "../elements";
import type { OrchestrationPlan } from "../plan";
import { dateAfter } from "../schedule";
import { DOCS_ROOT } from "./markdown";

export const orchestratorOf = (plan: OrchestrationPlan, id: string) => plan.orchestrators.find((o) => o.spec.id === id);
export const orchestratorName = (plan: OrchestrationPlan, id: string) =>
  id === "meta" ? plan.meta.spec.name : (orchestratorOf(plan, id)?.spec.name ?? id);
export const milestoneLabel = (plan: OrchestrationPlan, id: string) => {
  const m = plan.milestones.find((x) => x.spec.id === id);
  return m ? `${m.spec.id}: ${m.spec.name}` : id;
};
export const wsTitle = (ws: Workstream) => `${ws.spec.id}: ${ws.spec.name}`;
export const durationText = (spec: WorkstreamSpec) =>
  spec.durationDays.min === spec.durationDays.max
    ? `${spec.durationDays.max} days`
    : `${spec.durationDays.min}–${spec.durationDays.max} days`;

export function workstreamSpecPath(ws: Workstream): string {
  return `${DOCS_ROOT}/workstreams/${ws.slug}/README.md`;
}

/** Schedule window of a workstream as text: "day 4–9 (2025-11-07 → 2025-11-12)". */
export function scheduleText(project: Project, ws: Workstream): string {
  const { start, finish } = ws.scheduled;
  return `day ${start}–${finish} (${dateAfter(project.startDate, start)} → ${dateAfter(project.startDate, finish)})`;
}
