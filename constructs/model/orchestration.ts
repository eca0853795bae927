import { z } from "zod";
import { IsoDate, Priority, Slug } from "./common";

export const MilestoneId = z.string().regex(/^M\d+$/, 'must look like "M0"');
export const WorkstreamId = z.string().regex(/^WS-\d{2}$/, 'must look like "WS-01"');

export const MilestoneSchema = z.strictObject({
  id: MilestoneId,
  name: z.string().min(1),
  goal: z.string().min(1),
  successMetric: z.string().optional(),
});

export const MetaOrchestratorSchema = z.strictObject({
  name: z.string().min(1),
  description: z.string().min(1),
  agentType: z.string().min(1),
  /** How often domain orchestrators report, e.g. "4h". */
  statusCadence: z.string().optional(),
});

export const DomainOrchestratorSchema = z.strictObject({
  id: Slug,
  name: z.string().min(1),
  domain: z.string().min(1),
  milestones: z.array(MilestoneId).min(1),
  /** Repository paths this orchestrator owns; they become CODEOWNERS entries. */
  ownedPaths: z.array(z.string().min(1)).min(1),
  agentType: z.string().min(1),
  /** GitHub team or user that reviews the owned paths, e.g. "@raibid-labs/ml". */
  owners: z.array(z.string().regex(/^@[\w.-]+(\/[\w.-]+)?$/)).default([]),
});

export const WorkstreamSchema = z.strictObject({
  id: WorkstreamId,
  name: z.string().min(1),
  orchestrator: Slug,
  milestone: MilestoneId,
  /** Hard dependencies: this workstream cannot start before they finish. */
  dependsOn: z.array(WorkstreamId).default([]),
  /** Soft dependencies: useful input, but work may start without them. */
  softDependsOn: z.array(WorkstreamId).default([]),
  durationDays: z
    .strictObject({ min: z.number().int().positive(), max: z.number().int().positive() })
    .refine((d) => d.min <= d.max, { message: "min must not exceed max" }),
  priority: Priority,
  agentTypes: z.array(z.string().min(1)).min(1),
  objective: z.string().min(1),
  deliverables: z.array(z.string().min(1)).min(1),
  acceptanceCriteria: z.array(z.string().min(1)).min(1),
});

export const GateStatus = z.enum(["pending", "passed", "failed"]);

export const PhaseGateSchema = z.strictObject({
  id: Slug,
  name: z.string().min(1),
  /** "meta" for the meta-orchestrator's gates, else the owning domain orchestrator's id. */
  owner: z.string().min(1),
  from: z.array(MilestoneId).min(1),
  to: z.array(MilestoneId).min(1),
  /** Workstreams whose completion the gate reviews. */
  after: z.array(WorkstreamId).default([]),
  criteria: z.array(z.string().min(1)).min(1),
  status: GateStatus.default("pending"),
});

export const OrchestrationSchema = z.strictObject({
  /** The day work starts; milestone due dates are computed from it and the schedule. */
  startDate: IsoDate,
  milestones: z.array(MilestoneSchema).min(1),
  meta: MetaOrchestratorSchema,
  orchestrators: z.array(DomainOrchestratorSchema).min(1),
  workstreams: z.array(WorkstreamSchema).min(1),
  gates: z.array(PhaseGateSchema).default([]),
  /** Why the blueprint resolved a contradiction in its source material the way it did. */
  decisions: z.array(z.string()).default([]),
});

export type Milestone = z.infer<typeof MilestoneSchema>;
export type MetaOrchestratorSpec = z.infer<typeof MetaOrchestratorSchema>;
export type DomainOrchestratorSpec = z.infer<typeof DomainOrchestratorSchema>;
export type WorkstreamSpec = z.infer<typeof WorkstreamSchema>;
export type PhaseGateSpec = z.infer<typeof PhaseGateSchema>;
export type Orchestration = z.infer<typeof OrchestrationSchema>;
export type OrchestrationInput = z.input<typeof OrchestrationSchema>;
