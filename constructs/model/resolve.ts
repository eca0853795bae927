import type { DeploymentConfig, HostSpec, TargetSpec } from "./deployment";
import {
  hostObservabilityServices,
  HOST_PROJECT,
  OBSERVABILITY_NETWORK,
  OBSERVABILITY_VOLUMES,
  observabilityOwner,
} from "./observability-set";
import type { Problem } from "./problems";
import type { Project } from "./project";
import type {
  ObservabilitySet,
  PlacedProject,
  ResolvedHost,
  ResolvedPort,
  ResolvedService,
  ResolvedSystem,
  ResolvedVolume,
  ScrapeTarget,
} from "./resolved";
import { ROLE_DEFAULTS } from "./roles";
import type { PortSpec, ServiceSpec, VolumeSpec } from "./services";

/** A port's host side: the container port unless the model sets another. */
export const resolvePort = (port: PortSpec): ResolvedPort => ({ ...port, host: port.host ?? port.container });

/** A container's name, and its DNS name on shared networks: "<owner>-<service>". */
export const containerName = (owner: string, service: string): string => `${owner}-${service}`;

/** A service with its defaults applied: host ports, the network alias, its role's presets, and the GPU only where there is one. */
export function resolveService(owner: string, name: string, spec: ServiceSpec, host: HostSpec): ResolvedService {
  const role = ROLE_DEFAULTS[spec.role];
  return {
    owner,
    name,
    containerName: containerName(owner, name),
    spec: {
      ...spec,
      hostname: spec.hostname ?? name,
      ports: spec.ports.map(resolvePort),
      stopGraceSeconds: spec.stopGraceSeconds ?? role.stopGraceSeconds,
      shmSize: spec.shmSize ?? role.shmSize,
      gpu: host.gpus ? spec.gpu : undefined,
    },
  };
}

const resolveVolumes = (owner: string, volumes: Record<string, VolumeSpec>): Record<string, ResolvedVolume> =>
  Object.fromEntries(
    Object.entries(volumes).map(([name, v]) => [name, { dockerName: `${owner}-${name}`, keep: v.keep, hostPath: v.hostPath }]),
  );

/** Whether the target deploys a service: services with a profile only run when the target enables it. */
export const deploysService = (target: TargetSpec, spec: ServiceSpec): boolean => !spec.profile || target.profiles.includes(spec.profile);

function placeProject(project: Project, host: HostSpec, target: TargetSpec): PlacedProject {
  const services = Object.entries(project.services)
    .filter(([, spec]) => deploysService(target, spec))
    .map(([name, spec]) => [name, resolveService(project.id, name, spec, host)] as const);
  return {
    project,
    network: project.network,
    services: Object.fromEntries(services),
    volumes: resolveVolumes(project.id, project.volumes),
  };
}

/** Scrape jobs "<project>-<service>" address the container by name on the observability network, never localhost. */
function scrapeTargets(project: string, services: Record<string, ResolvedService>): ScrapeTarget[] {
  return Object.values(services).flatMap(({ name, containerName, spec }) =>
    spec.metrics
      ? [
          {
            project,
            service: name,
            role: spec.role,
            address: `${containerName}:${spec.metrics.port}`,
            path: spec.metrics.path,
            interval: spec.metrics.interval,
            timeout: spec.metrics.timeout,
            labels: spec.metrics.labels,
          },
        ]
      : [],
  );
}

function observabilitySet(hostName: string, host: HostSpec, placed: PlacedProject[]): ObservabilitySet {
  const owner = observabilityOwner(hostName);
  const services = Object.fromEntries(
    Object.entries(
      hostObservabilityServices(
        hostName,
        host,
        placed.map((p) => p.project),
      ),
    ).map(([name, spec]) => [name, resolveService(owner, name, spec, host)]),
  );
  return {
    owner,
    network: { name: OBSERVABILITY_NETWORK, ...host.observabilityNetwork },
    services,
    volumes: resolveVolumes(owner, OBSERVABILITY_VOLUMES),
    targets: [...scrapeTargets(HOST_PROJECT, services), ...placed.flatMap((p) => scrapeTargets(p.project.id, p.services))],
  };
}

/**
 * The system a target deploys: every host of the target with the projects placed on it and its observability set.
 * Unknown hosts and projects are skipped (validation reports them), so this also runs on a model with problems.
 */
export function resolveSystem(config: DeploymentConfig, projects: Project[], targetName: string, warnings: Problem[]): ResolvedSystem {
  const target = config.targets[targetName];
  const hosts: ResolvedHost[] = target.hosts.flatMap((name) => {
    const spec = config.hosts[name];
    if (!spec) return [];
    const placed = projects.filter((p) => spec.projects.includes(p.id)).map((p) => placeProject(p, spec, target));
    return [{ name, spec, projects: placed, observability: observabilitySet(name, spec, placed) }];
  });
  return { config, targetName, target, projects, hosts, warnings };
}
