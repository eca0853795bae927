import { z } from "zod";
import { IsoDate, Priority, Slug } from "./common";
import { workstreamTrackingFields } from "./tracking";

export const MilestoneId = z.string().regex(/^M\d+$/, 'must look like "M0"');
export const WorkstreamId = z.string().regex(/^WS-\d{2}$/, 'must look like "WS-01"');

export const MilestoneSchema = z.strictObject({
  id: MilestoneId.describe('Milestone id, e.g. "M0"'),
  name: z.string().min(1).describe("Short name"),
  goal: z.string().min(1).describe("What the milestone achieves"),
  successMetric: z.string().optional().describe("How its success is measured"),
});

export const MetaOrchestratorSchema = z.strictObject({
  name: z.string().min(1).describe("Name of the meta-orchestrator"),
  description: z.string().min(1).describe("What it coordinates"),
  agentType: z.string().min(1).describe("Agent type that runs it"),
  statusCadence: z.string().optional().describe('How often domain orchestrators report, e.g. "4h"'),
});

export const DomainOrchestratorSchema = z.strictObject({
  id: Slug.describe("Orchestrator id"),
  name: z.string().min(1).describe("Name"),
  domain: z.string().min(1).describe("Domain it owns"),
  milestones: z.array(MilestoneId).min(1).describe("Milestones it works in"),
  ownedPaths: z.array(z.string().min(1)).min(1).describe("Repository paths it owns; they become CODEOWNERS entries"),
  agentType: z.string().min(1).describe("Agent type that runs it"),
  owners: z
    .array(z.string().regex(/^@[\w.-]+(\/[\w.-]+)?$/))
    .default([])
    .describe('GitHub teams or users that review the owned paths, e.g. "@raibid-labs/ml"'),
});

export const WorkstreamSchema = z.strictObject({
  id: WorkstreamId.describe('Workstream id, e.g. "WS-01"'),
  name: z.string().min(1).describe("Name"),
  orchestrator: Slug.describe("The domain orchestrator that owns it"),
  milestone: MilestoneId.describe("The milestone it belongs to"),
  dependsOn: z.array(WorkstreamId).default([]).describe("Hard dependencies: it cannot start before they finish"),
  softDependsOn: z.array(WorkstreamId).default([]).describe("Soft dependencies: useful input, but work may start without them"),
  durationDays: z
    .strictObject({
      min: z.number().int().positive().describe("Optimistic estimate"),
      max: z.number().int().positive().describe("Upper estimate, used by the schedule"),
    })
    .refine((d) => d.min <= d.max, { message: "min must not exceed max" })
    .describe("Estimated duration in days; the schedule uses `max`"),
  priority: Priority.describe("P0 (blocks other work), P1 or P2"),
  agentTypes: z.array(z.string().min(1)).min(1).describe("Agent types that do the work"),
  objective: z.string().min(1).describe("What it achieves"),
  deliverables: z.array(z.string().min(1)).min(1).describe("What it delivers"),
  acceptanceCriteria: z.array(z.string().min(1)).min(1).describe("Checks that say it is done"),
  ...workstreamTrackingFields,
});

export const GateStatus = z.enum(["pending", "passed", "failed"]);

export const PhaseGateSchema = z.strictObject({
  id: Slug.describe("Gate id"),
  name: z.string().min(1).describe("Name"),
  owner: z.string().min(1).describe("\"meta\" for the meta-orchestrator's gates, else the owning domain orchestrator's id"),
  from: z.array(MilestoneId).min(1).describe("Milestones the gate closes"),
  to: z.array(MilestoneId).min(1).describe("Milestones it opens"),
  after: z.array(WorkstreamId).default([]).describe("Workstreams whose completion it reviews"),
  criteria: z.array(z.string().min(1)).min(1).describe("What must hold to pass"),
  status: GateStatus.default("pending").describe("`pending`, `passed` or `failed`"),
});

export const OrchestrationSchema = z.strictObject({
  startDate: IsoDate.describe("The day work starts; milestone due dates follow from it and the schedule"),
  milestones: z.array(MilestoneSchema).min(1).describe("Milestones, in order"),
  meta: MetaOrchestratorSchema.describe("The meta-orchestrator"),
  orchestrators: z.array(DomainOrchestratorSchema).min(1).describe("Domain orchestrators"),
  workstreams: z.array(WorkstreamSchema).min(1).describe("Workstreams"),
  gates: z.array(PhaseGateSchema).default([]).describe("Phase gates between milestones"),
  decisions: z.array(z.string()).default([]).describe("Why the blueprint resolved its source material's contradictions the way it did"),
});

export type Milestone = z.infer<typeof MilestoneSchema>;
export type MetaOrchestratorSpec = z.infer<typeof MetaOrchestratorSchema>;
export type DomainOrchestratorSpec = z.infer<typeof DomainOrchestratorSchema>;
export type WorkstreamSpec = z.infer<typeof WorkstreamSchema>;
export type PhaseGateSpec = z.infer<typeof PhaseGateSchema>;
export type Orchestration = z.infer<typeof OrchestrationSchema>;
export type OrchestrationInput = z.input<typeof OrchestrationSchema>;
