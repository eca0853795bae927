// Two Docker engines as a two-node swarm on this machine, for the cluster suite and benchmark: each in a network
// namespace of its own (and its own hostname and mount namespace, with a /srv of its own), joined by a veth pair, each
// with its own data and exec root and socket. The manager runs `docker swarm init`, the worker joins it over the veth
// link. Everything is created under names and paths unique to the run, and removed by them: processes by pid,
// namespaces and mounts by name. A run that died before its cleanup (a killed test runner) is removed by the next one.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export interface SwarmNodeProcess {
  /** The node's host name in the cluster config, also its hostname. */
  name: string;
  /** Network namespace (`ip netns`). */
  netns: string;
  dir: string;
  /** `unix://…` of its engine: what the stacks' providers and the tools reach. */
  dockerHost: string;
  /** Its address on the veth link, inside the namespaces only. */
  address: string;
}

/** Where a node's node-local data lives: a directory of its own, mounted over /srv in the node's mount namespace. */
export const NODE_OWN_ROOT = "/srv";

export interface SwarmNodes {
  manager: SwarmNodeProcess;
  worker: SwarmNodeProcess;
  /** Runs a command in a node's network namespace (its 127.0.0.1 is the node's loopback). */
  inNamespace(
    node: SwarmNodeProcess,
    cmd: string,
    args: string[],
    timeoutMs?: number,
  ): { status: number | null; stdout: string; stderr: string };
  /**
   * Creates directories under /srv on both nodes, in each node's own /srv (the host's stays untouched), e.g. the
   * sources of bind mounts, which Swarm, unlike `docker run -v`, refuses when they are missing.
   */
  makeDirectories(paths: readonly string[]): void;
  /** `docker` against one node's engine. */
  docker(node: SwarmNodeProcess, args: string[], timeoutMs?: number): { status: number | null; stdout: string; stderr: string };
  /** Stops a node's engine (its containers stop with it), as a machine that goes down. */
  stop(node: SwarmNodeProcess): Promise<void>;
  /** Starts a stopped node's engine again on the same data: it rejoins the swarm by itself. */
  start(node: SwarmNodeProcess): Promise<void>;
  /** Removes everything the run made. Safe to call twice, and after a failed start. */
  destroy(): Promise<void>;
}

const sh = (cmd: string, args: string[], timeoutMs = 60_000) => {
  const r = spawnSync(cmd, args, { encoding: "utf8", timeout: timeoutMs });
  return { status: r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? (r.error ? String(r.error) : "") };
};

const must = (what: string, r: { status: number | null; stdout: string; stderr: string }) => {
  if (r.status !== 0) throw new Error(`${what} failed (${r.status}): ${r.stderr.trim() || r.stdout.trim()}`);
  return r.stdout.trim();
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Bounded wait: checks every `everyMs` until `ready()` or `timeoutMs`. */
async function waitFor(what: string, ready: () => boolean, timeoutMs: number, everyMs = 500): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (ready()) return;
    await sleep(everyMs);
  }
  throw new Error(`${what}: not within ${Math.round(timeoutMs / 1000)} s`);
}

/** The node's engine's pid, when that process is still its engine (a pid left in a stale pidfile may be reused). */
const pidOf = (node: SwarmNodeProcess): number | undefined => {
  try {
    const pid = Number(fs.readFileSync(path.join(node.dir, "docker.pid"), "utf8").trim());
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8");
    return pid > 0 && cmdline.startsWith("dockerd") && cmdline.includes(node.dir) ? pid : undefined;
  } catch {
    return undefined;
  }
};

/** Whether the process runs (a zombie, killed but not yet reaped by its parent, does not). */
const alive = (pid: number | undefined) => {
  if (!pid) return false;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(")") + 2));
  } catch {
    return false;
  }
};

const ownRoot = (node: SwarmNodeProcess) => path.join(node.dir, "srv");

function startEngine(node: SwarmNodeProcess): void {
  const log = fs.openSync(path.join(node.dir, "dockerd.log"), "a");
  // Its own UTS namespace gives the node its own hostname, which Swarm and the node exporters report. Its own mount
  // namespace (slave: the host's mounts reach it, its own never reach the host) keeps the engine's mounts to itself,
  // gone with it, and gives it a /srv of its own as a separate machine has; slave, not private, because node-exporter's
  // rslave bind of / needs a shared or slave mount.
  const child = spawn(
    "nsenter",
    [
      `--net=/run/netns/${node.netns}`,
      "unshare",
      "--uts",
      "--mount",
      "--propagation",
      "slave",
      "sh",
      "-c",
      'hostname "$0" && mount --bind "$2" "$3" && exec dockerd --host="unix://$1/docker.sock" --data-root="$1/data" --exec-root="$1/x" --pidfile="$1/docker.pid" --no-new-privileges',
      node.name,
      node.dir,
      ownRoot(node),
      NODE_OWN_ROOT,
    ],
    { detached: true, stdio: ["ignore", log, log] },
  );
  child.unref();
  fs.closeSync(log);
}

