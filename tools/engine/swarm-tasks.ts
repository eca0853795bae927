// A swarm's services as their tasks show them, read through the manager's engine: where each task runs (by the host
// name the node is labelled with), its state, and Swarm's reason when it is not running ("no suitable node ...").
import { NODE_LABEL } from "../../constructs/model/cluster";
import { JOB_LABEL } from "../../constructs/core/labels";
import { dockerOn, DockerEndpoint, servicesOf, stackEndpoint, StoppedContainer } from "./docker";
import type { SynthesizedStack } from "./stacks";

export interface SwarmTask {
  /** The host the task runs on (the node's `sparky.host` label, else its hostname); undefined while pending. */
  host?: string;
  /** Swarm's task state: running, pending, starting, preparing, complete, failed, ... */
  state: string;
  /** Why it is not running, when Swarm says. */
  reason?: string;
  /** Its container's exit code, once it exited. */
  exitCode?: number;
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
  /** A one-shot job: one task that runs to completion (restart condition none). */
  job: boolean;
  /** Its newest task, whatever its state: a job's run. */
  lastRun?: SwarmTask;
}

/**
 * Whether every task the service should run is running (Swarm reports a task running only once it is healthy), or
 * for a one-shot job, whether its run completed (exit code 0).
 */
export const serviceWell = (s: SwarmServiceState) =>
  s.exists &&
  (s.job
    ? s.lastRun?.state === "complete"
    : s.tasks.filter((t) => t.state === "running").length >= s.desired && s.tasks.every((t) => t.state === "running"));

/** A task as one line: its state, node, exit code and Swarm's reason. */
export const describeTask = (t: SwarmTask) =>
  `${t.state}${t.exitCode !== undefined ? ` (exit code ${t.exitCode})` : ""}${t.host ? ` on ${t.host}` : ""}${t.reason ? `: ${t.reason}` : ""}`;

/** A job's run that ended otherwise than complete: failed, rejected or shut down, with its exit code. */
export const jobFailed = (s: SwarmServiceState) =>
  s.job && s.lastRun !== undefined && ["failed", "rejected", "shutdown", "orphaned", "remove"].includes(s.lastRun.state);

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
    `{{.Spec.Name}} {{.ID}} {{if .Spec.Mode.Global}}global 0{{else}}replicated {{.Spec.Mode.Replicated.Replicas}}{{end}} {{index .Spec.Labels "${JOB_LABEL.label}"}}`,
    ...names,
  ]);
  const specs = new Map(
    lines(inspected.stdout).map((l) => {
      const [name, id, mode, replicas, kind] = l.split(" ");
      return [name, { id, mode: mode as "replicated" | "global", replicas: Number(replicas), job: kind === JOB_LABEL.value }];
    }),
  );
  const existing = names.filter((n) => specs.has(n));
  // A global service should run a task on every node its constraints allow: Swarm counts them ("1/2").
  const globalDesired = new Map(
    lines(dockerOn(manager, ["service", "ls", "--filter", "mode=global", "--format", "{{.Name}} {{.Replicas}}"]).stdout).map((l) => {
      const [name, replicas] = l.split(" ");
      return [name, Number(/^\d+\/(\d+)/.exec(replicas ?? "")?.[1] ?? 0)];
    }),
  );
  // Every task Swarm keeps (its history too): those it wants running, and a job's newest run.
  const ids = existing.length > 0 ? lines(dockerOn(manager, ["service", "ps", "-q", ...existing]).stdout) : [];
  const tasks = new Map<string, (SwarmTask & { desired: string; created: number })[]>();
  if (ids.length > 0)
    for (const line of lines(
      dockerOn(manager, [
        "inspect",
        "--type",
        "task",
        "--format",
        "{{.ServiceID}}\t{{.NodeID}}\t{{.Status.State}}\t{{json .Status.Err}}\t{{.DesiredState}}\t{{.CreatedAt.UnixNano}}\t{{with .Status.ContainerStatus}}{{.ExitCode}}{{end}}",
        ...new Set(ids),
      ]).stdout,
    )) {
      const [serviceId, nodeId, state, err, desired, created, exitCode] = line.split("\t");
      const list = tasks.get(serviceId) ?? [];
      const reason = JSON.parse(err || '""') as string;
      list.push({
        host: nodeId ? nodes.get(nodeId) : undefined,
        state,
        ...(reason ? { reason } : {}),
        ...(exitCode && state !== "running" ? { exitCode: Number(exitCode) } : {}),
        desired,
        created: Number(created),
      });
      tasks.set(serviceId, list);
    }
  return names.map((name) => {
    const spec = specs.get(name);
    if (!spec) return { name, exists: false, mode: "replicated", desired: 0, tasks: [], job: false };
    const all = (tasks.get(spec.id) ?? []).sort((a, b) => b.created - a.created);
    const plain = ({ desired, created, ...task }: (typeof all)[number]): SwarmTask => task;
    const list = all.filter((t) => t.desired === "running").map(plain);
    return {
      name,
      exists: true,
      mode: spec.mode,
      desired: spec.mode === "global" ? Math.max(globalDesired.get(name) ?? 0, list.length) : spec.replicas,
      tasks: list,
      job: spec.job,
      ...(all.length > 0 ? { lastRun: plain(all[0]) } : {}),
    };
  });
}

/** The stack's one-shot jobs on a swarm (`docker_service` with the job label), by address. */
export function swarmJobsOf(stack: Pick<SynthesizedStack, "dir">): Map<string, string> {
  const isJob = (labels: unknown) =>
    Array.isArray(labels) && labels.some((l) => l?.label === JOB_LABEL.label && l?.value === JOB_LABEL.value);
  return new Map([...servicesOf(stack)].filter(([, s]) => isJob(s.config.labels)).map(([address, s]) => [address, s.name]));
}

/** The stack's swarm jobs whose last run failed: the next deploy replaces them, which runs them again. */
export function failedSwarmJobs(stack: Pick<SynthesizedStack, "dir">): StoppedContainer[] {
  const jobs = swarmJobsOf(stack);
  if (jobs.size === 0) return [];
  const states = swarmServiceStates(stackEndpoint(stack), [...jobs.values()]);
  return [...jobs].flatMap(([address, name]) => {
    const s = states.find((x) => x.name === name);
    return s && jobFailed(s) ? [{ address, name, state: describeTask(s.lastRun!), failedJob: true }] : [];
  });
}

/** Waits until every named job's newest run has ended (bounded); returns the states of those that did not complete. */
export async function awaitSwarmJobs(manager: DockerEndpoint, names: readonly string[], timeoutMs: number): Promise<SwarmServiceState[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const states = swarmServiceStates(manager, names);
    // A run Swarm cannot place (pending, with its reason: no suitable node) fails the deploy rather than hold it.
    const unplaceable = (s: SwarmServiceState) => s.lastRun?.state === "pending" && s.lastRun.reason !== undefined;
    const ended = states.every((s) => !s.exists || serviceWell(s) || jobFailed(s) || unplaceable(s));
    if (ended || Date.now() > deadline) return states.filter((s) => !serviceWell(s));
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
}
