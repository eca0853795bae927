import { App, TerraformStack } from "cdktf";
import { projectPlacements, type GitHubAdoption, type ResolvedSystem } from "../constructs/model";
import { ObservabilityLink } from "../constructs/observability";
import { HostObservabilityStack } from "./host-observability-stack";
import { ProjectGitHubStack } from "./project-github-stack";
import { ProjectServicesStack } from "./project-services-stack";
import type { BuildContext } from "./build-contexts";
import { configureStateBackend } from "./state-backend";
import { StateServerStack } from "./state-server-stack";
import { ClusterObservabilityStack, SwarmServicesStack } from "./swarm-stacks";
import { SwarmScrapeLink } from "../constructs/swarm";

export interface SystemStacks {
  services: Record<string, ProjectServicesStack | SwarmServicesStack>;
  github: Record<string, ProjectGitHubStack>;
  observability: Record<string, HostObservabilityStack | ClusterObservabilityStack>;
  /** `<host>-state`, by host: the target's state server, when its state lives on one. */
  stateServers: Record<string, StateServerStack>;
}

/**
 * Every stack of a resolved system: per project `<project>-github` and `<project>-services`, per host
 * `<host>-observability`, and `<host>-state` on the host that keeps the target's state. A services stack that has scraped containers deploys after its host's observability
 * stack, which owns the shared network they join.
 */
export interface SystemInputs {
  /** Build contexts found at synth, per project (see build-contexts.ts). */
  contexts?: readonly BuildContext[];
  /** Confirmed adoption maps of the GitHub stacks, per project (see adoption.ts). */
  adoptions?: Readonly<Record<string, GitHubAdoption>>;
}

export function defineSystem(app: App, system: ResolvedSystem, projectRoot: string, inputs: SystemInputs = {}): SystemStacks {
  const { contexts = [], adoptions = {} } = inputs;
  const { config, target } = system;
  const stacks: SystemStacks = { services: {}, github: {}, observability: {}, stateServers: {} };
  const server = system.hosts.find((h) => h.stateServer)?.stateServer;
  const withState = <T extends TerraformStack>(stack: T, name: string): T => {
    configureStateBackend(stack, name, target.state, app.outdir, projectRoot, server?.endpoint);
    return stack;
  };

  for (const project of system.projects) {
    const name = `${project.id}-github`;
    stacks.github[project.id] = withState(
      new ProjectGitHubStack(app, name, {
        project,
        github: config.github,
        adoption: adoptions[project.id],
        placements: projectPlacements(config, system.projects, project),
      }),
      name,
    );
  }
  for (const host of system.hosts) {
    if (host.stateServer)
      stacks.stateServers[host.name] = new StateServerStack(app, host.stateServer.owner, {
        hostName: host.name,
        host: host.spec,
        server: host.stateServer,
        target,
        outdir: app.outdir,
        projectRoot,
      });
    const obsName = `${host.name}-observability`;
    if (host.cluster) {
      const clusterObservability = withState(new ClusterObservabilityStack(app, obsName, { host, target }), obsName);
      stacks.observability[host.name] = clusterObservability;
      for (const placed of host.projects) {
        const name = `${placed.project.id}-services`;
        stacks.services[placed.project.id] = withState(
          new SwarmServicesStack(app, name, {
            placed,
            host,
            target,
            observability: new SwarmScrapeLink(host.observability.network.name, clusterObservability),
            contexts: contexts.filter((c) => c.project === placed.project.id),
            projectRoot,
          }),
          name,
        );
      }
      continue;
    }
    const observability = withState(new HostObservabilityStack(app, obsName, { host, target }), obsName);
    stacks.observability[host.name] = observability;
    for (const placed of host.projects) {
      const name = `${placed.project.id}-services`;
      stacks.services[placed.project.id] = withState(
        new ProjectServicesStack(app, name, {
          placed,
          host: host.spec,
          target,
          observability: new ObservabilityLink(host.observability, observability),
          contexts: contexts.filter((c) => c.project === placed.project.id),
          projectRoot,
        }),
        name,
      );
    }
  }
  return stacks;
}
