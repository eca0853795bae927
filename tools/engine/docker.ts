// The Docker CLI against a host's engine, the one the docker provider reaches: a local socket, or an ssh:// host over
// the Docker CLI's own SSH helper (`docker system dial-stdio` on the host, as the provider does) with the host's
// sshOpts. Going through dial-stdio, rather than running `docker` in a remote shell, keeps every lookup within what a
// key restricted to the read-only API proxy may do.
import { spawn, spawnSync, SpawnSyncReturns } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ensureControlDirectory } from "./ssh-control";
import type { SynthesizedStack } from "./stacks";
import { readStackConfig } from "./variables";

/** How to reach one Docker engine. */
export interface DockerEndpoint {
  /** unix:///…, tcp://… or ssh://user@host[:port]; the local default engine when undefined. */
  host?: string;
  sshOpts?: readonly string[];
}

/**
 * The engine a synthesized Docker stack's provider talks to: its default provider, or the one a resource names
 * (`provider = "docker.<alias>"`: a cluster's other nodes).
 */
export function stackEndpoint(stack: Pick<SynthesizedStack, "dir">, providerRef?: unknown): DockerEndpoint {
  const providers = readStackConfig(stack.dir).provider?.docker ?? [];
  const alias = typeof providerRef === "string" ? providerRef.replace(/^docker\./, "") : undefined;
  const provider = alias ? providers.find((p) => p.alias === alias) : providers.find((p) => p.alias === undefined);
  return {
    host: typeof provider?.host === "string" ? provider.host : undefined,
    sshOpts: Array.isArray(provider?.ssh_opts) ? (provider.ssh_opts as unknown[]).map(String) : [],
  };
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** The `ssh` found on PATH (outside our own wrapper directories). */
export function realSsh(env: NodeJS.ProcessEnv): string {
  for (const dir of (env.PATH ?? "").split(path.delimiter)) {
    const candidate = path.join(dir, "ssh");
    if (dir && !dir.includes("sparky-ssh-") && fs.existsSync(candidate)) return candidate;
  }
  return "ssh";
}

/**
 * The Docker CLI has no flag for extra ssh options: it runs `ssh` from PATH. A directory of our own (0700, for one
 * command, removed after it) first on PATH holds an `ssh` that adds the host's options and runs the real one.
 * Returns the environment to run docker with, and the cleanup.
 */
function sshOptionsEnv(endpoint: DockerEndpoint): { env: NodeJS.ProcessEnv; done: () => void } {
  const sshOpts = endpoint.sshOpts ?? [];
  if (!endpoint.host?.startsWith("ssh://") || sshOpts.length === 0) return { env: process.env, done: () => {} };
  ensureControlDirectory(sshOpts);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sparky-ssh-"));
  const script = `#!/bin/sh\nexec ${quote(realSsh(process.env))} ${sshOpts.map(quote).join(" ")} "$@"\n`;
  fs.writeFileSync(path.join(dir, "ssh"), script, { mode: 0o700 });
  return {
    env: { ...process.env, PATH: [dir, process.env.PATH ?? ""].join(path.delimiter) },
    done: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** The docker command line for the endpoint (the ssh options come through the environment, see sshOptionsEnv). */
export const dockerArgs = (endpoint: DockerEndpoint, args: readonly string[]): string[] => [
  ...(endpoint.host ? ["-H", endpoint.host] : []),
  ...args,
];

/** Runs `docker` against the endpoint (30 s at most unless told); stdout and stderr as text. */
export function dockerOn(endpoint: DockerEndpoint, args: readonly string[], timeoutMs = 30_000): SpawnSyncReturns<string> {
  const { env, done } = sshOptionsEnv(endpoint);
  try {
    return spawnSync("docker", dockerArgs(endpoint, args), { encoding: "utf8", timeout: timeoutMs, env });
  } finally {
    done();
  }
}

/** Runs `docker` against the endpoint with the terminal attached (logs -f, interactive recipes); resolves its exit code. */
export function dockerAttached(endpoint: DockerEndpoint, args: readonly string[]): Promise<number> {
  const { env, done } = sshOptionsEnv(endpoint);
  return new Promise<number>((resolve, reject) => {
    const child = spawn("docker", dockerArgs(endpoint, args), { stdio: "inherit", env });
    child.on("error", reject);
    child.on("close", (code) => resolve(code ?? 1));
  }).finally(done);
}

/** Runs `docker` against the stack's engine (30 s at most); stdout and stderr as text. */
export function dockerRun(stack: Pick<SynthesizedStack, "dir">, args: string[]): SpawnSyncReturns<string> {
  return dockerOn(stackEndpoint(stack), args);
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

/** Managed swarm services of the stack: address → service name. */
export function servicesOf(stack: Pick<SynthesizedStack, "dir">): Map<string, { name: string; config: Record<string, unknown> }> {
  const services = readStackConfig(stack.dir).resource?.docker_service ?? {};
  return new Map(
    Object.entries(services)
      .filter(([, c]) => typeof c.name === "string")
      .map(([key, c]) => [`docker_service.${key}`, { name: c.name as string, config: c }]),
  );
}

/** A managed container that exists but is not running. */
export interface StoppedContainer {
  address: string;
  name: string;
  /** Docker's state and exit code, e.g. "exited (137)". */
  state: string;
  /** A one-shot job whose run failed (or never started), rather than a container that must run. */
  failedJob?: boolean;
}

type Chooser = (config: Record<string, unknown>) => boolean;
const mustRun: Chooser = (c) => c.must_run !== false;
const isJob: Chooser = (c) => c.must_run === false;

/** The inspected containers among the stack's managed ones chosen by `pick` (their synthesized config) that exist and are not running. */
function exitedAmong(stack: SynthesizedStack, inspected: readonly Record<string, any>[], pick: Chooser): StoppedContainer[] {
  const byName = new Map([...containersOf(stack)].filter(([, c]) => pick(c.config)).map(([address, c]) => [c.name, address]));
  return inspected.flatMap((c) => {
    const name = String(c.Name ?? "").replace(/^\//, "");
    const address = byName.get(name);
    return address && c.State?.Running === false ? [{ address, name, state: `${c.State.Status} (${c.State.ExitCode})` }] : [];
  });
}

/** The inspected containers among the stack's managed ones (must_run, the default) that exist but are not running. */
const stoppedAmong = (stack: SynthesizedStack, inspected: readonly Record<string, any>[]): StoppedContainer[] =>
  exitedAmong(stack, inspected, mustRun);

/**
 * One-shot jobs (must_run off) among the inspected containers whose run exited non-zero, or never started (an apply
 * stopped in between). The postcondition of a failed one fails every plan that keeps it, so a deploy plans them
 * replaced (run again), and a drift check leaves them out and reports them.
 */
const failedJobsAmong = (stack: SynthesizedStack, inspected: readonly Record<string, any>[]): StoppedContainer[] =>
  exitedAmong(stack, inspected, isJob)
    .filter((c) => c.state !== "exited (0)")
    .map((c) => ({ ...c, failedJob: true }));

/** `docker container inspect` of the stack's managed containers chosen by `pick`: the ones that exist. */
function inspectContainers(stack: SynthesizedStack, pick: Chooser): Record<string, unknown>[] {
  const names = [...containersOf(stack).values()].filter((c) => pick(c.config)).map((c) => c.name);
  if (names.length === 0) return [];
  // Exit status 1 only says some name does not exist; the ones that do are still printed.
  const r = dockerRun(stack, ["container", "inspect", ...names]);
  try {
    return JSON.parse(r.stdout || "[]") as Record<string, unknown>[];
  } catch {
    return [];
  }
}

/**
 * Managed containers (must_run, the default) that exist but are not running: among `inspected` (the stack's
 * containers as the engine's API returned them), or found with one `docker inspect`.
 * kreuzwerker/docker 3.6.2 *removes* such a container when any plan refreshes it, then fails the plan
 * ("container failed to be in running state"), so the tools must find them without the engine, leave them out of
 * their plans, and report (drift, diff) or start (deploy) them themselves.
 */
export function stoppedContainers(stack: SynthesizedStack, inspected?: readonly Record<string, unknown>[]): StoppedContainer[] {
  return stoppedAmong(stack, inspected ?? inspectContainers(stack, mustRun));
}

/** One-shot jobs whose run failed or never started (see failedJobsAmong): among `inspected`, or found likewise. */
export function failedJobs(stack: SynthesizedStack, inspected?: readonly Record<string, unknown>[]): StoppedContainer[] {
  return failedJobsAmong(stack, inspected ?? inspectContainers(stack, isJob));
}
