// The unified-memory budget on a cluster: each node that declares its memory holds what Swarm may place there. A
// service's limit is its reservation, so Swarm never starts a task on a node without room for it; validation proves
// that one placement of every task fits (a bounded search over the few tasks a cluster has), or says why none does.
import { sizeInMiB } from "../common";
import type { Problem } from "../problems";
import type { ResolvedHost } from "../resolved";
import { clusterServices } from "./cluster";
import { formatMiB } from "./memory";

export interface NodeLoad {
  host: string;
  /** total − reserve; undefined when the node declares no memory (nothing bounds it). */
  availableMiB?: number;
  /** The tasks a fitting placement puts on the node, largest first. */
  tasks: { container: string; mib: number }[];
}

export interface ClusterMemoryPlan {
  nodes: NodeLoad[];
  /** Why no placement fits; undefined when `nodes` holds one that does. */
  overflow?: string;
}

interface Task {
  container: string;
  mib: number;
  /** Nodes it may run on (one for a per-node task). */
  nodes: string[];
}

/** Search steps before giving up: more than any real cluster needs (a few dozen tasks on a few nodes). */
const SEARCH_LIMIT = 200_000;

/** A placement of every task within the budgets (largest first, emptiest node first), or undefined. */
function fit(tasks: readonly Task[], capacity: Map<string, number>): Map<string, Task[]> | undefined {
  const order = [...tasks].sort((a, b) => b.mib - a.mib || a.container.localeCompare(b.container));
  const free = new Map(capacity);
  const placed = new Map<string, Task[]>([...capacity.keys()].map((h) => [h, []]));
  let steps = 0;
  const place = (i: number): boolean => {
    if (i === order.length) return true;
    if (++steps > SEARCH_LIMIT) return false;
    const task = order[i];
    const candidates = task.nodes.filter((n) => (free.get(n) ?? 0) >= task.mib).sort((a, b) => free.get(b)! - free.get(a)!);
    for (const node of candidates) {
      free.set(node, free.get(node)! - task.mib);
      placed.get(node)!.push(task);
      if (place(i + 1)) return true;
      placed.get(node)!.pop();
      free.set(node, free.get(node)! + task.mib);
    }
    return false;
  };
  return place(0) ? placed : undefined;
}

/** The smallest set of nodes whose tasks (those that may run nowhere else) need more than the set has. */
function overflowOf(tasks: readonly Task[], capacity: Map<string, number>, budget: (h: string) => string): string {
  const hosts = [...capacity.keys()];
  const sets = Array.from({ length: 2 ** hosts.length - 1 }, (_, i) => hosts.filter((_, b) => (i + 1) & (1 << b))).sort(
    (a, b) => a.length - b.length,
  );
  for (const set of sets) {
    const bound = tasks.filter((t) => t.nodes.every((n) => set.includes(n)));
    const need = bound.reduce((s, t) => s + t.mib, 0);
    const have = set.reduce((s, h) => s + capacity.get(h)!, 0);
    if (need <= have) continue;
    const biggest = [...bound].sort((a, b) => b.mib - a.mib).slice(0, 4);
    return (
      `the tasks that may only run on ${set.join(" and ")} need ${formatMiB(need)}, but ${set.map(budget).join(" and ")}; ` +
      `biggest: ${biggest.map((t) => `${t.container} ${formatMiB(t.mib)}`).join(", ")}`
    );
  }
  return `no placement of the tasks fits the nodes' budgets (${hosts.map(budget).join(", ")})`;
}

/** A placement of the cluster's tasks within the nodes that declare memory; undefined when none does. */
export function clusterMemoryPlan(host: ResolvedHost): ClusterMemoryPlan | undefined {
  const cluster = host.cluster;
  if (!cluster || !cluster.nodes.some((n) => n.spec.memory)) return undefined;
  const available = (h: string) => {
    const memory = cluster.nodes.find((n) => n.host === h)?.spec.memory;
    return memory ? sizeInMiB(memory.total) - sizeInMiB(memory.reserve) : undefined;
  };
  // Unbudgeted nodes take anything: a capacity no task reaches.
  const capacity = new Map(cluster.nodes.map((n) => [n.host, available(n.host) ?? Number.MAX_SAFE_INTEGER]));
  const tasks: Task[] = clusterServices(host).flatMap(({ service }) => {
    const p = service.placement;
    // A service no node can run is refused on its own (see the placement check); it holds no node's memory.
    if (!p || !service.spec.memory || p.nodes.length === 0) return [];
    const mib = sizeInMiB(service.spec.memory);
    if (p.mode === "global") return p.nodes.map((n) => ({ container: `${service.containerName}@${n}`, mib, nodes: [n] }));
    return Array.from({ length: p.replicas }, (_, i) => ({
      container: p.replicas > 1 ? `${service.containerName}.${i + 1}` : service.containerName,
      mib,
      nodes: p.nodes,
    }));
  });
  const budget = (h: string) => {
    const a = available(h);
    return a === undefined ? `${h} declares no memory` : `${h} has ${formatMiB(a)}`;
  };
  const placed = fit(tasks, capacity);
  const nodes = cluster.nodes.map((n) => ({
    host: n.host,
    availableMiB: available(n.host),
    tasks: (placed?.get(n.host) ?? []).map(({ container, mib }) => ({ container, mib })),
  }));
  return placed ? { nodes } : { nodes, overflow: overflowOf(tasks, capacity, budget) };
}

/**
 * On a cluster whose nodes declare memory: GPU and ML services that may run on a budgeted node need a limit, and one
 * placement of every task must fit (else the nodes, what they must hold and the biggest tasks).
 */
export function checkClusterMemory(host: ResolvedHost, problems: Problem[]): void {
  const cluster = host.cluster;
  if (!cluster) return;
  const budgeted = new Set(cluster.nodes.filter((n) => n.spec.memory).map((n) => n.host));
  for (const { path, service } of clusterServices(host)) {
    const heavy = service.spec.gpu !== undefined || service.spec.role === "ml";
    if (heavy && !service.spec.memory && service.placement?.nodes.some((n) => budgeted.has(n)))
      problems.push({
        path: `${path}.memory`,
        message: `a GPU or ML service that may run on a node with a memory budget (${service.placement.nodes.filter((n) => budgeted.has(n)).join(", ")}) needs a memory limit`,
      });
  }
  const plan = clusterMemoryPlan(host);
  if (plan?.overflow)
    problems.push({
      path: `config.clusters.${cluster.name}`,
      message: `the cluster's memory does not fit: ${plan.overflow}. Lower a limit, leave a profile out of the target, or let a service run on another node`,
    });
}
