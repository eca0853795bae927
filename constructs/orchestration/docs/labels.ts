/** The labels the orchestration puts on a repository: status, priority, domain, milestone, type and critical path. */
import type { OrchestrationPlan } from "../plan";
import { STATUS_LABELS } from "./status";

export interface LabelDefinition {
  name: string;
  color: string;
  description: string;
}

const STATUS_COLORS: Record<string, string> = {
  "not-started": "ededed",
  "in-progress": "fbca04",
  review: "0e8a16",
  blocked: "b60205",
  done: "6f42c1",
};
const PRIORITY_COLORS = { P0: "b60205", P1: "d93f0b", P2: "fef2c0" } as const;
const PRIORITY_TEXT = {
  P0: "Critical: blocks other work",
  P1: "High priority",
  P2: "Nice to have",
} as const;

/** Every label the model owns, in a stable order; labels of any other name are people's. */
export function labelDefinitions(plan: OrchestrationPlan): LabelDefinition[] {
  return [
    ...STATUS_LABELS.map((s) => ({ name: `status:${s.name}`, color: STATUS_COLORS[s.name], description: s.description })),
    ...(["P0", "P1", "P2"] as const).map((p) => ({ name: `priority:${p}`, color: PRIORITY_COLORS[p], description: PRIORITY_TEXT[p] })),
    ...plan.orchestrators.map((o) => ({ name: `domain:${o.spec.id}`, color: "1d76db", description: `Owned by the ${o.spec.name}` })),
    ...plan.milestones.map((m) => ({ name: `milestone:${m.spec.id}`, color: "c5def5", description: `${m.spec.id}: ${m.spec.name}` })),
    { name: "type:workstream", color: "0052cc", description: "A workstream: one unit of agent work" },
    { name: "type:gate", color: "5319e7", description: "A phase gate between milestones" },
    { name: "type:tracking", color: "006b75", description: "Tracks the whole orchestration" },
    { name: "critical-path", color: "e11d21", description: "On the schedule's critical path" },
  ];
}
