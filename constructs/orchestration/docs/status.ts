/** Status labels (the issue labels a workstream or gate carries) and progress per milestone. */
import type { PhaseGateSpec, WorkstreamSpec, WorkstreamStatusValue } from "../../model";
import type { Milestone } from "../elements";

export type StatusLabel = "not-started" | "in-progress" | "review" | "blocked" | "done";
export const STATUS_LABELS: readonly { name: StatusLabel; description: string }[] = [
  { name: "not-started", description: "Not started yet" },
  { name: "in-progress", description: "Being worked on" },
  { name: "review", description: "Waiting for review" },
  { name: "blocked", description: "Waiting on a blocker" },
  { name: "done", description: "Finished and verified" },
];

/** A workstream's status label: its status in the model. */
export const workstreamStatus = (spec: WorkstreamSpec): StatusLabel => spec.status;

export function gateStatus(spec: PhaseGateSpec): StatusLabel {
  return spec.status === "passed" ? "done" : spec.status === "failed" ? "blocked" : "not-started";
}

/** Done workstreams and passed gates have closed issues (the provider closes an issue when its resource goes). */
export const workstreamClosed = (spec: WorkstreamSpec): boolean => spec.status === "done";
export const gateClosed = (spec: PhaseGateSpec): boolean => spec.status === "passed";

export interface Progress {
  done: number;
  total: number;
  status: WorkstreamStatusValue;
}

/** A milestone is done when every workstream in it is (then its GitHub milestone is closed). */
export function milestoneProgress(milestone: Milestone): Progress {
  const statuses = milestone.workstreams.map((w) => w.spec.status);
  const done = statuses.filter((s) => s === "done").length;
  const total = statuses.length;
  const status = total > 0 && done === total ? "done" : statuses.some((s) => s !== "not-started") ? "in-progress" : "not-started";
  return { done, total, status };
}

export const STATUS_MARK: Record<WorkstreamStatusValue, string> = { done: "✅", "in-progress": "🟡", "not-started": "⚪" };

/** "✅ done (3/3)", "🟡 in progress (1/3)". */
export const progressText = (p: Progress): string => `${STATUS_MARK[p.status]} ${p.status.replace("-", " ")} (${p.done}/${p.total})`;
