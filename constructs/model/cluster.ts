// A cluster: hosts joined as one Docker Swarm (a manager and workers), which a target may deploy to instead of single
// hosts. The services keep their model; where each may run follows from it (see cluster-placement.ts).
import { z } from "zod";
import { Duration, Slug } from "./common";
import type { HostSpec } from "./deployment";

const AbsolutePath = z
  .string()
  .regex(/^\/[^\0]*$/, "must be an absolute path")
  .refine((p) => !p.split("/").includes(".."), {
    message: 'must not contain ".."',
  });

/** A node label key as Swarm constraints can name it (`node.labels.<key>`). */
const LabelKey = z.string().regex(/^[a-z][a-z0-9.-]*[a-z0-9]$/, 'must be lower-case letters, digits, dots and dashes (e.g. "storage")');

export const ClusterSchema = z.strictObject({
  manager: Slug.describe(
    "The host that manages the swarm (`docker swarm init` ran there): every stack creates its services, overlay networks, secrets and configs through its engine",
  ),
  workers: z.array(Slug).default([]).describe("Hosts joined to the swarm as workers (`docker swarm join`)"),
  labels: z
    .record(Slug, z.record(LabelKey, z.string().min(1)))
    .default({})
    .describe(
      'Extra node labels, by host, e.g. `{ "spark-2": { "storage": "nvme" } }`; `sparky.host`, `gpu`, `arch`, `memory` and `public` come from the hosts\' own settings',
    ),
  sharedPaths: z
    .array(AbsolutePath)
    .default([])
    .describe(
      "Host directories every node sees with the same content (an NFS export of one Spark's disk mounted at the same path on both): a host-path mount under one of them does not pin its service to a node",
    ),
});

export type ClusterSpec = z.infer<typeof ClusterSchema>;

/** The deployment config's `clusters` map; spread into DeploymentConfigSchema. */
export const ClusterConfigFields = {
  clusters: z
    .record(Slug, ClusterSchema)
    .default({})
    .describe("Docker Swarm clusters, by name: hosts that run as one (see Two Sparks as one swarm)"),
};

/** What a target may say about a cluster; spread into TargetSchema. */
export const ClusterTargetFields = {
  cluster: Slug.optional().describe(
    "Deploy to this cluster (`clusters.<name>`) as one Docker Swarm instead of to single hosts; `hosts` then lists exactly the cluster's hosts, and each project's host is its home node (where its node-local data lives)",
  ),
};

/**
 * Healthcheck timings for a target whose images start at once (the local stand-ins); spread into TargetSchema with
 * ClusterTargetFields.
 */
export const HealthcheckTimingFields = {
  healthchecks: z
    .strictObject({
      interval: Duration.describe("Time between checks"),
      timeout: Duration.describe("Time one check may take"),
      startPeriod: Duration.describe("Grace time after start"),
    })
    .optional()
    .describe(
      "Replaces the interval, timeout and start period of every healthcheck the target runs (retries stay): stand-in images answer at once, so a test target need not wait the production timings",
    ),
};

/** How many copies of a service run; spread into ServiceSchema. */
export const ClusterServiceFields = {
  replicas: z
    .number()
    .int()
    .min(1)
    .max(64)
    .default(1)
    .describe("Tasks of the service on a swarm (a single host always runs one container)"),
};

/** How a secret reaches a service whose application can read it from a file; spread into SecretEnvSchema. */
export const SecretFileFields = {
  file: z
    .string()
    .regex(/^[A-Z_][A-Z0-9_]*$/)
    .optional()
    .describe(
      "The application's `_FILE` convention for this secret, e.g. `GF_SECURITY_ADMIN_PASSWORD__FILE`: on a swarm the value is a Docker secret mounted at `/run/secrets/<name>` and this variable holds that path (a swarm refuses a secret without it)",
    ),
};

/** Where a secret file is mounted in a swarm task: Docker's default secrets directory. */
export const secretFilePath = (name: string) => `/run/secrets/${name}`;

/** Node labels sparky-infra derives from a host's settings; `cluster-labels` applies them, deploy checks them. */
export const NODE_LABEL = {
  /** The host's name in the config: what pins a service to its project's home node. */
  host: "sparky.host",
  gpu: "gpu",
  arch: "arch",
  memory: "memory",
  /** The host may publish ports beyond loopback (`hosts.<name>.publicPorts`). */
  public: "public",
} as const;

/** Every label a node of the cluster carries: those derived from its host, then the cluster's extra ones. */
export function nodeLabels(hostName: string, host: HostSpec, cluster: ClusterSpec): Record<string, string> {
  return {
    [NODE_LABEL.host]: hostName,
    [NODE_LABEL.gpu]: String(host.gpus),
    [NODE_LABEL.arch]: host.arch,
    ...(host.memory ? { [NODE_LABEL.memory]: host.memory.total } : {}),
    [NODE_LABEL.public]: String(host.publicPorts),
    ...(cluster.labels[hostName] ?? {}),
  };
}

/** The cluster's hosts, manager first. */
export const clusterHosts = (cluster: ClusterSpec): string[] => [cluster.manager, ...cluster.workers];
