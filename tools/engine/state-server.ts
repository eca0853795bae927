// The tunnel to a host's state server. Before the engine runs on a stack whose state lives there, the tools open
// `ssh -N -L 127.0.0.1:<free port>:127.0.0.1:<server port> user@host` once per run (every stack shares it), check
// that PostgreSQL answers through it, and give the engine the connection as PG_CONN_STR (the password comes from
// PGPASSWORD). Nothing of it is written to cdktf.out. It closes when the run ends, when the process exits and on
// Ctrl-C. A host reached over unix:// is this machine: no tunnel.
import { ChildProcess, spawn } from "node:child_process";
import * as net from "node:net";
import type { StateServerEndpoint } from "../../constructs/model";
import { stateMetadataOf } from "../../stacks/state-metadata";
import { InputError } from "./args";
import { globMatch, splitPatterns } from "./select";
import { readStackConfig } from "./variables";

type StackDir = { dir: string };

/** The state server a stack keeps its state on, if any (from its synthesized config). */
export const stateServerOf = (stack: StackDir): StateServerEndpoint | undefined => stateMetadataOf(readStackConfig(stack.dir)).stateServer;

/** Whether the stack deploys a host's state server (`<host>-state`). */
export const isStateServerStack = (stack: StackDir): boolean => stateMetadataOf(readStackConfig(stack.dir)).bootstrapOf !== undefined;

/**
 * The stacks a selection may include: a state server's own stack only when a pattern naming "state" matches it.
 * It is deployed once, before the stacks that keep their state in it, and its own state is a local file on the
 * machine that deployed it, so a CI run's "every stack" must never plan it.
 */
export function withoutUnnamedStateServers<T extends StackDir & { name: string }>(
  stacks: readonly T[],
  patterns?: readonly string[] | string,
): T[] {
  const named = splitPatterns(patterns).filter((g) => /state/i.test(g));
  return stacks.filter((s) => !isStateServerStack(s) || named.some((g) => globMatch(g, s.name)));
}

/** Seconds the tools wait for a tunnel and the server behind it; SPARKY_STATE_TUNNEL_TIMEOUT overrides it. */
export const TUNNEL_TIMEOUT_SECONDS = 30;

export class StateServerError extends InputError {}

export function connectionString(endpoint: StateServerEndpoint, localPort: number): string {
  // Loopback at both ends (the tunnel's and the server's), and SSH encrypts what lies between: no TLS needed.
  return `postgres://${endpoint.user}@127.0.0.1:${localPort}/${endpoint.database}?sslmode=disable`;
}

/** The tunnel's command line. */
export function tunnelCommand(endpoint: StateServerEndpoint, localPort: number, timeoutSeconds = TUNNEL_TIMEOUT_SECONDS): string[] {
  const url = new URL(endpoint.dockerHost);
  return [
    "ssh",
    "-N",
    "-L",
    `127.0.0.1:${localPort}:127.0.0.1:${endpoint.port}`,
    // Its own connection, never a ControlMaster's: a forward added to a persisting master would outlive the run.
    // These come before the host's options because ssh keeps the first value it is given.
    ...["-o", "ControlMaster=no", "-o", "ControlPath=none", "-o", "ExitOnForwardFailure=yes", "-o", "BatchMode=yes"],
    ...["-o", `ConnectTimeout=${timeoutSeconds}`, "-o", "ServerAliveInterval=15"],
    ...endpoint.sshOpts,
    ...(url.port ? ["-p", url.port] : []),
    `${decodeURIComponent(url.username)}@${url.hostname}`,
  ];
}

