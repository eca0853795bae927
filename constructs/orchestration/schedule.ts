import { topologicalOrder } from "../model/graph";
import type { Milestone, WorkstreamSpec } from "../model";

export interface ScheduledWorkstream {
  id: string;
  /** Day offsets from the project start; a workstream occupies [start, finish). */
  start: number;
  finish: number;
  duration: number;
  /** How many days the workstream can slip without delaying the project. */
  slack: number;
}

export interface Schedule {
  estimate: "min" | "max";
  workstreams: ReadonlyMap<string, ScheduledWorkstream>;
  /** Length of the whole plan in days. */
  totalDays: number;
  /** The chain of hard dependencies that sets the project's length, first to last. */
  criticalPath: string[];
  /** Day each milestone's last workstream finishes. */
  milestoneFinish: ReadonlyMap<string, number>;
}

const PRIORITY_RANK = { P0: 0, P1: 1, P2: 2 } as const;

/**
 * Critical-path method over hard dependencies. Soft dependencies never delay a start. Where two chains are
 * equally long, the one with higher-priority workstreams wins, then the earlier-declared one.
 */
export function computeSchedule(workstreams: readonly WorkstreamSpec[], estimate: "min" | "max" = "max"): Schedule {
  const byId = new Map(workstreams.map((w) => [w.id, w]));
  const ids = workstreams.map((w) => w.id);
  const edges = new Map(workstreams.map((w) => [w.id, w.dependsOn.filter((d) => byId.has(d))]));
  const order = topologicalOrder(ids, edges);
  const declared = new Map(ids.map((id, i) => [id, i]));

  const start = new Map<string, number>();
  const finish = new Map<string, number>();
  for (const id of order) {
    const s = Math.max(0, ...edges.get(id)!.map((d) => finish.get(d)!));
    start.set(id, s);
    finish.set(id, s + byId.get(id)!.durationDays[estimate]);
  }
  const totalDays = Math.max(0, ...finish.values());

  const dependents = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const [id, deps] of edges) for (const d of deps) dependents.get(d)!.push(id);
  const latestFinish = new Map<string, number>();
  for (const id of [...order].reverse()) {
    const next = dependents.get(id)!.map((n) => latestFinish.get(n)! - byId.get(n)!.durationDays[estimate]);
    latestFinish.set(id, Math.min(totalDays, ...next));
  }

  const preference = (a: string, b: string) =>
    PRIORITY_RANK[byId.get(a)!.priority] - PRIORITY_RANK[byId.get(b)!.priority] || declared.get(a)! - declared.get(b)!;

  const criticalPath: string[] = [];
  let current = ids.filter((id) => finish.get(id) === totalDays).sort(preference)[0];
  while (current !== undefined) {
    criticalPath.unshift(current);
    const startOfCurrent = start.get(current)!;
    current = edges
      .get(current)!
      .filter((d) => finish.get(d) === startOfCurrent)
      .sort(preference)[0];
  }

  const scheduled = new Map<string, ScheduledWorkstream>(
    ids.map((id) => [
      id,
      {
        id,
        start: start.get(id)!,
        finish: finish.get(id)!,
        duration: byId.get(id)!.durationDays[estimate],
        slack: latestFinish.get(id)! - finish.get(id)!,
      },
    ]),
  );
  const milestoneFinish = new Map<string, number>();
  for (const w of workstreams) milestoneFinish.set(w.milestone, Math.max(milestoneFinish.get(w.milestone) ?? 0, finish.get(w.id)!));
  return { estimate, workstreams: scheduled, totalDays, criticalPath, milestoneFinish };
}

/** Calendar date `days` after an ISO start date. */
export function dateAfter(startDate: string, days: number): string {
  const date = new Date(`${startDate}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** Due date of every milestone, in model order; a milestone without workstreams inherits the previous one's date. */
export function milestoneDueDates(milestones: readonly Milestone[], schedule: Schedule, startDate: string): Map<string, string> {
  const due = new Map<string, string>();
  let previous = 0;
  for (const m of milestones) {
    previous = schedule.milestoneFinish.get(m.id) ?? previous;
    due.set(m.id, dateAfter(startDate, previous));
  }
  return due;
}
