// The Docker CLI against a host's engine, the one the docker provider reaches: a local socket with `docker -H`, or an
// ssh:// host by running `docker` there through the system ssh client with the host's sshOpts (the Docker CLI's own
// ssh helper would not take them).
import { spawn, spawnSync, SpawnSyncReturns } from "node:child_process";
import type { SynthesizedStack } from "./stacks";
import { readStackConfig } from "./variables";

/** How to reach one Docker engine. */
export interface DockerEndpoint {
  /** unix:///…, tcp://… or ssh://user@host[:port]; the local default engine when undefined. */
  host?: string;
  sshOpts?: readonly string[];
}

/** The engine a synthesized Docker stack's provider talks to. */
export function stackEndpoint(stack: Pick<SynthesizedStack, "dir">): DockerEndpoint {
  const provider = readStackConfig(stack.dir).provider?.docker?.[0];
  return {
    host: typeof provider?.host === "string" ? provider.host : undefined,
    sshOpts: Array.isArray(provider?.ssh_opts) ? (provider.ssh_opts as string[]) : [],
  };
}

/** One argument for the remote shell that ssh hands the command to. */
const quote = (arg: string) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`);

/** The ssh destination and port of an ssh:// host. */
export function sshTarget(host: string): { destination: string; port?: string } {
  const url = new URL(host);
  return { destination: `${url.username ? `${decodeURIComponent(url.username)}@` : ""}${url.hostname}`, port: url.port || undefined };
}

/** The command line that runs `docker <args>` against the endpoint. */
export function dockerCommand(endpoint: DockerEndpoint, args: readonly string[]): [string, string[]] {
  if (endpoint.host?.startsWith("ssh://")) {
    const { destination, port } = sshTarget(endpoint.host);
    const sshArgs = [...(endpoint.sshOpts ?? []), "-o", "BatchMode=yes", ...(port ? ["-p", port] : []), destination];
    return ["ssh", [...sshArgs, "--", ["docker", ...args].map(quote).join(" ")]];
  }
  return ["docker", [...(endpoint.host ? ["-H", endpoint.host] : []), ...args]];
}

/** Runs `docker` against the endpoint (30 s at most unless told); stdout and stderr as text. */
export function dockerOn(endpoint: DockerEndpoint, args: readonly string[], timeoutMs = 30_000): SpawnSyncReturns<string> {
  const [cmd, argv] = dockerCommand(endpoint, args);
  return spawnSync(cmd, argv, { encoding: "utf8", timeout: timeoutMs });
}

/** Runs `docker` against the endpoint with the terminal attached (logs -f, interactive recipes); resolves its exit code. */
export function dockerAttached(endpoint: DockerEndpoint, args: readonly string[]): Promise<number> {
  const [cmd, argv] = dockerCommand(endpoint, args);
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { stdio: "inherit" });
    child.on("error", reject);
    child.on("close", (code) => resolve(code ?? 1));
  });
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
