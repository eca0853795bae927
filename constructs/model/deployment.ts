import { z } from "zod";
import { Slug } from "./common";

const DockerHostUrl = z
  .string()
  .regex(
    /^(unix:\/\/\/\S+|ssh:\/\/[A-Za-z0-9._-]+@[A-Za-z0-9.-]+(:\d{1,5})?|tcp:\/\/[A-Za-z0-9.-]+:\d{1,5})$/,
    'must be "unix:///path/to/docker.sock" or "ssh://user@host[:port]"',
  );

export const HostSchema = z.strictObject({
  /** How the deploying machine reaches the host's Docker engine. */
  dockerHost: DockerHostUrl,
  /** Extra ssh options for ssh:// hosts, e.g. ["-o", "ControlMaster=auto"]. */
  sshOpts: z.array(z.string()).default([]),
  gpus: z.boolean(),
  arch: z.enum(["arm64", "amd64"]),
  /** Projects deployed on this host. */
  projects: z.array(Slug).default([]),
  /** Address observability ports bind to when `publicObservability` is set. */
  publicAddress: z.ipv4().optional(),
  /** Bind Grafana and Prometheus to `publicAddress` instead of 127.0.0.1. */
  publicObservability: z.boolean().default(false),
  /**
   * Fixed address range of the host's shared observability network. Left to Docker, it would take whichever
   * range is free when it is created, possibly the one a project's fixed subnet needs later ("Pool overlaps").
   */
  observabilityNetwork: z
    .strictObject({ subnet: z.cidrv4(), gateway: z.ipv4() })
    .default({ subnet: "172.30.0.0/24", gateway: "172.30.0.1" }),
});

export const StateSchema = z.union([
  z.strictObject({
    backend: z.literal("local"),
    /** Directory holding one state file per stack; relative paths are from the project root. */
    directory: z.string().default(".state"),
  }),
  z.strictObject({
    backend: z.literal("pg"),
    /** Connection string without the password; PGPASSWORD supplies it. */
    connection: z.string().startsWith("postgres"),
    schemaPrefix: Slug.default("sparky"),
  }),
]);

export const TargetSchema = z.strictObject({
  description: z.string().default(""),
  hosts: z.array(Slug).min(1),
  /** "local" swaps production images for locally built stand-ins (tests, laptops without registries). */
  images: z.enum(["production", "local"]).default("production"),
  /** Run GPU services on a host without GPUs by dropping the GPU request. Never silent: synth prints each downgrade. */
  allowGpuDowngrade: z.boolean().default(false),
  /** Profiles to deploy, e.g. ["dev"]. Services with another profile are skipped. */
  profiles: z.array(Slug).default([]),
  state: StateSchema.default({ backend: "local", directory: ".state" }),
});

export const DeploymentConfigSchema = z.strictObject({
  $schema: z.string().optional(),
  github: z.strictObject({
    owner: z.string().regex(/^[A-Za-z0-9-]+$/),
    /** API base for GitHub Enterprise or a local emulator; GitHub.com when unset. */
    baseUrl: z.url().optional(),
  }),
  hosts: z.record(Slug, HostSchema),
  targets: z.record(Slug, TargetSchema),
  defaultTarget: Slug,
});

export type HostSpec = z.infer<typeof HostSchema>;
export type TargetSpec = z.infer<typeof TargetSchema>;
export type StateSpec = z.infer<typeof StateSchema>;
export type DeploymentConfig = z.infer<typeof DeploymentConfigSchema>;
export type DeploymentConfigInput = z.input<typeof DeploymentConfigSchema>;
