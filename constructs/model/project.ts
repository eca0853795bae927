import { z } from "zod";
import { Slug } from "./common";
import { AlertGroupSchema, DashboardSchema } from "./observability";
import { OrchestrationSchema } from "./orchestration";
import { RepositorySchema } from "./repository";
import { NetworkSchema, ServiceSchema, VolumeSchema } from "./services";
import { ProjectSourceFields } from "./sources";

export const ProjectSchema = z.strictObject({
  id: Slug.describe("Project id; prefixes its containers, volumes and stacks"),
  name: z.string().min(1).describe("Human name"),
  description: z.string().min(1).describe("What the project is"),
  repository: RepositorySchema.describe("The project's GitHub repository"),
  ...OrchestrationSchema.shape,
  network: NetworkSchema.describe("The project's Docker network"),
  services: z.record(Slug, ServiceSchema).describe("Containers, by service name"),
  volumes: z.record(Slug, VolumeSchema).default({}).describe("Named volumes, by name (Docker name `<project>-<name>`)"),
  alerts: z.array(AlertGroupSchema).default([]).describe("Prometheus alert rule groups"),
  dashboards: z
    .array(DashboardSchema)
    .default([])
    .describe(
      "Grafana dashboards of the project, provisioned in its own folder on its host; every query may only use metrics the host exposes",
    ),
  ...ProjectSourceFields,
});

export type Project = z.infer<typeof ProjectSchema>;
export type ProjectInput = z.input<typeof ProjectSchema>;
