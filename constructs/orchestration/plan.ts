import { Construct } from "constructs";
import type { Project } from "../model";
import { DomainOrchestrator, MetaOrchestrator, Milestone, PhaseGate, Workstream } from "./elements";
import { computeSchedule, milestoneDueDates, Schedule } from "./schedule";

/**
 * A project's whole orchestration: meta-orchestrator, domain orchestrators, milestones, workstreams and
 * gates, wired by their relationships and scheduled with upper duration estimates.
 */
export class OrchestrationPlan extends Construct {
  readonly schedule: Schedule;
  readonly meta: MetaOrchestrator;
  readonly orchestrators: readonly DomainOrchestrator[];
  readonly milestones: readonly Milestone[];
  readonly workstreams: readonly Workstream[];
  readonly gates: readonly PhaseGate[];

  constructor(
    scope: Construct,
    id: string,
    readonly project: Project,
  ) {
    super(scope, id);
    this.schedule = computeSchedule(project.workstreams, "max");
    const due = milestoneDueDates(project.milestones, this.schedule, project.startDate);
    const critical = new Set(this.schedule.criticalPath);

    this.milestones = project.milestones.map((m) => new Milestone(this, m, due.get(m.id)!));
    this.orchestrators = project.orchestrators.map((o) => new DomainOrchestrator(this, o));
    this.meta = new MetaOrchestrator(this, project.meta, this.orchestrators);
    this.workstreams = project.workstreams.map((w) => new Workstream(this, w, this.schedule.workstreams.get(w.id)!, critical.has(w.id)));

    const byId = new Map(this.workstreams.map((w) => [w.spec.id, w]));
    for (const ws of this.workstreams) {
      ws.spec.dependsOn.forEach((d) => ws.blockedBy(byId.get(d)!));
      ws.spec.softDependsOn.forEach((d) => ws.informedBy(byId.get(d)!));
      this.orchestrators.find((o) => o.spec.id === ws.spec.orchestrator)!.workstreams.push(ws);
      this.milestones.find((m) => m.spec.id === ws.spec.milestone)!.workstreams.push(ws);
    }
    this.gates = project.gates.map(
      (g) =>
        new PhaseGate(
          this,
          g,
          g.after.map((w) => byId.get(w)!),
        ),
    );
  }

  /** The workstreams on the critical path, first to last. */
  get criticalPath(): Workstream[] {
    return this.schedule.criticalPath.map((id) => this.workstream(id));
  }

  workstream(id: string): Workstream {
    const found = this.workstreams.find((w) => w.spec.id === id);
    if (!found) throw new Error(`${this.project.id} has no workstream ${id}`);
    return found;
  }
}
