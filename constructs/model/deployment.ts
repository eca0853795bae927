import { z } from "zod";
import { Slug } from "./common";
import { PgStateSchema, StateServerSettingsSchema } from "./state-server";
import { HostMemorySchema } from "./memory";
import { OBSERVABILITY_NETWORK, ObservabilityPortsSchema } from "./observability-ports";
import { SourcesSchema } from "./sources";
import { ClusterConfigFields, ClusterTargetFields, HealthcheckTimingFields } from "./cluster";

const DockerHostUrl = z
  .string()
  .regex(
    /^(unix:\/\/\/\S+|ssh:\/\/[A-Za-z0-9._-]+@[A-Za-z0-9.-]+(:\d{1,5})?|tcp:\/\/[A-Za-z0-9.-]+:\d{1,5})$/,
    'must be "unix:///path/to/docker.sock" or "ssh://user@host[:port]"',
  );

export const HostSchema = z.strictObject({
  dockerHost: DockerHostUrl.describe(
    "How the deploying machine reaches the host's Docker engine: `unix:///var/run/docker.sock` or `ssh://user@host[:port]`",
  ),
  sshOpts: z
    .array(z.string())
    .default([])
    .describe(
      'Extra `ssh` options for `ssh://` hosts, e.g. `["-i", "~/.ssh/dgx_deploy"]`; connections to the host are shared unless these set ControlMaster, ControlPath or ControlPersist (see Deploying to a DGX)',
    ),
  gpus: z.boolean().describe("Whether the host has a GPU (GPU services need one, or the target's `allowGpuDowngrade`)"),
  arch: z.enum(["arm64", "amd64"]).describe("CPU architecture of the host (`arm64` on a DGX Spark)"),
  projects: z.array(Slug).default([]).describe("Projects deployed on this host"),
  publicAddress: z.ipv4().optional().describe("Address the observability ports bind to when `publicObservability` is set"),
  publicObservability: z.boolean().default(false).describe("Bind Grafana and Prometheus to `publicAddress` instead of 127.0.0.1"),
  publicPorts: z
    .boolean()
    .default(false)
    .describe("Project ports may bind an address other than loopback (0.0.0.0 or a LAN address); without it validation refuses them"),
  // Left to Docker, the shared network would take whichever range is free when it is created, possibly the one a
  // project's fixed subnet needs later ("Pool overlaps").
  observabilityNetwork: z
    .strictObject({
      subnet: z.cidrv4().describe("Address range, e.g. 172.30.0.0/24"),
      gateway: z.ipv4().describe("Gateway address in the range"),
      name: Slug.default(OBSERVABILITY_NETWORK).describe("Docker network name"),
    })
    .default({ subnet: "172.30.0.0/24", gateway: "172.30.0.1", name: OBSERVABILITY_NETWORK })
    .describe(
      "Fixed `{ subnet, gateway }` (and name) of the host's shared observability network; it must not overlap a project's subnet on the host",
    ),
  observabilityPorts: ObservabilityPortsSchema,
  stateServer: StateServerSettingsSchema,
  memory: HostMemorySchema.optional(),
});

export const StateSchema = z.union([
  z.strictObject({
    backend: z.literal("local").describe("One state file per stack on this machine"),
    directory: z.string().default(".state").describe("Directory of the state files; relative paths are from the project root"),
  }),
  PgStateSchema,
]);

export const TargetSchema = z.strictObject({
  description: z.string().default("").describe("What the target is for"),
  hosts: z.array(Slug).min(1).describe("Hosts the target deploys to; each project goes to the one host that lists it"),
  images: z
    .enum(["production", "local"])
    .default("production")
    .describe("`production` (the blueprints' images) or `local` (locally built stand-ins, for tests and machines without registries)"),
  allowGpuDowngrade: z
    .boolean()
    .default(false)
    .describe("Run GPU services on a host without GPUs by dropping the GPU request; synth prints a warning per service"),
  profiles: z.array(Slug).default([]).describe('Optional profiles to deploy, e.g. `["dev"]`; services of other profiles are skipped'),
  state: StateSchema.default({ backend: "local", directory: ".state" }).describe("Where the stacks' state lives"),
  sources: SourcesSchema,
  ...ClusterTargetFields,
  ...HealthcheckTimingFields,
});

export const DeploymentConfigSchema = z.strictObject({
  $schema: z.string().optional(),
  github: z.strictObject({
    owner: z
      .string()
      .regex(/^[A-Za-z0-9-]+$/)
      .describe("Organization or user that owns the repositories"),
    baseUrl: z.url().optional().describe("API base for GitHub Enterprise or a local emulator; GitHub.com when unset"),
  }),
  hosts: z.record(Slug, HostSchema).describe("Docker hosts, by name"),
  targets: z.record(Slug, TargetSchema).describe("Deployment targets, by name"),
  ...ClusterConfigFields,
  sources: SourcesSchema,
  defaultTarget: Slug.describe("Target used when `SPARKY_TARGET` is unset"),
});

export type HostSpec = z.infer<typeof HostSchema>;
export type TargetSpec = z.infer<typeof TargetSchema>;
export type StateSpec = z.infer<typeof StateSchema>;
export type DeploymentConfig = z.infer<typeof DeploymentConfigSchema>;
export type DeploymentConfigInput = z.input<typeof DeploymentConfigSchema>;
