import { z } from "zod";
import { ByteSize, Duration, Slug } from "./common";

const IMAGE_REFERENCE =
  /^(?:(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::\d+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;

/** A Docker image reference such as "nvcr.io/nvidia/pytorch:24.11-py3" or "ollama/ollama:0.5.7". */
export const ImageReference = z
  .string()
  .regex(IMAGE_REFERENCE, "is not a valid image reference (expected [registry/]name[:tag][@sha256:digest])");

export const ServiceRole = z.enum(["ml", "backend", "mcp", "observability", "dev"]);

export const ImageSchema = z.union([
  z.strictObject({
    /** Pulled by reference. */
    ref: ImageReference,
  }),
  z.strictObject({
    /** Built from a context on the deploying machine, streamed to the Docker host. */
    build: z.strictObject({
      context: z.string().min(1),
      dockerfile: z.string().min(1),
      args: z.record(z.string(), z.string()).default({}),
    }),
    /** Tag the built image gets. */
    tag: ImageReference,
  }),
]);

export const PortSchema = z.strictObject({
  container: z.number().int().min(1).max(65535),
  /** Host port; defaults to the container port. */
  host: z.number().int().min(1).max(65535).optional(),
  /** Host address to bind. Loopback unless the port is deliberately public. */
  bind: z.union([z.ipv4(), z.literal("0.0.0.0")]).default("127.0.0.1"),
  protocol: z.enum(["tcp", "udp"]).default("tcp"),
  /** What the port serves, for docs and the README's service table. */
  description: z.string().optional(),
});

export const VolumeMountSchema = z.union([
  z.strictObject({
    /** A named volume declared in the project's `volumes`. */
    volume: Slug,
    target: z.string().startsWith("/"),
    readOnly: z.boolean().default(false),
  }),
  z.strictObject({
    /** A path on the Docker host. */
    hostPath: z.string().startsWith("/"),
    target: z.string().startsWith("/"),
    readOnly: z.boolean().default(false),
    /** Bind propagation, e.g. "rslave" for node-exporter's root filesystem mount. */
    propagation: z.enum(["private", "rprivate", "shared", "rshared", "slave", "rslave"]).optional(),
  }),
]);

/** What a healthcheck proves, in a form that a stand-in image can check too. */
export const ProbeSchema = z.union([
  z.strictObject({ http: z.strictObject({ port: z.number().int(), path: z.string().startsWith("/") }) }),
  z.strictObject({ tcp: z.strictObject({ port: z.number().int() }) }),
]);

export const HealthcheckSchema = z.strictObject({
  /** The production command, Docker CMD form: ["CMD", "curl", "-f", "http://localhost:8188/"]. */
  test: z.array(z.string().min(1)).min(2),
  probe: ProbeSchema,
  interval: Duration.default("30s"),
  timeout: Duration.default("10s"),
  startPeriod: Duration.default("30s"),
  retries: z.number().int().positive().default(3),
});

export const DependencySchema = z.strictObject({
  service: Slug,
  condition: z.enum(["started", "healthy"]).default("started"),
});

/**
 * The GPU, as the Spark has one: `gpus = "all"` is the only request kreuzwerker/docker 3.6.2 reads back unchanged,
 * so there is no device count to choose.
 */
export const GpuRequestSchema = z.strictObject({
  capabilities: z.array(z.enum(["gpu", "compute", "utility", "graphics", "video"])).default(["gpu"]),
});

export const MetricsEndpointSchema = z.strictObject({
  port: z.number().int().min(1).max(65535),
  path: z.string().startsWith("/").default("/metrics"),
  interval: Duration.default("15s"),
  timeout: Duration.default("10s"),
  /** Metric names the service exposes; alert rules and dashboards may only use these. */
  exposes: z.array(z.string().regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/)).default([]),
  /** Extra static labels on the scrape job. */
  labels: z.record(z.string(), z.string()).default({}),
});

export const SecretEnvSchema = z.strictObject({
  /** Variable name inside the container. */
  name: z.string().regex(/^[A-Z_][A-Z0-9_]*$/),
  /** Environment variable on the deploying machine that holds the value (TF_VAR_<from> also works). */
  from: z.string().regex(/^[A-Z_][A-Z0-9_]*$/),
});

export const ServiceSchema = z.strictObject({
  role: ServiceRole,
  description: z.string().min(1),
  image: ImageSchema,
  /** Alias on the project network; defaults to the service name. */
  hostname: Slug.optional(),
  command: z.array(z.string()).optional(),
  ports: z.array(PortSchema).default([]),
  env: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string()).default({}),
  secretEnv: z.array(SecretEnvSchema).default([]),
  volumes: z.array(VolumeMountSchema).default([]),
  gpu: GpuRequestSchema.optional(),
  healthcheck: HealthcheckSchema.optional(),
  dependsOn: z.array(DependencySchema).default([]),
  restart: z.enum(["no", "on-failure", "always", "unless-stopped"]).default("unless-stopped"),
  securityOpts: z.array(z.string()).default(["no-new-privileges:true"]),
  user: z.string().optional(),
  memory: ByteSize.optional(),
  /** Shared memory; default per role (ml: 2g, others: Docker's 64m). See ROLE_DEFAULTS. */
  shmSize: ByteSize.optional(),
  /** Only deployed when the target enables this profile (compose's `profiles`). */
  profile: Slug.optional(),
  metrics: MetricsEndpointSchema.optional(),
  /** Seconds a deploy waits for a graceful stop before removing the container; default per role (ml, backend: 30; others: 10). */
  stopGraceSeconds: z.number().int().min(0).optional(),
});

export const VolumeSchema = z.strictObject({
  /** Bind the volume to this directory on the Docker host instead of Docker's volume store. */
  hostPath: z.string().startsWith("/").optional(),
  /** Keep the data when the stack is destroyed (models, caches, metrics history). */
  keep: z.boolean().default(false),
});

export const NetworkSchema = z
  .strictObject({
    name: Slug,
    subnet: z.cidrv4().optional(),
    gateway: z.ipv4().optional(),
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
