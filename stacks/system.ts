import { App } from "cdktf";
import { projectPlacements, type GitHubAdoption, type ResolvedSystem } from "../constructs/model";
import { ObservabilityLink } from "../constructs/observability";
import { HostObservabilityStack } from "./host-observability-stack";
import { ProjectGitHubStack } from "./project-github-stack";
import { ProjectServicesStack } from "./project-services-stack";
import { configureStateBackend } from "./state-backend";

export interface SystemStacks {
  services: Record<string, ProjectServicesStack>;
  github: Record<string, ProjectGitHubStack>;
  observability: Record<string, HostObservabilityStack>;
}

/**
 * Every stack of a resolved system: per project `<project>-github` and `<project>-services`, per host
 * `<host>-observability`. A services stack that has scraped containers deploys after its host's observability
 * stack, which owns the shared network they join.
 */
export function defineSystem(
  app: App,
  system: ResolvedSystem,
  projectRoot: string,
  adoptions: Readonly<Record<string, GitHubAdoption>> = {},
): SystemStacks {
  const { config, target } = system;
  const stacks: SystemStacks = { services: {}, github: {}, observability: {} };
  const withState = <T extends ProjectServicesStack | ProjectGitHubStack | HostObservabilityStack>(stack: T, name: string): T => {
    configureStateBackend(stack, name, target.state, app.outdir, projectRoot);
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
    const obsName = `${host.name}-observability`;
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
        }),
        name,
      );
    }
  }
  return stacks;
}
