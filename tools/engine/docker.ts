// The Docker CLI against a stack's own engine: the docker provider's `host` (a local socket or ssh://), reached
// over SSH with the provider's own `ssh_opts`, so a lookup goes where the engine goes, with the same key, host
// key checks and multiplexed connection.
import { spawnSync, SpawnSyncReturns } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { SynthesizedStack } from "./stacks";
import { readStackConfig } from "./variables";

interface DockerEndpoint {
  host?: string;
  sshOpts: string[];
}

function endpointOf(stack: Pick<SynthesizedStack, "dir">): DockerEndpoint {
  const provider = readStackConfig(stack.dir).provider?.docker?.[0];
  const host = provider?.host;
  const sshOpts = provider?.ssh_opts;
  return { host: typeof host === "string" ? host : undefined, sshOpts: Array.isArray(sshOpts) ? sshOpts.map(String) : [] };
}

export function dockerHost(stack: Pick<SynthesizedStack, "dir">): string | undefined {
  return endpointOf(stack).host;
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** The `ssh` found on PATH (outside our own wrapper directories). */
function realSsh(env: NodeJS.ProcessEnv): string {
  for (const dir of (env.PATH ?? "").split(path.delimiter)) {
    const candidate = path.join(dir, "ssh");
    if (dir && !dir.includes("sparky-ssh-") && fs.existsSync(candidate)) return candidate;
  }
  return "ssh";
}

/**
 * The Docker CLI has no flag for extra ssh options: it runs `ssh` from PATH. A directory of our own (0700, for
 * one command, removed after it) first on PATH holds an `ssh` that adds the host's options and runs the real one.
 */
function withSshOptions<T>(sshOpts: readonly string[], run: (env: NodeJS.ProcessEnv) => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sparky-ssh-"));
  try {
    const script = `#!/bin/sh\nexec ${quote(realSsh(process.env))} ${sshOpts.map(quote).join(" ")} "$@"\n`;
    fs.writeFileSync(path.join(dir, "ssh"), script, { mode: 0o700 });
    return run({ ...process.env, PATH: [dir, process.env.PATH ?? ""].join(path.delimiter) });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs `docker` against the stack's engine (30 s at most); stdout and stderr as text. */
export function dockerRun(stack: Pick<SynthesizedStack, "dir">, args: string[]): SpawnSyncReturns<string> {
  const { host, sshOpts } = endpointOf(stack);
  const docker = (env: NodeJS.ProcessEnv) =>
    spawnSync("docker", [...(host ? ["-H", host] : []), ...args], { encoding: "utf8", timeout: 30_000, env });
  return host?.startsWith("ssh://") && sshOpts.length > 0 ? withSshOptions(sshOpts, docker) : docker(process.env);
}

/** The command's trimmed stdout, or undefined when it failed or printed nothing. */
export function docker(stack: Pick<SynthesizedStack, "dir">, args: string[]): string | undefined {
  const r = dockerRun(stack, args);
  return r.status === 0 && r.stdout.trim() ? r.stdout.trim() : undefined;
}

/** Managed containers of the stack: address → container name. */
export function containersOf(stack: Pick<SynthesizedStack, "dir">): Map<string, { name: string; config: Record<string, unknown> }> {
  const containers = readStackConfig(stack.dir).resource?.docker_container ?? {};
  return new Map(
    Object.entries(containers)
      .filter(([, c]) => typeof c.name === "string")
      .map(([key, c]) => [`docker_container.${key}`, { name: c.name as string, config: c }]),
  );
}

/** A managed container that exists but is not running. */
export interface StoppedContainer {
  address: string;
  name: string;
  /** Docker's state and exit code, e.g. "exited (137)". */
  state: string;
}

/**
 * Managed containers (must_run, the default) that exist but are not running, found with one `docker inspect`.
 * kreuzwerker/docker 3.6.2 *removes* such a container when any plan refreshes it, then fails the plan
 * ("container failed to be in running state"), so the tools must find them without the engine, leave them out of
 * their plans, and report (drift, diff) or start (deploy) them themselves.
 */
export function stoppedContainers(stack: SynthesizedStack): StoppedContainer[] {
  const byName = new Map([...containersOf(stack)].filter(([, c]) => c.config.must_run !== false).map(([address, c]) => [c.name, address]));
  if (byName.size === 0) return [];
  // Exit status 1 only says some name does not exist; the ones that do are still printed.
  const r = dockerRun(stack, [
    "container",
    "inspect",
    "--format",
    "{{.Name}} {{.State.Running}} {{.State.Status}} {{.State.ExitCode}}",
    ...byName.keys(),
  ]);
  return (r.stdout ?? "")
    .split("\n")
    .map((line) => line.trim().split(" "))
    .filter(([name, running]) => name && running === "false" && byName.has(name.replace(/^\//, "")))
    .map(([name, , status, exitCode]) => {
      const plain = name.replace(/^\//, "");
      return { address: byName.get(plain)!, name: plain, state: `${status} (${exitCode})` };
    });
}