const shellWord = (word: string) => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`);

/**
 * What answers on a local port: "postgres" when PostgreSQL replies to an SSLRequest, "refused" when nothing
 * listens, "closed" when something accepts and hangs up (ssh's forward, with nothing listening at the far end).
 */
export function probePostgres(port: number, timeoutMs = 3_000): Promise<"postgres" | "refused" | "closed"> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    const done = (result: "postgres" | "refused" | "closed") => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done("closed"));
    socket.once("connect", () => socket.write(Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f])));
    socket.once("data", (d) => done(d[0] === 0x4e || d[0] === 0x53 ? "postgres" : "closed"));
    socket.once("error", (e: NodeJS.ErrnoException) => done(e.code === "ECONNREFUSED" ? "refused" : "closed"));
    socket.once("close", () => done("closed"));
  });
}

function freeLocalPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

interface Tunnel {
  connection: string;
  /** Settles when the tunnel goes away by itself (ssh ended), with why; never for a unix:// host. */
  ended: Promise<string>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function openTunnel(
  endpoint: StateServerEndpoint,
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
  onClose: (close: () => void) => void,
): Promise<Tunnel> {
  const timeoutSeconds = Number(env.SPARKY_STATE_TUNNEL_TIMEOUT) || TUNNEL_TIMEOUT_SECONDS;
  const deadline = Date.now() + timeoutSeconds * 1000;
  const local = endpoint.dockerHost.startsWith("unix://");
  const port = local ? endpoint.port : await freeLocalPort();
  const command = tunnelCommand(endpoint, port, timeoutSeconds);
  const where = `the state server on host "${endpoint.host}"`;
  log(local ? `state: reaching ${where} at 127.0.0.1:${port}` : `state: opening a tunnel to ${where}: ${command.map(shellWord).join(" ")}`);
  let child: ChildProcess | undefined;
  let stderr = "";
  let exited: string | undefined;
  let ended: Promise<string> = new Promise(() => {});
  if (!local) {
    const ssh = (child = spawn(command[0], command.slice(1), { env, stdio: ["ignore", "ignore", "pipe"] }));
    ssh.stderr!.on("data", (d: Buffer) => (stderr = (stderr + d.toString("utf8")).slice(-4000)));
    ended = new Promise((resolve) => {
      ssh.once("error", (e) => resolve((exited = e.message)));
      ssh.once("exit", (code, signal) => resolve((exited = signal ? `ssh was stopped by ${signal}` : `ssh exited with code ${code}`)));
    });
  }
  let closing = false;
  const close = () => {
    closing = true;
    if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
  };
  onClose(close);
  const fail = (why: string): never => {
    close();
    const fix = local
      ? ""
      : `\n  the tunnel: ${command.map(shellWord).join(" ")}${stderr.trim() ? `\n  ssh said: ${stderr.trim().split("\n").join("\n    ")}` : ""}`;
    throw new StateServerError(`cannot reach ${where}: ${why}${fix}`);
  };
  const started = Date.now();
  let last: Awaited<ReturnType<typeof probePostgres>> = "refused";
  for (;;) {
    if (exited !== undefined) fail(exited);
    last = await probePostgres(port);
    if (last === "postgres") break;
    if (Date.now() >= deadline)
      fail(
        last === "closed" || local
          ? `nothing answers on 127.0.0.1:${endpoint.port} on the host within ${timeoutSeconds} s; deploy the state server first ` +
              `(\`just deploy <target> ${endpoint.host}-state\`, README "Shared state")`
          : `no tunnel within ${timeoutSeconds} s (SPARKY_STATE_TUNNEL_TIMEOUT)`,
      );
    await sleep(200);
  }
  log(`state: ${where} answers${local ? "" : ` through 127.0.0.1:${port}`} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  void ended.then(
    (why) => closing || log(`state: the tunnel to ${where} went away during the run (${why}); the engine cannot reach the state now`),
  );
  return { connection: connectionString(endpoint, port), ended };
}

const tunnels = new Map<string, Promise<Tunnel>>();
/** Stops each tunnel's ssh, synchronously (on `exit` no promise callback runs any more). */
const closers = new Set<() => void>();
const keyOf = (e: StateServerEndpoint) => JSON.stringify([e.dockerHost, e.sshOpts, e.port, e.database, e.user]);
const SIGNALS: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];

function onSignal(signal: NodeJS.Signals): void {
  closeStateServers();
  // The process's own default then ends it, as if nothing had been listening.
  process.kill(process.pid, signal);
}

/** Closes every tunnel this process opened (also done on exit and on SIGINT, SIGTERM, SIGHUP). */
export function closeStateServers(): void {
  for (const close of closers) close();
  tunnels.clear();
  closers.clear();
  process.removeListener("exit", closeStateServers);
  for (const signal of SIGNALS) process.removeListener(signal, onSignal);
}

/** The tunnel to one state server, opened on first use and shared by every later caller in this process. */
function tunnelTo(endpoint: StateServerEndpoint, env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<Tunnel> {
  const key = keyOf(endpoint);
  let tunnel = tunnels.get(key);
  if (!tunnel) {
    if (tunnels.size === 0) {
      process.once("exit", closeStateServers);
      for (const signal of SIGNALS) process.once(signal, onSignal);
    }
    tunnel = openTunnel(endpoint, env, log, (close) => closers.add(close));
    // A failed opening is not kept: the next run of the engine tries again.
    tunnel.catch(() => tunnels.get(key) === tunnel && tunnels.delete(key));
    tunnels.set(key, tunnel);
  }
  return tunnel;
}

const quiet = () => {};

/** PG_CONN_STR for the engine in a stack directory whose state is on a state server (opening its tunnel), else nothing. */
export async function stateServerEnv(
  stack: StackDir,
  env: NodeJS.ProcessEnv,
  log: (line: string) => void = quiet,
): Promise<NodeJS.ProcessEnv> {
  const endpoint = stateServerOf(stack);
  if (!endpoint) return {};
  return { PG_CONN_STR: (await tunnelTo(endpoint, env, log)).connection };
}

/** The open tunnel to a state server (for `state-tunnel`, which hands it to commands such as `cdktf deploy`). */
export const openStateServer = (endpoint: StateServerEndpoint, env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<Tunnel> =>
  tunnelTo(endpoint, env, log);

/**
 * Opens the tunnel of every state server the stacks keep their state on, before anything runs (a clear error now,
 * rather than one per stack later), runs `work`, and closes them.
 */
export async function withStateServers<T>(
  stacks: readonly StackDir[],
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
  work: () => Promise<T>,
): Promise<T> {
  try {
    for (const stack of stacks) await stateServerEnv(stack, env, log);
    return await work();
  } finally {
    closeStateServers();
  }
}
