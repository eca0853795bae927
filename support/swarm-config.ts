// A deployment config for a two-node cluster: both blueprints' projects at home on the worker, the target `pair`.
// The two-node suite and benchmark write it for the engines they start; the unit tests use it with any two hosts.
import { DEFAULT_CONFIG } from "../config/default-config";
import type { DeploymentConfigInput } from "../constructs/model";

export interface SwarmNode {
  name: string;
  dockerHost: string;
  gpus: boolean;
  /** Projects whose home (node-local data) is this node. */
  projects?: string[];
  memory?: { total: string; reserve?: string };
}

export interface SwarmConfigOptions {
  manager: SwarmNode;
  worker: SwarmNode;
  arch?: "amd64" | "arm64";
  /** Directory of the stacks' local state. */
  stateDir: string;
  images?: "local" | "production";
  /** Healthchecks in seconds, for stand-in images (see the target's `healthchecks`). */
  quickHealthchecks?: boolean;
  sharedPaths?: string[];
}

export const PAIR_TARGET = "pair";
export const PAIR_CLUSTER = "pair";

export function swarmConfig(o: SwarmConfigOptions): DeploymentConfigInput {
  const host = (n: SwarmNode) => ({
    dockerHost: n.dockerHost,
    gpus: n.gpus,
    arch: o.arch ?? "amd64",
    projects: n.projects ?? [],
    ...(n.memory ? { memory: n.memory } : {}),
  });
  return {
    github: DEFAULT_CONFIG.github,
    hosts: { [o.manager.name]: host(o.manager), [o.worker.name]: host(o.worker) },
    clusters: { [PAIR_CLUSTER]: { manager: o.manager.name, workers: [o.worker.name], sharedPaths: o.sharedPaths ?? [] } },
    targets: {
      [PAIR_TARGET]: {
        description: "Two nodes as one Docker Swarm",
        hosts: [o.manager.name, o.worker.name],
        cluster: PAIR_CLUSTER,
        images: o.images ?? "local",
        state: { backend: "local", directory: o.stateDir },
        // Checked every 2 s, but a check may take 10 s: a stand-in answers at once, and on a loaded machine (suites
        // side by side) a slow answer must not make Swarm replace a healthy task.
        ...(o.quickHealthchecks ? { healthchecks: { interval: "2s", timeout: "10s", startPeriod: "2s" } } : {}),
      },
    },
    defaultTarget: PAIR_TARGET,
  };
}

/**
 * Two DGX Sparks as one swarm, as the README pairs them: spark-1 manages and is dgx-pixels' home, spark-2 is sparky's;
 * both have a GPU and 128 GB of unified memory. Unit tests, pinned addresses and docs use it.
 */
export function sparkPairConfig(stateDir = ".state"): DeploymentConfigInput {
  const spark = (name: string, projects: string[]): SwarmNode => ({
    name,
    dockerHost: `ssh://ubuntu@${name}`,
    gpus: true,
    projects,
    memory: { total: "128g", reserve: "8g" },
  });
  const config = swarmConfig({
    manager: spark("spark-1", ["dgx-pixels"]),
    worker: spark("spark-2", ["sparky"]),
    arch: "arm64",
    stateDir,
    images: "production",
  });
  for (const host of Object.values(config.hosts))
    host.sshOpts = ["-o", "ControlMaster=auto", "-o", "ControlPath=~/.ssh/sparky-%C", "-o", "ControlPersist=10m"];
  return config;
}
