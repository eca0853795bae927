// A swarm's services as their tasks show them, read through the manager's engine: where each task runs (by the host
// name the node is labelled with), its state, and Swarm's reason when it is not running ("no suitable node ...").
import { NODE_LABEL } from "../../constructs/model/cluster";
import { dockerOn, DockerEndpoint } from "./docker";

export interface SwarmTask {
  /** The host the task runs on (the node's `sparky.host` label, else its hostname); undefined while pending. */
  host?: string;
  /** Swarm's task state: running, pending, starting, preparing, ... */
  state: string;
  /** Why it is not running, when Swarm says. */
  reason?: string;
}

export interface SwarmServiceState {
  name: string;
  /** The service exists. */
  exists: boolean;
  mode: "replicated" | "global";
  /** Tasks it should run (replicated: the replicas; global: one per eligible node Swarm counts). */
  desired: number;
  /** Its tasks that should be running. */
  tasks: SwarmTask[];
}

/** Whether every task the service should run is running (Swarm reports a task running only once it is healthy). */
export const serviceRunning = (s: SwarmServiceState) =>
  s.exists && s.tasks.filter((t) => t.state === "running").length >= s.desired && s.tasks.every((t) => t.state === "running");

const lines = (text: string) => text.split("\n").filter((l) => l.trim() !== "");

/** The state of each named service, in one pass of a few Docker calls. */
export function swarmServiceStates(manager: DockerEndpoint, names: readonly string[]): SwarmServiceState[] {
  if (names.length === 0) return [];
  const nodes = new Map<string, string>();
  const nodeIds = lines(dockerOn(manager, ["node", "ls", "-q"]).stdout);
  if (nodeIds.length > 0)
    for (const line of lines(
      dockerOn(manager, [
        "node",
        "inspect",
        "--format",
        `{{.ID}} {{index .Spec.Labels "${NODE_LABEL.host}"}} {{.Description.Hostname}}`,
        ...nodeIds,
      ]).stdout,
    )) {
      const [id, label, hostname] = line.split(" ");
      nodes.set(id, label || hostname);
    }
  // `docker service inspect` prints what exists, and fails naming what does not.
  const inspected = dockerOn(manager, [
    "service",
    "inspect",
    "--format",
    "{{.Spec.Name}} {{.ID}} {{if .Spec.Mode.Global}}global 0{{else}}replicated {{.Spec.Mode.Replicated.Replicas}}{{end}}",
    ...names,
  ]);
  const specs = new Map(
    lines(inspected.stdout).map((l) => {
      const [name, id, mode, replicas] = l.split(" ");
      return [name, { id, mode: mode as "replicated" | "global", replicas: Number(replicas) }];
    }),
  );
  const existing = names.filter((n) => specs.has(n));
  const ids =
    existing.length > 0 ? lines(dockerOn(manager, ["service", "ps", "-q", "--filter", "desired-state=running", ...existing]).stdout) : [];
  const tasks = new Map<string, SwarmTask[]>();
  if (ids.length > 0)
    for (const line of lines(
      dockerOn(manager, [
        "inspect",
        "--type",
        "task",
        "--format",
        "{{.ServiceID}}\t{{.NodeID}}\t{{.Status.State}}\t{{json .Status.Err}}",
        ...new Set(ids),
      ]).stdout,
    )) {
      const [serviceId, nodeId, state, err] = line.split("\t");
      const list = tasks.get(serviceId) ?? [];
      const reason = JSON.parse(err || '""') as string;
      list.push({ host: nodeId ? nodes.get(nodeId) : undefined, state, ...(reason ? { reason } : {}) });
      tasks.set(serviceId, list);
    }
  return names.map((name) => {
    const spec = specs.get(name);
    if (!spec) return { name, exists: false, mode: "replicated", desired: 0, tasks: [] };
    const list = tasks.get(spec.id) ?? [];
    return { name, exists: true, mode: spec.mode, desired: spec.mode === "global" ? list.length : spec.replicas, tasks: list };
  });
}
