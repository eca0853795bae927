import { z } from "zod";
import { ByteSize, Duration, Slug } from "./common";
import { ServicePolicyFields } from "./policy";
import { JobFields } from "./jobs";
import { ScrapeOptionFields } from "./scrape";
import { ServiceRuntimeFields } from "./service-runtime";
import { ClusterServiceFields, SecretFileFields } from "./cluster";

const IMAGE_REFERENCE =
  /^(?:(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::\d+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;

/** A Docker image reference such as "nvcr.io/nvidia/pytorch:24.11-py3" or "ollama/ollama:0.5.7". */
export const ImageReference = z
  .string()
  .regex(IMAGE_REFERENCE, "is not a valid image reference (expected [registry/]name[:tag][@sha256:digest])");

export const ServiceRole = z
  .enum(["ml", "backend", "mcp", "observability", "dev"])
  .describe("What the service is; its role presets some defaults (see Role defaults)");

export const ImageSchema = z.union([
  z.strictObject({ ref: ImageReference.describe("Image pulled by reference, e.g. `ollama/ollama:0.5.7`") }),
  z.strictObject({
    build: z
      .strictObject({
        context: z.string().min(1).describe("Build context directory"),
        dockerfile: z.string().min(1).describe("Dockerfile, relative to the context"),
        args: z.record(z.string(), z.string()).default({}).describe("Build arguments"),
      })
      .describe("Built from a context on the deploying machine and streamed to the Docker host"),
    tag: ImageReference.describe("Tag the built image gets"),
  }),
]);

export const PortSchema = z.strictObject({
  container: z.number().int().min(1).max(65535).describe("Port inside the container"),
  host: z.number().int().min(1).max(65535).optional().describe("Port on the host; default: the container port"),
  bind: z
    .union([z.ipv4(), z.literal("0.0.0.0")])
    .default("127.0.0.1")
    .describe("Host address to bind; loopback unless the port is deliberately public"),
  protocol: z.enum(["tcp", "udp"]).default("tcp").describe("`tcp` or `udp`"),
  description: z.string().optional().describe("What the port serves, for the docs"),
});

export const VolumeMountSchema = z.union([
  z.strictObject({
    volume: Slug.describe("A named volume declared in the project's `volumes`"),
    target: z.string().startsWith("/").describe("Mount point in the container"),
    readOnly: z.boolean().default(false).describe("Mount read-only"),
  }),
  z.strictObject({
    hostPath: z.string().startsWith("/").describe("A path on the Docker host"),
    target: z.string().startsWith("/").describe("Mount point in the container"),
    readOnly: z.boolean().default(false).describe("Mount read-only"),
    propagation: z
      .enum(["private", "rprivate", "shared", "rshared", "slave", "rslave"])
      .optional()
      .describe('Bind propagation, e.g. "rslave" for node-exporter\'s root filesystem mount'),
  }),
]);

/** What a healthcheck proves, in a form that a stand-in image can check too. */
export const ProbeSchema = z
  .union([
    z.strictObject({
      http: z
        .strictObject({
          port: z.number().int().describe("Container port"),
          path: z.string().startsWith("/").describe("HTTP path"),
        })
        .describe("An HTTP GET that must answer 2xx"),
    }),
    z.strictObject({
      tcp: z.strictObject({ port: z.number().int().describe("Container port") }).describe("A TCP port that must accept connections"),
    }),
  ])
  .describe("What the healthcheck proves, in a form the local stand-ins can check too");

export const HealthcheckSchema = z.strictObject({
  test: z
    .array(z.string().min(1))
    .min(2)
    .describe('The production command, Docker CMD form: `["CMD", "curl", "-f", "http://localhost:8188/"]`'),
  probe: ProbeSchema,
  interval: Duration.default("30s").describe("Time between checks"),
  timeout: Duration.default("10s").describe("Time one check may take"),
  startPeriod: Duration.default("30s").describe("Grace time after start before failures count"),
  retries: z.number().int().positive().default(3).describe("Consecutive failures before the container is unhealthy"),
});

export const DependencySchema = z.strictObject({
  service: Slug.describe("Another service of the project"),
  condition: z
    .enum(["started", "healthy", "completed"])
    .default("started")
    .describe(
      "Start after it has `started`, after it reports `healthy` (it needs a healthcheck), or after a one-shot job `completed` successfully (compose's `service_completed_successfully`)",
    ),
});

/**
 * The GPU, as the Spark has one: `gpus = "all"` is the only request kreuzwerker/docker 3.6.2 reads back unchanged,
 * so there is no device count to choose.
 */
export const GpuRequestSchema = z.strictObject({
  capabilities: z
    .array(z.enum(["gpu", "compute", "utility", "graphics", "video"]))
    .default(["gpu"])
    .describe("NVIDIA driver capabilities the service needs"),
});

export const MetricsEndpointSchema = z.strictObject({
  port: z.number().int().min(1).max(65535).describe("Container port serving the metrics"),
  path: z.string().startsWith("/").default("/metrics").describe("HTTP path of the metrics"),
  interval: Duration.default("15s").describe("Scrape interval"),
  timeout: Duration.default("10s").describe("Scrape timeout (at most the interval)"),
  exposes: z
    .array(z.string().regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/))
    .default([])
    .describe("Metric names the service exposes; alert rules and dashboards may only use these"),
  labels: z.record(z.string(), z.string()).default({}).describe("Extra static labels on the scrape job"),
  ...ScrapeOptionFields,
});

export const SecretEnvSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[A-Z_][A-Z0-9_]*$/)
    .describe("Variable name inside the container"),
  from: z
    .string()
    .regex(/^[A-Z_][A-Z0-9_]*$/)
    .describe("Environment variable on the deploying machine that holds the value (`TF_VAR_<from>` also works)"),
  ...SecretFileFields,
});

