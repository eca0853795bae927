// Lookups against a host's Docker engine API, all of a run's over one connection: the local socket directly, or for
// an ssh:// host one SSH session running `docker system dial-stdio` on the host (the Docker CLI's own transport, so a
// key restricted to the read-only API proxy works the same) with the host's sshOpts. The Docker CLI opens a session
// and starts a process on the host for every command; the tools' lookups before a plan (networks, stopped
// containers, the live fingerprint) were eight of them for one stack.
import { ChildProcess, spawn } from "node:child_process";
import * as http from "node:http";
import { Duplex } from "node:stream";
import { sshDestination } from "../../constructs/model/endpoints";
import { DockerEndpoint, realSsh } from "./docker";
import { ensureControlDirectory } from "./ssh-control";

/** What `docker <kind> inspect` looks up, by the API's path for one object. */
const INSPECT_PATH = {
  container: (name: string) => `/containers/${encodeURIComponent(name)}/json`,
  network: (name: string) => `/networks/${encodeURIComponent(name)}`,
  volume: (name: string) => `/volumes/${encodeURIComponent(name)}`,
  image: (name: string) => `/images/${encodeURI(name)}/json`,
  service: (name: string) => `/services/${encodeURIComponent(name)}`,
  config: (name: string) => `/configs/${encodeURIComponent(name)}`,
} as const;
export type ObjectKind = keyof typeof INSPECT_PATH;

const TIMEOUT_MS = 30_000;

/**
 * The SSH session as the socket of an HTTP connection. The HTTP agent unreferences an idle connection (so a tool
 * that is done exits) and references it again when it sends the next request; the session ends when its input does.
 */
function sshSocket(endpoint: DockerEndpoint & { host: string }): Duplex {
  const ssh = sshDestination({ dockerHost: endpoint.host, sshOpts: [...(endpoint.sshOpts ?? [])] })!;
  ensureControlDirectory(endpoint.sshOpts ?? []);
  const child: ChildProcess = spawn(
    realSsh(process.env),
    [...ssh.args, "-o", "ConnectTimeout=30", "-T", "--", ssh.destination, "docker", "system", "dial-stdio"],
    { stdio: ["pipe", "pipe", "pipe"] },
  );
  let stderr = "";
  child.stderr!.on("data", (d) => (stderr += d));
  const socket = Duplex.from({ readable: child.stdout!, writable: child.stdin! }) as Duplex & Record<string, unknown>;
  child.on("close", (code) => {
    if (code) socket.destroy(new Error(`ssh ${ssh.destination} docker system dial-stdio exited ${code}: ${stderr.trim()}`));
  });
  child.on("error", (e) => socket.destroy(e));
  const handles = () => [child, child.stdin, child.stdout, child.stderr] as unknown as { ref?(): void; unref?(): void }[];
  socket.ref = () => (handles().forEach((h) => h.ref?.()), socket);
  socket.unref = () => (handles().forEach((h) => h.unref?.()), socket);
  socket.setKeepAlive = () => socket;
  socket.setNoDelay = () => socket;
  socket.setTimeout = () => socket;
  return socket;
}

class DockerApi {
  private readonly agent: http.Agent;
  private readonly base: http.RequestOptions;

  constructor(endpoint: DockerEndpoint) {
    const host = endpoint.host ?? "unix:///var/run/docker.sock";
    if (host.startsWith("ssh://")) {
      // One connection, so one session: requests wait their turn on it (each takes milliseconds).
      this.agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      (this.agent as unknown as { createConnection: () => Duplex }).createConnection = () => sshSocket({ ...endpoint, host });
      this.base = { host: "docker" };
    } else {
      this.agent = new http.Agent({ keepAlive: true });
      const url = new URL(host);
      this.base = host.startsWith("unix://") ? { socketPath: url.pathname } : { host: url.hostname, port: Number(url.port) };
    }
  }

  /** GET `path`: the status and the parsed JSON body (undefined when the body is not JSON). */
  get(path: string): Promise<{ status: number; body: unknown }> {
    return new Promise((resolve, reject) => {
      const request = http.get({ ...this.base, agent: this.agent, path, signal: AbortSignal.timeout(TIMEOUT_MS) }, (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (d) => (text += d));
        response.on("end", () => {
          let body: unknown;
          try {
            body = JSON.parse(text);
          } catch {
            body = undefined;
          }
          resolve({ status: response.statusCode ?? 0, body });
        });
        response.on("error", reject);
      });
      request.on("error", reject);
    });
  }
}

const apis = new Map<string, DockerApi>();

/** The run's connection to an engine (one per host and options). */
function apiFor(endpoint: DockerEndpoint): DockerApi {
  const key = JSON.stringify([endpoint.host ?? "", endpoint.sshOpts ?? []]);
  let api = apis.get(key);
  if (!api) apis.set(key, (api = new DockerApi(endpoint)));
  return api;
}

/**
 * What `docker <kind> inspect NAME...` prints, without the Docker CLI: the objects that exist, in the order named
 * (a missing one is left out); throws when the engine cannot be reached or answers with an error.
 */
export async function inspectObjects(
  endpoint: DockerEndpoint,
  kind: ObjectKind,
  names: readonly string[],
): Promise<Record<string, unknown>[]> {
  const api = apiFor(endpoint);
  const found = await Promise.all(
    names.map(async (name) => {
      const { status, body } = await api.get(INSPECT_PATH[kind](name));
      if (status === 404) return undefined;
      if (status !== 200) throw new Error(`docker ${kind} inspect ${name}: HTTP ${status} ${JSON.stringify(body)}`);
      return body as Record<string, unknown>;
    }),
  );
  return found.filter((o): o is Record<string, unknown> => o !== undefined);
}

/** What `docker network inspect $(docker network ls -q)` prints: every network of the engine. */
export async function allNetworks(endpoint: DockerEndpoint): Promise<Record<string, unknown>[]> {
  const { status, body } = await apiFor(endpoint).get("/networks");
  if (status !== 200 || !Array.isArray(body)) throw new Error(`docker network ls: HTTP ${status} ${JSON.stringify(body)}`);
  return body as Record<string, unknown>[];
}
