// Where a project runs across the whole deployment config (every target), for documents that must read the same
// whichever target synthesizes them: the hosts that list the project, the targets that deploy to each, and the
// containers each host runs for it and for its shared observability set.
import type { DeploymentConfig } from "./deployment";
import { hostObservabilityServices, observabilityOwner } from "./observability-set";
import type { Project } from "./project";
import type { ResolvedService } from "./resolved";
import { resolveService } from "./resolve";

export interface HostPlacement {
  host: string;
  /** Targets that deploy to this host. */
  targets: string[];
  /** The project's containers on this host (every profile; planned services have none yet). */
  services: ResolvedService[];
  /** The host's shared observability containers. */
  observability: ResolvedService[];
}

export function projectPlacements(config: DeploymentConfig, projects: readonly Project[], project: Project): HostPlacement[] {
  return Object.entries(config.hosts)
    .filter(([, host]) => host.projects.includes(project.id))
    .map(([name, host]) => ({
      host: name,
      targets: Object.entries(config.targets)
        .filter(([, t]) => t.hosts.includes(name))
        .map(([t]) => t),
      services: Object.entries(project.services)
        .filter(([, spec]) => !spec.planned)
        .map(([service, spec]) => resolveService(project.id, service, spec, host)),
      observability: Object.entries(hostObservabilityServices(name, host, projects)).map(([service, spec]) =>
        resolveService(observabilityOwner(name), service, spec, host),
      ),
    }));
}
