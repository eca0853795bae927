// The reference justfile's operations against a target's Docker hosts (local or ssh://), by the containers' real names:
//   ops ps [target]                         every container of the target, its state and ports
//   ops health [target]                     state and health of each; exit 1 when one is not running and healthy
//                                           (a one-shot job: exited 0)
//   ops logs [target] SERVICE [--follow] [--lines N]
//   ops restart [target] SERVICE...
//   ops gpu-status [target]                 nvidia-smi on each GPU host
// A SERVICE is a service name (comfyui), `project/service`, or a container name (dgx-pixels-backend). On a cluster
// target each is a swarm service: ps and health show its tasks (node, state, and why one is not running).
import { spawnSync } from "node:child_process";
import { sshDestination } from "../constructs/model/endpoints";
import { isOneShot } from "../constructs/model/jobs";
import type { ResolvedHost, ResolvedService } from "../constructs/model";
import { loadModel } from "../stacks/load-model";
import { InputError, parseCommandLine, positiveInteger, UsageError } from "./engine/args";
import { runCli } from "./engine/cli";
import { dockerAttached, DockerEndpoint, dockerOn } from "./engine/docker";
import { describeTask, serviceWell, swarmServiceStates } from "./engine/swarm-tasks";
import { alignedTable } from "./engine/table";
import { REPO_ROOT } from "./engine/toolchain";

const USAGE = `usage: ops <ps|health|logs|restart|gpu-status> [TARGET] [SERVICE...] [--follow] [--lines N]`;
const COMMANDS = ["ps", "health", "logs", "restart", "gpu-status"];
const GPU_QUERY = "--query-gpu=name,memory.used,memory.total,temperature.gpu,utilization.gpu,power.draw";

interface Placed {
  host: ResolvedHost;
  service: ResolvedService;
}

const endpointOf = (host: ResolvedHost): DockerEndpoint => ({ host: host.spec.dockerHost, sshOpts: host.spec.sshOpts });

/** Every container the target runs, the hosts' observability sets included. */
function containersOf(hosts: readonly ResolvedHost[]): Placed[] {
  return hosts.flatMap((host) => [
    ...host.projects.flatMap((p) => Object.values(p.services).map((service) => ({ host, service }))),
    ...Object.values(host.observability.services).map((service) => ({ host, service })),
  ]);
}

function pick(all: readonly Placed[], names: readonly string[]): Placed[] {
  return names.map((name) => {
    const matches = all.filter(({ service: s }) => s.containerName === name || `${s.owner}/${s.name}` === name || s.name === name);
    if (matches.length === 1) return matches[0];
    const known = all.map((p) => p.service.containerName).join(", ");
    throw new InputError(
      matches.length === 0
        ? `unknown service "${name}"; the target runs ${known}`
        : `"${name}" is ambiguous; name the container (${matches.map((m) => m.service.containerName).join(", ")})`,
    );
  });
}

interface State {
  Status: string;
  ExitCode?: number;
  Health?: { Status: string };
}

/** State of each container by name (absent: not created). */
function states(placed: readonly Placed[]): Map<string, State> {
  const out = new Map<string, State>();
  for (const host of new Set(placed.map((p) => p.host))) {
    const names = placed.filter((p) => p.host === host).map((p) => p.service.containerName);
    const r = dockerOn(endpointOf(host), ["inspect", "--type", "container", "--format", "{{.Name}} {{json .State}}", ...names]);
    for (const line of r.stdout.split("\n").filter(Boolean)) {
      const space = line.indexOf(" ");
      out.set(line.slice(1, space), JSON.parse(line.slice(space + 1)) as State);
    }
  }
  return out;
}

const describeState = (s: State | undefined) =>
  s ? `${s.Status}${s.Health ? ` (${s.Health.Status})` : s.Status === "exited" ? ` (${s.ExitCode})` : ""}` : "not created";

/** Running and healthy, or for a one-shot job: exited 0. */
const well = (service: ResolvedService, s: State | undefined): boolean =>
  !!s &&
  (isOneShot(service.spec)
    ? s.Status === "exited" && s.ExitCode === 0
    : s.Status === "running" && (s.Health === undefined || s.Health.Status === "healthy"));

interface Row {
  placed: Placed;
  where: string;
  state: string;
  healthy: boolean;
}

