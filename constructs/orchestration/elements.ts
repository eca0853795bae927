import { Construct } from "constructs";
import type { DomainOrchestratorSpec, MetaOrchestratorSpec, Milestone as MilestoneSpec, PhaseGateSpec, WorkstreamSpec } from "../model";
import type { ScheduledWorkstream } from "./schedule";

/** A project milestone (M0..). Its due date comes from the schedule of the workstreams in it. */
export class Milestone extends Construct {
  readonly workstreams: Workstream[] = [];
  constructor(
    scope: Construct,
    readonly spec: MilestoneSpec,
    readonly dueDate: string,
  ) {
    super(scope, spec.id);
  }
}

/** One unit of agent work, scheduled from its hard dependencies. */
export class Workstream extends Construct {
  private readonly hard: Workstream[] = [];
  private readonly soft: Workstream[] = [];

  constructor(
    scope: Construct,
    readonly spec: WorkstreamSpec,
    readonly scheduled: ScheduledWorkstream,
    readonly critical: boolean,
  ) {
    super(scope, spec.id);
  }

  /** This workstream cannot start until `other` finishes. */
  blockedBy(other: Workstream): void {
    this.hard.push(other);
    this.node.addDependency(other);
  }

  /** `other` feeds useful input, but does not gate the start. */
  informedBy(other: Workstream): void {
    this.soft.push(other);
  }

  get blockers(): readonly Workstream[] {
    return this.hard;
  }

  get softBlockers(): readonly Workstream[] {
    return this.soft;
  }

  /** Directory name of the workstream's spec, e.g. "ws01-hardware-baselines". */
  get slug(): string {
    const name = this.spec.name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "");
    return `ws${this.spec.id.slice(3)}-${name}`;
  }
}

/** A domain orchestrator: owns milestones, workstreams and repository paths. */
export class DomainOrchestrator extends Construct {
  readonly workstreams: Workstream[] = [];
  constructor(
    scope: Construct,
    readonly spec: DomainOrchestratorSpec,
  ) {
    super(scope, spec.id);
  }
}

/** The meta-orchestrator: spawns domain orchestrators in dependency order and owns the meta gates. */
export class MetaOrchestrator extends Construct {
  constructor(
    scope: Construct,
    readonly spec: MetaOrchestratorSpec,
    readonly orchestrators: readonly DomainOrchestrator[],
  ) {
    super(scope, "meta");
  }
}

/** A checkpoint whose criteria must hold before the `to` milestones may start. */
export class PhaseGate extends Construct {
  constructor(
    scope: Construct,
    readonly spec: PhaseGateSpec,
    readonly reviews: readonly Workstream[],
  ) {
    super(scope, spec.id);
  }
}
