import { z } from "zod";
import { Slug } from "./common";
import { AlertGroupSchema } from "./observability";
import { OrchestrationSchema } from "./orchestration";
import { RepositorySchema } from "./repository";
import { NetworkSchema, ServiceSchema, VolumeSchema } from "./services";

export const ProjectSchema = z.strictObject({
  id: Slug,
  name: z.string().min(1),
  description: z.string().min(1),
  repository: RepositorySchema,
  ...OrchestrationSchema.shape,
  network: NetworkSchema,
  services: z.record(Slug, ServiceSchema),
  volumes: z.record(Slug, VolumeSchema).default({}),
  alerts: z.array(AlertGroupSchema).default([]),
});

export type Project = z.infer<typeof ProjectSchema>;
export type ProjectInput = z.input<typeof ProjectSchema>;