export const ServiceSchema = z.strictObject({
  role: ServiceRole,
  description: z.string().min(1).describe("What the service does"),
  image: ImageSchema.describe("Where the image comes from: a reference, or a build"),
  hostname: Slug.optional().describe("The container's hostname; default: the service name (other containers reach it by its service name)"),
  command: z.array(z.string()).optional().describe("Replaces the image's command"),
  ports: z.array(PortSchema).default([]).describe("Published ports"),
  env: z
    .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string())
    .default({})
    .describe("Environment variables (never secrets: use `secretEnv`)"),
  secretEnv: z
    .array(SecretEnvSchema)
    .default([])
    .describe("Environment variables whose values come from the deploying machine's environment"),
  volumes: z.array(VolumeMountSchema).default([]).describe("Volume and host-path mounts"),
  gpu: GpuRequestSchema.optional().describe("The host's GPU (the Spark has one)"),
  healthcheck: HealthcheckSchema.optional().describe("How Docker knows the service is healthy"),
  dependsOn: z.array(DependencySchema).default([]).describe("Services that must start (or be healthy) first"),
  restart: z
    .enum(["no", "on-failure", "always", "unless-stopped"])
    .default("unless-stopped")
    .describe("Docker restart policy (a one-shot job always runs with `no`)"),
  securityOpts: z.array(z.string()).default(["no-new-privileges:true"]).describe("Docker security options"),
  user: z.string().optional().describe("User (and group) the process runs as"),
  memory: ByteSize.optional().describe('Memory limit, e.g. "16g" (swap is set equal, so none is used)'),
  shmSize: ByteSize.optional().describe("Shared memory; default: the role's (see Role defaults), else Docker's 64m"),
  profile: Slug.optional().describe("Only deployed when the target enables this profile (compose's `profiles`)"),
  metrics: MetricsEndpointSchema.optional().describe("A Prometheus endpoint: the host's Prometheus scrapes it"),
  stopGraceSeconds: z
    .number()
    .int()
    .min(0)
    .optional()
    .describe("Seconds a deploy waits for a graceful stop before removing the container; default: the role's (see Role defaults)"),
  ...ServicePolicyFields,
  ...ServiceRuntimeFields,
  ...ClusterServiceFields,
  ...JobFields,
});

export const VolumeSchema = z.strictObject({
  hostPath: z
    .string()
    .startsWith("/")
    .optional()
    .describe("Bind the volume to this directory on the Docker host instead of Docker's volume store"),
  keep: z.boolean().default(false).describe("Keep the data when the stack is destroyed (models, caches, metrics history)"),
});

export const NetworkSchema = z
  .strictObject({
    name: Slug.describe("Docker network name"),
    subnet: z.cidrv4().optional().describe("Fixed address range (set with `gateway`)"),
    gateway: z.ipv4().optional().describe("Gateway address in `subnet`"),
  })
  .refine((n) => (n.subnet === undefined) === (n.gateway === undefined), {
    message: "set subnet and gateway together (the docker provider replaces the network otherwise)",
  });

export type ServiceSpec = z.infer<typeof ServiceSchema>;
export type ServiceInput = z.input<typeof ServiceSchema>;
export type PortSpec = z.infer<typeof PortSchema>;
export type VolumeMountSpec = z.infer<typeof VolumeMountSchema>;
export type HealthcheckSpec = z.infer<typeof HealthcheckSchema>;
export type ProbeSpec = z.infer<typeof ProbeSchema>;
export type MetricsEndpointSpec = z.infer<typeof MetricsEndpointSchema>;
export type VolumeSpec = z.infer<typeof VolumeSchema>;
export type NetworkSpec = z.infer<typeof NetworkSchema>;
export type GpuRequest = z.infer<typeof GpuRequestSchema>;
export type ServiceRoleName = z.infer<typeof ServiceRole>;
