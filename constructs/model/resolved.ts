// The resolved system: the one model every consumer reads (constructs, stacks, tools, bench, docs). Defaults,
// role presets, profiles, placement and the hosts' observability sets are applied once, in resolve.ts.
import type { DeploymentConfig, HostSpec, TargetSpec } from "./deployment";
import type { AlertGroupSpec } from "./observability";
import type { Problem } from "./problems";
import type { Project } from "./project";
import type { GpuRequest, NetworkSpec, PortSpec, ServiceSpec } from "./services";
import type { ResolvedStateServer } from "./state-server";
import type { RelabelSpec } from "./scrape";
import type { ResolvedBuild } from "./sources";
import type { ResolvedCluster, SwarmPlacement } from "./cluster-placement";

/** A published port with its host port decided (the container port unless the model says otherwise). */
export interface ResolvedPort extends PortSpec {
  host: number;
}

/** A service's spec with every default applied. */
export type ResolvedServiceSpec = Omit<
  ServiceSpec,
  "hostname" | "ports" | "stopGraceSeconds" | "shmSize" | "gpu" | "readOnlyRootfs" | "capDrop"
> & {
  /** Its alias on its own network: the service name unless the model sets one. */
  hostname: string;
  ports: ResolvedPort[];
  stopGraceSeconds: number;
  shmSize?: string;
  readOnlyRootfs: boolean;
  capDrop: readonly string[];
  /** The GPU request, only where the host has GPUs (a downgrade drops it and warns). */
  gpu?: GpuRequest;
};

/** One container to run. */
export interface ResolvedService {
  /** Project id, or the host set's owner ("<host>-obs"). */
  owner: string;
  /** Service name in the model. */
  name: string;
  /** The model's `containerName`, else "<owner>-<name>": the container's name, and its DNS name on every network. */
  containerName: string;
  /** "linux/<arch>" of the host it runs on: what its image is pulled or built for. */
  platform: string;
  /** Its image's build against the project's checkout; undefined for pulled images. */
  build?: ResolvedBuild;
  spec: ResolvedServiceSpec;
  /** Where it may run and how many, on a cluster target. */
  placement?: SwarmPlacement;
}

/** A volume as Docker knows it. */
export interface ResolvedVolume {
  /** Docker volume name: "<owner>-<volume>". */
  dockerName: string;
  /** Kept on destroy (models, caches, metrics history): Docker creates it on first use, no stack owns it. */
  keep: boolean;
  /** Bound to this directory on the Docker host. */
  hostPath?: string;
}

/** A project on the host it is placed on, with the target's profiles applied. */
export interface PlacedProject {
  project: Project;
  network: NetworkSpec;
  /** Services the target deploys (profile filter applied), by name. */
  services: Record<string, ResolvedService>;
  volumes: Record<string, ResolvedVolume>;
  /**
   * Alert rule groups Prometheus evaluates for it: the project's own, less rules only planned services could satisfy,
   * plus a generated group per deployed scheduled job.
   */
  alerts: AlertGroupSpec[];
}

/** One Prometheus scrape job: "<project>-<service>", reaching the container by name on the observability network. */
export interface ScrapeTarget {
  project: string;
  service: string;
  role: string;
  /** host:port on the shared observability network. */
  address: string;
  path: string;
  interval: string;
  timeout: string;
  labels: Record<string, string>;
  /** Prometheus `honor_labels`. */
  honorLabels: boolean;
  /** Metric names kept after the scrape (regex); everything when undefined. */
  keep?: string;
  relabel: RelabelSpec[];
  /** `dns`: every address `address` resolves to (Swarm's `tasks.<service>`) is a target; else `address` is the one target. */
  discovery?: "dns";
}

/** The monitoring set one host runs for all its projects. */
export interface ObservabilitySet {
  /** Owner prefix of its containers and volumes: "<host>-obs". */
  owner: string;
  network: { name: string; subnet: string; gateway: string };
  services: Record<string, ResolvedService>;
  volumes: Record<string, ResolvedVolume>;
  /** Every scrape job on the host: the set's own exporters first, then each placed project's services. */
  targets: ScrapeTarget[];
}

export interface ResolvedHost {
  name: string;
  /** The host as configured, with the ssh options it is reached with (connection sharing added: see ssh.ts). */
  spec: HostSpec;
  projects: PlacedProject[];
  observability: ObservabilitySet;
  /** The state server, when the target keeps its state on this host. */
  stateServer?: ResolvedStateServer;
  /** On a cluster target, the one ResolvedHost is the cluster (named after it, reached through its manager). */
  cluster?: ResolvedCluster;
}

export interface ResolvedSystem {
  config: DeploymentConfig;
  targetName: string;
  target: TargetSpec;
  /** Every project; each gets its GitHub stack, wherever its services run. */
  projects: Project[];
  /** The target's hosts, in the target's order. */
  hosts: ResolvedHost[];
  /** Visible but allowed deviations the user opted into, e.g. a GPU request dropped on a CPU-only host. */
  warnings: Problem[];
}
