import type { DeploymentConfig, HostSpec, TargetSpec } from "./deployment";
import { deployableAlerts, scheduleAlertGroups } from "./job-alerts";
import { metricsOf, readOnlyRootfsOf, restartOf } from "./jobs";
import { hostObservabilityServices, HOST_PROJECT, OBSERVABILITY_VOLUMES, observabilityOwner } from "./observability-set";
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
import { ResolvedStateServer, stateServerEndpoint, stateServerHost, stateServerOwner, stateServerService } from "./state-server";
import { driverCapabilities } from "./service-runtime";
import { resolveBuild, sourceRootOf } from "./sources";
import { effectiveSshOpts } from "./ssh";
import { resolveCluster } from "./cluster-placement";

/** A port's host side: the container port unless the model sets another. */
export const resolvePort = (port: PortSpec): ResolvedPort => ({ ...port, host: port.host ?? port.container });

/** A container's default name, and its DNS name on shared networks: "<owner>-<service>". */
export const containerName = (owner: string, service: string): string => `${owner}-${service}`;

/**
 * A service with its defaults applied: host ports, the hostname, its role's presets, the GPU only where there is one
 * (its driver capabilities in NVIDIA_DRIVER_CAPABILITIES unless the service sets that itself), the platform of the
 * host's architecture, and what its kind implies (a one-shot job never restarts; a scheduled job serves supercronic's
 * metrics).
 */
export function resolveService(owner: string, name: string, spec: ServiceSpec, host: HostSpec): ResolvedService {
  const role = ROLE_DEFAULTS[spec.role];
  const capabilities = driverCapabilities(host.gpus ? spec.gpu : undefined);
  return {
    owner,
    name,
    containerName: spec.containerName ?? containerName(owner, name),
    platform: `linux/${host.arch}`,
    spec: {
      ...spec,
      hostname: spec.hostname ?? name,
      env: capabilities ? { NVIDIA_DRIVER_CAPABILITIES: capabilities, ...spec.env } : spec.env,
      ports: spec.ports.map(resolvePort),
      stopGraceSeconds: spec.stopGraceSeconds ?? role.stopGraceSeconds,
      shmSize: spec.shmSize ?? role.shmSize,
      readOnlyRootfs: readOnlyRootfsOf(spec, spec.readOnlyRootfs ?? role.readOnlyRootfs),
      capDrop: spec.capDrop ?? role.capDrop,
      gpu: host.gpus ? spec.gpu : undefined,
      restart: restartOf(spec),
      metrics: metricsOf(spec),
    },
  };
}

const resolveVolumes = (owner: string, volumes: Record<string, VolumeSpec>): Record<string, ResolvedVolume> =>
  Object.fromEntries(
    Object.entries(volumes).map(([name, v]) => [name, { dockerName: `${owner}-${name}`, keep: v.keep, hostPath: v.hostPath }]),
  );

/**
 * Whether the target deploys a service: never a planned one (it has no image yet), and services with a profile only
 * when the target enables it.
 */
export const deploysService = (target: TargetSpec, spec: ServiceSpec): boolean =>
  !spec.planned && (!spec.profile || target.profiles.includes(spec.profile));

/** Where the target reads a project's build contexts: see sourceRootOf. */
export interface SourceLocation {
  config: DeploymentConfig;
  targetName: string;
  /** Directory relative source paths start from: the config file's. */
  configDir: string;
}

export function placeProject(project: Project, host: HostSpec, target: TargetSpec, sources: SourceLocation): PlacedProject {
  const root = sourceRootOf(project, sources.config, sources.targetName, sources.configDir);
  const services = Object.entries(project.services)
    .filter(([, spec]) => deploysService(target, spec))
    .map(([name, spec]) => [name, { ...resolveService(project.id, name, spec, host), build: resolveBuild(spec, root) }] as const);
  return {
    project,
    network: project.network,
    services: Object.fromEntries(services),
    volumes: resolveVolumes(project.id, project.volumes),
    alerts: [...deployableAlerts(project), ...scheduleAlertGroups(project.id, Object.fromEntries(services.map(([n, s]) => [n, s.spec])))],
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
            honorLabels: spec.metrics.honorLabels,
            keep: spec.metrics.keep,
            relabel: spec.metrics.relabel,
          },
        ]
      : [],
  );
}

export function observabilitySet(hostName: string, host: HostSpec, placed: PlacedProject[]): ObservabilitySet {
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
    network: host.observabilityNetwork,
    services,
    volumes: resolveVolumes(owner, OBSERVABILITY_VOLUMES),
    targets: [...scrapeTargets(HOST_PROJECT, services), ...placed.flatMap((p) => scrapeTargets(p.project.id, p.services))],
  };
}

export function stateServer(hostName: string, host: HostSpec): ResolvedStateServer {
  const owner = stateServerOwner(hostName);
  return {
    owner,
    network: { name: owner, ...host.stateServer.network },
    service: resolveService(owner, "postgres", stateServerService(hostName, host), host),
    volume: resolveVolumes(owner, { data: { keep: true } }).data,
    endpoint: stateServerEndpoint(hostName, host),
    directory: host.stateServer.directory,
  };
}

/**
 * The system a target deploys: every host of the target with the projects placed on it and its observability set.
 * Unknown hosts and projects are skipped (validation reports them), so this also runs on a model with problems.
 */
export function resolveSystem(
  config: DeploymentConfig,
  projects: Project[],
  targetName: string,
  warnings: Problem[],
  configDir: string = process.cwd(),
): ResolvedSystem {
  const target = config.targets[targetName];
  if (target.cluster !== undefined) {
    // A cluster is one host, reached through its manager; an unknown cluster or manager resolves to none (validation says so).
    const cluster = config.clusters[target.cluster];
    const hosts =
      cluster && config.hosts[cluster.manager]
        ? [resolveCluster(target.cluster, cluster, projects, { config, targetName, configDir })]
        : [];
    return { config, targetName, target, projects, hosts: withHealthcheckTimings(hosts, target), warnings };
  }
  const hosts: ResolvedHost[] = target.hosts.flatMap((name) => {
    const declared = config.hosts[name];
    if (!declared) return [];
    const spec: HostSpec = { ...declared, sshOpts: effectiveSshOpts(declared) };
    const placed = projects
      .filter((p) => spec.projects.includes(p.id))
      .map((p) => placeProject(p, spec, target, { config, targetName, configDir }));
    const server = stateServerHost(config, targetName) === name ? stateServer(name, spec) : undefined;
    return [
      { name, spec, projects: placed, observability: observabilitySet(name, spec, placed), ...(server ? { stateServer: server } : {}) },
    ];
  });
  return { config, targetName, target, projects, hosts: withHealthcheckTimings(hosts, target), warnings };
}

/** The target's healthcheck timings, where it sets them, on every service it runs (see HealthcheckTimingFields). */
function withHealthcheckTimings(hosts: ResolvedHost[], target: TargetSpec): ResolvedHost[] {
  const timings = target.healthchecks;
  if (!timings) return hosts;
  const services = hosts.flatMap((h) => [
    ...h.projects.flatMap((p) => Object.values(p.services)),
    ...Object.values(h.observability.services),
    ...(h.stateServer ? [h.stateServer.service] : []),
  ]);
  for (const s of services) if (s.spec.healthcheck) s.spec.healthcheck = { ...s.spec.healthcheck, ...timings };
  return hosts;
}
