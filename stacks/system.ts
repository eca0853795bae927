import { App } from "cdktf";
import type { ValidatedModel } from "../constructs/model/validate";
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
 * Every stack of a validated model on its target: per project `<project>-github` and `<project>-services`,
 * per host `<host>-observability`. Services stacks depend on their host's observability stack, which owns
 * the shared network their scraped containers join (when the project has any).
 */
export function defineSystem(app: App, model: ValidatedModel, projectRoot: string): SystemStacks {
  const { config, target, projects } = model;
  const stacks: SystemStacks = { services: {}, github: {}, observability: {} };
  const withState = <T extends ProjectServicesStack | ProjectGitHubStack | HostObservabilityStack>(stack: T, name: string): T => {
    configureStateBackend(stack, name, target.state, app.outdir, projectRoot);
    return stack;
  };

  for (const project of projects) {
    const name = `${project.id}-github`;
    stacks.github[project.id] = withState(new ProjectGitHubStack(app, name, { project, github: config.github }), name);
  }
  for (const hostName of target.hosts) {
    const host = config.hosts[hostName];
    const placed = projects.filter((p) => host.projects.includes(p.id));
    const obsName = `${hostName}-observability`;
    const observability = withState(new HostObservabilityStack(app, obsName, { hostName, host, projects: placed, target }), obsName);
    stacks.observability[hostName] = observability;
    for (const project of placed) {
      const name = `${project.id}-services`;
      const services = withState(new ProjectServicesStack(app, name, { project, hostName, host, target }), name);
      // Scraped containers join the observability stack's network, so it must exist first.
      if (Object.values(project.services).some((s) => s.metrics)) services.addDependency(observability);
      stacks.services[project.id] = services;
    }
  }
  return stacks;
}