/** One row per container (single hosts) or swarm service (clusters), with where it runs and whether it is healthy. */
function rows(placed: readonly Placed[]): Row[] {
  const single = placed.filter((p) => !p.host.cluster);
  const found = states(single);
  const out: Row[] = single.map((p) => {
    const s = found.get(p.service.containerName);
    return {
      placed: p,
      where: p.host.name,
      state: describeState(s),
      healthy: well(p.service, s),
    };
  });
  for (const host of new Set(placed.filter((p) => p.host.cluster).map((p) => p.host))) {
    const mine = placed.filter((p) => p.host === host);
    const swarm = swarmServiceStates(
      endpointOf(host),
      mine.map((p) => p.service.containerName),
    );
    mine.forEach((p, i) => {
      const s = swarm[i];
      const waiting = s.tasks.filter((t) => t.state !== "running");
      const why = (p.service.placement?.constraints ?? []).map((c) => `${c.label}=${c.value}: ${c.reason}`).join("; ");
      out.push({
        placed: p,
        where: [...new Set((s.job && s.lastRun ? [s.lastRun] : s.tasks).flatMap((t) => (t.host ? [t.host] : [])))].join(", ") || "-",
        state: !s.exists
          ? "not created"
          : s.job
            ? s.lastRun
              ? describeTask(s.lastRun)
              : "not run"
            : waiting.length === 0
              ? `${s.tasks.length}/${s.desired} running`
              : `${waiting[0].state}: ${waiting[0].reason ?? "waiting"}${why ? ` (placement: ${why})` : ""}`,
        healthy: serviceWell(s),
      });
    });
  }
  return out;
}
const ports = (s: ResolvedService) => s.spec.ports.map((p) => `${p.bind}:${p.host}->${p.container}/${p.protocol}`).join(", ");

async function main(): Promise<number> {
  const options = { follow: { type: "boolean", short: "f" }, lines: { type: "string" } } as const;
  const { values, positionals, help } = parseCommandLine(process.argv.slice(2), options, USAGE);
  if (help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const [command, target, ...names] = positionals;
  if (!command || !COMMANDS.includes(command)) throw new UsageError(`${command ? `unknown command ${command}` : "no command"}\n${USAGE}`);
  const model = loadModel({ ...process.env, ...(target ? { SPARKY_TARGET: target } : {}) }, REPO_ROOT);
  const all = containersOf(model.hosts);
  const chosen = names.length > 0 ? pick(all, names) : all;
  const write = (lines: string[]) => process.stdout.write(`${lines.join("\n")}\n`);

  if (command === "ps" || command === "health") {
    const table = rows(chosen);
    write(
      alignedTable(
        ["container", "host", "state", "ports"],
        table.map((r) => [r.placed.service.containerName, r.where, r.state, ports(r.placed.service)]),
      ),
    );
    if (command === "ps") return 0;
    const unwell = table.filter((r) => !r.healthy);
    if (unwell.length > 0)
      process.stderr.write(`health: not running and healthy: ${unwell.map((u) => u.placed.service.containerName).join(", ")}\n`);
    return unwell.length > 0 ? 1 : 0;
  }
  if (command === "logs") {
    if (chosen.length !== 1 || names.length !== 1) throw new UsageError(`logs takes one SERVICE\n${USAGE}`);
    const lines = String(positiveInteger("lines", values.lines, 100, USAGE));
    const [{ host, service }] = chosen;
    const logs = host.cluster ? ["service", "logs"] : ["logs"];
    return dockerAttached(endpointOf(host), [...logs, "--tail", lines, ...(values.follow ? ["--follow"] : []), service.containerName]);
  }
  if (command === "restart") {
    if (names.length === 0) throw new UsageError(`restart takes the SERVICEs to restart\n${USAGE}`);
    let code = 0;
    for (const { host, service } of chosen) {
      // A swarm service restarts its tasks by a forced update (the spec is unchanged; Swarm counts the restarts).
      const restart = host.cluster
        ? ["service", "update", "--force", "--detach", service.containerName]
        : ["restart", service.containerName];
      const r = dockerOn(endpointOf(host), restart, 120_000);
      process.stdout.write(`${service.containerName}: ${r.status === 0 ? "restarted" : `failed: ${r.stderr.trim()}`}\n`);
      if (r.status !== 0) code = 1;
    }
    return code;
  }
  // gpu-status: nvidia-smi on the host itself, as the reference's recipe ran it.
  let code = 0;
  const gpuHosts = model.hosts.flatMap((h) => (h.cluster ? h.cluster.nodes.map((n) => ({ name: n.host, spec: n.spec })) : [h]));
  for (const host of gpuHosts) {
    if (!host.spec.gpus) {
      process.stdout.write(`${host.name}: no GPU (config.hosts.${host.name}.gpus is false)\n`);
      continue;
    }
    const ssh = sshDestination(host.spec);
    const smi = ["nvidia-smi", GPU_QUERY, "--format=csv"];
    const r = ssh
      ? spawnSync("ssh", [...ssh.args, "-o", "BatchMode=yes", ssh.destination, "--", ...smi], { encoding: "utf8", timeout: 30_000 })
      : spawnSync(smi[0], smi.slice(1), { encoding: "utf8", timeout: 30_000 });
    process.stdout.write(
      `${host.name}:\n${r.status === 0 ? r.stdout : `  nvidia-smi failed: ${(r.stderr || r.error?.message || "").trim()}\n`}`,
    );
    if (r.status !== 0) code = 1;
  }
  return code;
}

runCli(COMMANDS.includes(process.argv[2]) ? `ops ${process.argv[2]}` : "ops", main);
