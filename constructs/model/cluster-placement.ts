// Where each service of a cluster target may run, derived from the model it already has: a GPU request needs a GPU
// node, node-local data pins a service to its project's home node, a port beyond loopback needs a public node; and how
// much memory Swarm reserves for it. The cluster resolves to one ResolvedHost (its manager's engine is where every
// stack goes), so checks, stacks and tools that read hosts read a cluster the same way.
import { clusterHosts, ClusterSpec, NODE_LABEL, nodeLabels } from "./cluster";
import type { HostSpec } from "./deployment";
import type { Project } from "./project";
import type { PlacedProject, ResolvedHost, ResolvedService, ResolvedVolume, ScrapeTarget } from "./resolved";
import { observabilitySet, placeProject, SourceLocation, stateServer } from "./resolve";
import { sizeInMiB } from "./common";
import { effectiveSshOpts } from "./ssh";
import { stateServerHost } from "./state-server";

/** One `node.labels.<label>==<value>` constraint of a service, with the model's reason for it. */
export interface PlacementConstraint {
  label: string;
  value: string;
  /** Why the service is bound by it, as a verb phrase: "requests a GPU". */
  reason: string;
}

export interface SwarmPlacement {
  /** `global`: one task on every node it may run on (the per-node exporters); `replicated`: `replicas` tasks. */
  mode: "replicated" | "global";
  replicas: number;
  constraints: PlacementConstraint[];
  /** Hosts whose node labels satisfy every constraint, manager first. */
  nodes: string[];
  /** Memory Swarm reserves for each task, in MiB: its limit, where every node it may run on declares its memory. */
  reserveMiB?: number;
}

export interface ClusterNode {
  host: string;
  spec: HostSpec;
  manager: boolean;
  /** The labels the node must carry (see nodeLabels). */
  labels: Record<string, string>;
}

export interface ResolvedCluster {
  name: string;
  spec: ClusterSpec;
  /** Manager first, then the workers in the config's order. */
  nodes: ClusterNode[];
  /** Each placed project's home node: the cluster host whose `projects` lists it; its node-local data lives there. */
  homes: Record<string, string>;
}

/** Services of the host observability set that run once on every node they may run on. */
export const PER_NODE_SERVICES: readonly string[] = ["node-exporter", "dcgm-exporter"];

export const constraintExpression = (c: Pick<PlacementConstraint, "label" | "value">) => `node.labels.${c.label}==${c.value}`;

const isLoopback = (bind: string) => bind.startsWith("127.");

const under = (path: string, roots: readonly string[]) => roots.some((r) => path === r || path.startsWith(r.endsWith("/") ? r : `${r}/`));

/**
 * The mounts of a service whose data stays on one node: a host path outside the cluster's shared paths (a bind, or a
 * volume bound to one), or a kept Docker volume (it lives in one node's volume store). A volume that is not kept is
 * created empty wherever the task runs.
 */
export function nodeLocalData(service: ResolvedService, volumes: Readonly<Record<string, ResolvedVolume>>, cluster: ClusterSpec): string[] {
  return service.spec.volumes.flatMap((m) => {
    if ("hostPath" in m) return under(m.hostPath, cluster.sharedPaths) ? [] : [`host path ${m.hostPath}`];
    const volume = volumes[m.volume];
    if (!volume) return [];
    if (volume.hostPath) return under(volume.hostPath, cluster.sharedPaths) ? [] : [`volume ${m.volume} (${volume.hostPath})`];
    return volume.keep ? [`kept volume ${m.volume}`] : [];
  });
}

interface PlacementContext {
  cluster: ClusterSpec;
  nodes: readonly ClusterNode[];
  volumes: Readonly<Record<string, ResolvedVolume>>;
  /** Node-local data pins the service here; undefined: it never pins (the cluster's own monitoring). */
  home?: string;
  perNode: boolean;
}