/** The body of an HTTP GET from inside a node's namespace (its loopback), or undefined when it fails. */
export function fetchInNamespace(nodes: SwarmNodes, node: SwarmNodeProcess, url: string): string | undefined {
  const script =
    "fetch(process.argv[1],{signal:AbortSignal.timeout(5000)}).then(async(r)=>{if(!r.ok)process.exit(2);process.stdout.write(await r.text())},()=>process.exit(1))";
  const r = nodes.inNamespace(node, process.execPath, ["-e", script, url], 15_000);
  return r.status === 0 ? r.stdout : undefined;
}

/** Whether something accepts a TCP connection on the node's 127.0.0.1:port. */
export function tcpInNamespace(nodes: SwarmNodes, node: SwarmNodeProcess, port: number): boolean {
  const script =
    "const s=require('net').connect({host:'127.0.0.1',port:+process.argv[1],timeout:3000});s.on('connect',()=>process.exit(0));s.on('timeout',()=>process.exit(1));s.on('error',()=>process.exit(1))";
  return nodes.inNamespace(node, process.execPath, ["-e", script, String(port)], 15_000).status === 0;
}

/** Mount points under `dir` (an engine's layers and namespaces), deepest first. */
function mountsUnder(dir: string): string[] {
  return fs
    .readFileSync("/proc/self/mountinfo", "utf8")
    .split("\n")
    .map((l) => l.split(" ")[4])
    .filter((m): m is string => !!m && (m === dir || m.startsWith(`${dir}/`)))
    .sort((a, b) => b.length - a.length);
}

async function stopEngine(node: SwarmNodeProcess): Promise<void> {
  const pid = pidOf(node);
  if (!alive(pid)) return;
  process.kill(pid!, "SIGTERM");
  try {
    await waitFor(`${node.name}'s engine to stop`, () => !alive(pid), 45_000);
  } catch {
    process.kill(pid!, "SIGKILL");
    await waitFor(`${node.name}'s engine to be killed`, () => !alive(pid), 10_000);
  }
}

/** What a run made, written first into its directory: how a later run removes it when this one died. */
interface RunRecord {
  /** The process that owns the run; the run is dead once it is gone. */
  pid: number;
  nodes: SwarmNodeProcess[];
}

const RUN_PREFIX = "sps-";
const RUN_RECORD = "run.json";

/** Stops the engines, removes the namespaces (the veth pair goes with them), any mount left and the directory. */
async function teardown(base: string, nodes: readonly SwarmNodeProcess[]): Promise<void> {
  for (const n of [...nodes].reverse()) await stopEngine(n).catch(() => undefined);
  for (const mount of mountsUnder(base)) sh("umount", ["-l", mount]);
  for (const n of nodes) if (fs.existsSync(`/run/netns/${n.netns}`)) sh("ip", ["netns", "del", n.netns]);
  fs.rmSync(base, { recursive: true, force: true });
}

/** Removes the runs whose owner died before their cleanup (a test runner killed on a timeout), by their records. */
async function removeDeadRuns(): Promise<void> {
  for (const entry of fs.readdirSync(os.tmpdir()).filter((e) => e.startsWith(RUN_PREFIX))) {
    const base = path.join(os.tmpdir(), entry);
    let record: RunRecord;
    try {
      record = JSON.parse(fs.readFileSync(path.join(base, RUN_RECORD), "utf8"));
    } catch {
      continue; // not a run, or one that is just starting
    }
    if (!alive(record.pid)) await teardown(base, record.nodes);
  }
}

/**
 * Starts the two engines, forms the swarm (the manager on 198.18.0.1, in the benchmarking range, visible only inside
 * the two namespaces) and loads `images` from this machine's engine into both.
 */
