// A cluster's nodes as Swarm knows them: each host's engine names its own node (its swarm node id), the manager holds
// the nodes' labels. Placement constraints read those labels, so `cluster-labels` writes the model's onto the nodes and
// every deploy checks them first.
import type { ClusterNode, ResolvedCluster } from "../../constructs/model";
import { dockerOn, DockerEndpoint } from "./docker";

const endpointOf = (node: ClusterNode): DockerEndpoint => ({ host: node.spec.dockerHost, sshOpts: node.spec.sshOpts });

export interface NodeLabelState {
  host: string;
  /** The node's id in the swarm; undefined when its engine is not part of one. */
  nodeId?: string;
  /** Labels the model wants that the node lacks or holds with another value. */
  missing: Record<string, string>;
  /** Why the node could not be read, e.g. its engine does not answer or has not joined the manager's swarm. */
  problem?: string;
}

/** Each node's swarm id (asked of its own engine) and the labels it lacks (asked of the manager). */
export function nodeLabelStates(cluster: ResolvedCluster): NodeLabelState[] {
  const manager = endpointOf(cluster.nodes[0]);
  return cluster.nodes.map((node) => {
    const info = dockerOn(endpointOf(node), ["info", "--format", "{{.Swarm.NodeID}} {{.Swarm.LocalNodeState}}"]);
    if (info.status !== 0)
      return {
        host: node.host,
        missing: node.labels,
        problem: `its engine (${node.spec.dockerHost}) does not answer: ${info.stderr.trim()}`,
      };
    const [nodeId, state] = info.stdout.trim().split(" ");
    if (!nodeId || state !== "active")
      return {
        host: node.host,
        missing: node.labels,
        problem: `its engine is not part of a swarm (${state || "inactive"}): ${node.manager ? "run `docker swarm init` there" : "join it to the manager's swarm (`docker swarm join`)"}`,
      };
    const inspected = dockerOn(manager, ["node", "inspect", "--format", "{{json .Spec.Labels}}", nodeId]);
    if (inspected.status !== 0)
      return {
        host: node.host,
        nodeId,
        missing: node.labels,
        problem: `the manager ${cluster.nodes[0].host} does not know node ${nodeId}: it belongs to another swarm (${inspected.stderr.trim()})`,
      };
    const labels = (JSON.parse(inspected.stdout.trim() || "null") ?? {}) as Record<string, string>;
    const missing = Object.fromEntries(Object.entries(node.labels).filter(([k, v]) => labels[k] !== v));
    return { host: node.host, nodeId, missing };
  });
}

/** Writes the missing labels through the manager; returns what could not be done. */
export function applyNodeLabels(cluster: ResolvedCluster, states: readonly NodeLabelState[]): string[] {
  const manager = endpointOf(cluster.nodes[0]);
  return states.flatMap((s) => {
    if (s.problem || !s.nodeId) return [`${s.host}: ${s.problem ?? "no node id"}`];
    const add = Object.entries(s.missing).flatMap(([k, v]) => ["--label-add", `${k}=${v}`]);
    if (add.length === 0) return [];
    const r = dockerOn(manager, ["node", "update", ...add, s.nodeId]);
    return r.status === 0 ? [] : [`${s.host}: docker node update failed: ${r.stderr.trim()}`];
  });
}

/** One line per node that is not ready for a deploy: what is wrong, and the command that fixes it. */
export function nodeLabelProblems(cluster: ResolvedCluster, target: string): string[] {
  return nodeLabelStates(cluster).flatMap((s) => {
    if (s.problem) return [`  ${s.host}: ${s.problem}`];
    const missing = Object.entries(s.missing).map(([k, v]) => `${k}=${v}`);
    return missing.length === 0
      ? []
      : [`  ${s.host}: node ${s.nodeId} lacks the labels ${missing.join(", ")}; run \`just cluster-labels ${target}\``];
  });
}