/** The placement of one service: its constraints, the nodes that satisfy them, its mode and its reservation. */
export function placeService(service: ResolvedService, ctx: PlacementContext): SwarmPlacement {
  const constraints: PlacementConstraint[] = [];
  if (service.spec.gpu) constraints.push({ label: NODE_LABEL.gpu, value: "true", reason: "requests a GPU" });
  const local = ctx.home ? nodeLocalData(service, ctx.volumes, ctx.cluster) : [];
  if (ctx.home && local.length > 0)
    constraints.push({ label: NODE_LABEL.host, value: ctx.home, reason: `keeps its node-local data (${local.join(", ")}) on ${ctx.home}` });
  const published = service.spec.ports.filter((p) => !isLoopback(p.bind));
  if (published.length > 0)
    constraints.push({
      label: NODE_LABEL.public,
      value: "true",
      reason: `publishes port ${published.map((p) => p.host).join(", ")} beyond loopback`,
    });
  const nodes = ctx.nodes.filter((n) => constraints.every((c) => n.labels[c.label] === c.value));
  const budgeted = nodes.length > 0 && nodes.every((n) => n.spec.memory !== undefined);
  return {
    mode: ctx.perNode ? "global" : "replicated",
    replicas: ctx.perNode ? nodes.length : service.spec.replicas,
    constraints,
    nodes: nodes.map((n) => n.host),
    ...(budgeted && service.spec.memory ? { reserveMiB: sizeInMiB(service.spec.memory) } : {}),
  };
}

/**
 * The HostSpec the cluster presents to everything that reads a host: the manager's engine, network and public
 * settings; GPUs and public ports where any node has them (placement then picks the nodes); no memory of its own
 * (each node's budget is checked on its own); every project its nodes list.
 */
function clusterHostSpec(nodes: readonly ClusterNode[]): HostSpec {
  const manager = nodes[0].spec;
  return {
    ...manager,
    gpus: nodes.some((n) => n.spec.gpus),
    publicPorts: nodes.some((n) => n.spec.publicPorts),
    projects: nodes.flatMap((n) => n.spec.projects),
    memory: undefined,
  };
}

/** Swarm's DNS gives every task of a service as `tasks.<service>` on a shared overlay network: Prometheus finds them there. */
const discoveredByDns = (t: ScrapeTarget): ScrapeTarget => ({ ...t, address: `tasks.${t.address}`, discovery: "dns" });

/**
 * A cluster target's one host: its projects (each with its home node) and one observability set for the whole cluster,
 * every service with its placement. Hosts the config lacks are skipped (validation reports them).
 */
export function resolveCluster(name: string, cluster: ClusterSpec, projects: readonly Project[], sources: SourceLocation): ResolvedHost {
  const { config, targetName } = sources;
  const target = config.targets[targetName];
  const nodes: ClusterNode[] = clusterHosts(cluster).flatMap((host, i) => {
    const declared = config.hosts[host];
    if (!declared) return [];
    const spec: HostSpec = { ...declared, sshOpts: effectiveSshOpts(declared) }; // connection sharing, as for any host
    return [{ host, spec, manager: i === 0, labels: nodeLabels(host, spec, cluster) }];
  });
  const spec = clusterHostSpec(nodes);
  const homes: Record<string, string> = {};
  const placed: PlacedProject[] = [];
  for (const project of projects) {
    const home = nodes.find((n) => n.spec.projects.includes(project.id));
    if (!home) continue;
    homes[project.id] = home.host;
    const p = placeProject(project, spec, target, sources);
    for (const service of Object.values(p.services))
      service.placement = placeService(service, { cluster, nodes, volumes: p.volumes, home: home.host, perNode: false });
    placed.push(p);
  }
  const observability = observabilitySet(name, spec, placed);
  // The cluster's monitoring may move: its configuration comes from Docker configs, and a Prometheus that moves starts
  // a new history on its new node rather than leaving the cluster unmonitored while a node is down.
  for (const [service, s] of Object.entries(observability.services))
    s.placement = placeService(s, { cluster, nodes, volumes: observability.volumes, perNode: PER_NODE_SERVICES.includes(service) });
  observability.targets = observability.targets.map(discoveredByDns);
  const server = stateServerHost(config, targetName);
  const serverNode = nodes.find((n) => n.host === server);
  return {
    name,
    spec,
    projects: placed,
    observability,
    ...(serverNode ? { stateServer: stateServer(serverNode.host, serverNode.spec) } : {}),
    cluster: { name, spec: cluster, nodes, homes },
  };
}