export async function startSwarmNodes(options: { images: readonly string[]; progress?: (line: string) => void }): Promise<SwarmNodes> {
  const say = options.progress ?? (() => {});
  await removeDeadRuns();
  const id = randomBytes(3).toString("hex");
  // Short: the engines' sockets live under it, and a socket path has at most 107 bytes.
  const base = fs.mkdtempSync(path.join(os.tmpdir(), RUN_PREFIX));
  const node = (name: string, letter: string, address: string): SwarmNodeProcess => {
    const dir = path.join(base, letter);
    return { name, netns: `sparky-${id}-${letter}`, dir, dockerHost: `unix://${dir}/docker.sock`, address };
  };
  const manager = node("node-a", "a", "198.18.0.1");
  const worker = node("node-b", "b", "198.18.0.2");
  const record: RunRecord = { pid: process.pid, nodes: [manager, worker] };
  fs.writeFileSync(path.join(base, RUN_RECORD), JSON.stringify(record));
  for (const n of [manager, worker]) fs.mkdirSync(ownRoot(n), { recursive: true });
  fs.mkdirSync(NODE_OWN_ROOT, { recursive: true });
  const veth = (n: SwarmNodeProcess) => `sp${id}${n.netns.slice(-1)}`;
  const dockerOn = (n: SwarmNodeProcess, args: string[], timeoutMs = 60_000) => sh("docker", ["-H", n.dockerHost, ...args], timeoutMs);
  const start = async (n: SwarmNodeProcess) => {
    startEngine(n);
    await waitFor(`${n.name}'s engine to answer`, () => dockerOn(n, ["info", "--format", "{{.ID}}"], 10_000).status === 0, 60_000);
  };

  let destroyed = false;
  const nodes: SwarmNodes = {
    manager,
    worker,
    inNamespace: (n, cmd, args, timeoutMs = 30_000) => sh("nsenter", [`--net=/run/netns/${n.netns}`, cmd, ...args], timeoutMs),
    makeDirectories(paths) {
      for (const p of paths) {
        const relative = path.relative(NODE_OWN_ROOT, p);
        if (relative.startsWith("..") || path.isAbsolute(relative))
          throw new Error(`${p}: not under ${NODE_OWN_ROOT}, the only directory each node has of its own`);
        for (const n of [manager, worker]) fs.mkdirSync(path.join(ownRoot(n), relative), { recursive: true });
      }
    },
    docker: dockerOn,
    stop: stopEngine,
    start,
    async destroy() {
      if (destroyed) return;
      destroyed = true;
      await teardown(base, [manager, worker]);
    },
  };

  try {
    say("network namespaces and the veth link");
    for (const n of [manager, worker]) must(`ip netns add ${n.netns}`, sh("ip", ["netns", "add", n.netns]));
    // Made inside the namespaces: it never exists on this machine's own network, even if the run dies here.
    must(
      "ip link add (veth pair)",
      sh("ip", ["-n", manager.netns, "link", "add", veth(manager), "type", "veth", "peer", "name", veth(worker), "netns", worker.netns]),
    );
    for (const n of [manager, worker]) {
      must(`address ${n.address}`, sh("ip", ["-n", n.netns, "addr", "add", `${n.address}/30`, "dev", veth(n)]));
      for (const dev of ["lo", veth(n)]) must(`link up ${dev}`, sh("ip", ["-n", n.netns, "link", "set", dev, "up"]));
    }
    say("two Docker engines");
    await Promise.all([start(manager), start(worker)]);
    say("the swarm");
    must(
      "swarm init",
      dockerOn(manager, ["swarm", "init", "--advertise-addr", manager.address, "--listen-addr", `${manager.address}:2377`]),
    );
    // A node is declared down after a few missed heartbeats: 2 s instead of 5 s makes a failover a test can wait for.
    must("swarm update", dockerOn(manager, ["swarm", "update", "--dispatcher-heartbeat", "2s"]));
    const token = must("join token", dockerOn(manager, ["swarm", "join-token", "-q", "worker"]));
    must(
      "swarm join",
      dockerOn(worker, [
        "swarm",
        "join",
        "--token",
        token,
        "--advertise-addr",
        worker.address,
        "--listen-addr",
        `${worker.address}:2377`,
        `${manager.address}:2377`,
      ]),
    );
    say(`loading ${options.images.length} images into both engines`);
    const archive = path.join(base, "images.tar");
    must("docker save", sh("docker", ["save", "-o", archive, ...options.images], 300_000));
    const loads = await Promise.all(
      [manager, worker].map(
        (n) =>
          new Promise<number | null>((resolve) => {
            const child = spawn("docker", ["-H", n.dockerHost, "load", "-q", "-i", archive], { stdio: "ignore" });
            const timer = setTimeout(() => child.kill("SIGKILL"), 300_000);
            child.on("close", (code) => {
              clearTimeout(timer);
              resolve(code);
            });
          }),
      ),
    );
    if (loads.some((c) => c !== 0)) throw new Error(`docker load into the nodes failed (${loads.join(", ")})`);
    fs.rmSync(archive, { force: true });
    return nodes;
  } catch (error) {
    const logs = [manager, worker].map((n) => {
      try {
        return `${n.name}: ${fs.readFileSync(path.join(n.dir, "dockerd.log"), "utf8").split("\n").slice(-8).join("\n")}`;
      } catch {
        return "";
      }
    });
    await nodes.destroy();
    throw new Error(`${(error as Error).message}\n${logs.join("\n")}`);
  }
}
