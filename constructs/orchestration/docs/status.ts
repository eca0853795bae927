/** Status labels: the issue labels a workstream or gate carries. */
import type { PhaseGateSpec, WorkstreamSpec } from "../../model";

export type StatusLabel = "not-started" | "in-progress" | "review" | "blocked" | "done";
export const STATUS_LABELS: readonly { name: StatusLabel; description: string }[] = [
  { name: "not-started", description: "Not started yet" },
  { name: "in-progress", description: "Being worked on" },
  { name: "review", description: "Waiting for review" },
  { name: "blocked", description: "Waiting on a blocker" },
  { name: "done", description: "Finished and verified" },
];

/**
 * A workstream's status label. The model has no workstream status yet; when it gains an optional `status`
 * it is honoured here, otherwise every workstream starts as "not-started".
 */
export function workstreamStatus(spec: WorkstreamSpec): StatusLabel {
  const raw = String((spec as { status?: unknown }).status ?? "not-started")
    .toLowerCase()
    .replace(/[_ ]/g, "-");
  if (["done", "complete", "completed"].includes(raw)) return "done";
  if (["in-progress", "active"].includes(raw)) return "in-progress";
  if (["review", "in-review"].includes(raw)) return "review";
  if (raw === "blocked") return "blocked";
  return "not-started";
}

export function gateStatus(spec: PhaseGateSpec): StatusLabel {
  return spec.status === "passed" ? "done" : spec.status === "failed" ? "blocked" : "not-started";
}
