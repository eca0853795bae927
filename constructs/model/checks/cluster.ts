import { clusterHosts } from "../cluster";
import type { ClusterNode, PlacementConstraint } from "../cluster-placement";
import type { DeploymentConfig } from "../deployment";
import { duplicates, Problem, unknownReference } from "../problems";
import type { ResolvedHost, ResolvedService, ResolvedSystem } from "../resolved";

/** Clusters name hosts of the config, each host in one role of one cluster; a target's cluster exists and is its hosts. */
export function checkClusterReferences(config: DeploymentConfig, problems: Problem[]): void {
  const hostNames = Object.keys(config.hosts);
  const memberOf = new Map<string, string>();
  for (const [name, cluster] of Object.entries(config.clusters)) {
    const path = `config.clusters.${name}`;
    const members = clusterHosts(cluster);
    if (!config.hosts[cluster.manager])
      problems.push({ path: `${path}.manager`, message: unknownReference("host", cluster.manager, hostNames) });
    cluster.workers.forEach((w, i) => {
      if (!config.hosts[w]) problems.push({ path: `${path}.workers[${i}]`, message: unknownReference("host", w, hostNames) });
    });
    for (const host of duplicates(members))
      problems.push({ path, message: `host "${host}" is listed twice; a host is the manager or one worker, once` });
    for (const host of Object.keys(cluster.labels))
      if (!members.includes(host))
        problems.push({ path: `${path}.labels.${host}`, message: unknownReference("host of the cluster", host, members) });
    for (const host of new Set(members)) {
      const other = memberOf.get(host);
      if (other)
        problems.push({ path, message: `host "${host}" is already a node of cluster "${other}"; a Docker engine joins one swarm` });
      else memberOf.set(host, name);
    }
  }
  for (const [name, target] of Object.entries(config.targets)) {
    if (target.cluster === undefined) continue;
    const cluster = config.clusters[target.cluster];
    if (!cluster) {
      problems.push({
        path: `config.targets.${name}.cluster`,
        message: unknownReference("cluster", target.cluster, Object.keys(config.clusters)),
      });
      continue;
    }
    const members = clusterHosts(cluster);
    const same = members.length === target.hosts.length && members.every((h) => target.hosts.includes(h));
    if (!same)
      problems.push({
        path: `config.targets.${name}.hosts`,
        message: `a target deploys to all of its cluster's hosts: set hosts to ${JSON.stringify(members)} (cluster "${target.cluster}")`,
      });
  }
}

/** Why each node of the cluster refuses the service, e.g. `spark-1: gpu=false (requests a GPU)`. */
function refusals(constraints: readonly PlacementConstraint[], nodes: readonly ClusterNode[]): string[] {
  return nodes.map((n) => {
    const failed = constraints.filter((c) => n.labels[c.label] !== c.value);
    return `${n.host}: ${failed.map((c) => `${c.label}=${n.labels[c.label] ?? "(unset)"}, but it ${c.reason}`).join("; ")}`;
  });
}

/** What would let the service run somewhere, for each kind of constraint it has. */
function fixes(system: ResolvedSystem, host: ResolvedHost, project: string | undefined, constraints: readonly PlacementConstraint[]) {
  const cluster = host.cluster!;
  const out: string[] = [];
  if (constraints.some((c) => c.label === "sparky.host"))
    out.push(
      `place ${project} on a node that meets the rest (list it in that host's \`projects\`), or put its data under config.clusters.${cluster.name}.sharedPaths`,
    );
  if (constraints.some((c) => c.label === "gpu"))
    out.push(`give the cluster a GPU node (config.hosts.<name>.gpus), or set targets.${system.targetName}.allowGpuDowngrade`);
  if (constraints.some((c) => c.label === "public"))
    out.push("bind the port to 127.0.0.1, or set config.hosts.<name>.publicPorts on a node");
  return out.join("; or ");
}

interface ClusterService {
  path: string;
  project?: string;
  service: ResolvedService;
}

/** Every service the cluster runs, with the model path it is declared at. */
export function clusterServices(host: ResolvedHost): ClusterService[] {
  return [
    ...host.projects.flatMap((p) =>
      Object.entries(p.services).map(([name, service]) => ({
        path: `projects.${p.project.id}.services.${name}`,
        project: p.project.id,
        service,
      })),
    ),
    ...Object.entries(host.observability.services).map(([name, service]) => ({
      path: `hosts.${host.name}.observability.${name}`,
      service,
    })),
  ];
}

/**
 * What must hold for a cluster's services: each may run on some node (else every node's reason, and the fixes), none
 * needs a terminal (docker_service has no tty in kreuzwerker/docker 3.6.2), every secret reaches it as a file, and a
 * service that publishes a port beyond loopback (bound on each node it runs on) has at most one task per node.
 */
export function checkClusterServices(system: ResolvedSystem, host: ResolvedHost, problems: Problem[]): void {
  const cluster = host.cluster;
  if (!cluster) return;
  for (const { path, project, service } of clusterServices(host)) {
    const placement = service.placement;
    if (!placement) continue;
    if (placement.nodes.length === 0)
      problems.push({
        path,
        message:
          `no node of cluster "${cluster.name}" can run ${service.containerName}: ${refusals(placement.constraints, cluster.nodes).join("; ")}. ` +
          `Fix: ${fixes(system, host, project, placement.constraints)}`,
      });
    if (service.spec.interactive)
      problems.push({
        path: `${path}.interactive`,
        message: `a service with a terminal cannot run on a swarm (docker_service has no tty in kreuzwerker/docker 3.6.2); leave its profile out of targets.${system.targetName}.profiles, or deploy it to a single host`,
      });
    service.spec.secretEnv.forEach((secret, i) => {
      if (!secret.file)
        problems.push({
          path: `${path}.secretEnv[${i}].file`,
          message: `on a swarm ${secret.name} reaches ${service.containerName} as a Docker secret file, not a variable: set file to the variable the application reads the file's path from (its _FILE convention, e.g. "${secret.name}_FILE")`,
        });
    });
    const published = placement.constraints.some((c) => c.label === "public");
    if (published && placement.mode === "replicated" && placement.nodes.length > 0 && placement.replicas > placement.nodes.length)
      problems.push({
        path: `${path}.replicas`,
        message: `${placement.replicas} replicas, but a port published beyond loopback binds on the node itself, so one task per node, and only ${placement.nodes.length} node(s) may run it (${placement.nodes.join(", ")})`,
      });
  }
}
