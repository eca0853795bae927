import { computeSchedule, dateAfter, milestoneDueDates } from "../constructs/orchestration/schedule";
import { ProjectSchema } from "../constructs/model";
import { tinyProject } from "../support/fixtures";

const ws = (id: string, max: number, dependsOn: string[] = [], priority: "P0" | "P1" | "P2" = "P0", softDependsOn: string[] = []) => ({
  id,
  name: id,
  orchestrator: "core",
  milestone: "M0",
  dependsOn,
  softDependsOn,
  durationDays: { min: 1, max },
  priority,
  agentTypes: ["dev"],
  objective: "x",
  deliverables: ["x"],
  acceptanceCriteria: ["x"],
  status: "not-started" as const,
  issueKeys: [],
});

describe("schedule", () => {
  test("earliest start is the latest finish of the hard dependencies", () => {
    const s = computeSchedule([ws("WS-01", 3), ws("WS-02", 5, ["WS-01"]), ws("WS-03", 2, ["WS-01"]), ws("WS-04", 1, ["WS-02", "WS-03"])]);
    expect(s.workstreams.get("WS-04")).toEqual({ id: "WS-04", start: 8, finish: 9, duration: 1, slack: 0 });
    expect(s.workstreams.get("WS-03")).toEqual({ id: "WS-03", start: 3, finish: 5, duration: 2, slack: 3 });
    expect(s.totalDays).toBe(9);
    expect(s.criticalPath).toEqual(["WS-01", "WS-02", "WS-04"]);
  });

  test("soft dependencies never delay a start", () => {
    const s = computeSchedule([ws("WS-01", 10), ws("WS-02", 2, [], "P0", ["WS-01"])]);
    expect(s.workstreams.get("WS-02")!.start).toBe(0);
    expect(s.criticalPath).toEqual(["WS-01"]);
  });

  test("equally long chains: the higher-priority one is the critical path", () => {
    const s = computeSchedule([ws("WS-01", 2), ws("WS-02", 3, ["WS-01"], "P2"), ws("WS-03", 3, ["WS-01"], "P0")]);
    expect(s.criticalPath).toEqual(["WS-01", "WS-03"]);
    expect(s.workstreams.get("WS-02")!.slack).toBe(0);
  });

  test("min estimates give the optimistic schedule", () => {
    const s = computeSchedule([ws("WS-01", 3), ws("WS-02", 5, ["WS-01"])], "min");
    expect(s.totalDays).toBe(2);
  });

  test("milestone due dates follow the schedule from the start date", () => {
    const project = ProjectSchema.parse(tinyProject());
    const s = computeSchedule(project.workstreams);
    expect(Object.fromEntries(milestoneDueDates(project.milestones, s, project.startDate))).toEqual({ M0: "2026-01-07", M1: "2026-01-11" });
    expect(dateAfter("2026-12-30", 3)).toBe("2027-01-02");
  });
});
