// `just tunnel [target] [stacks]`: forwards every loopback-only port the target's ssh:// hosts publish to the same port
// on this machine (one ssh per host, with the host's sshOpts), shows each as it opens, and closes them on Ctrl-C.
import { ChildProcess, spawn } from "node:child_process";
import * as net from "node:net";
import { sshDestination } from "../constructs/model/endpoints";
import type { Endpoint, ResolvedSystem } from "../constructs/model";
import { InputError, parseCommandLine, positiveInteger } from "./engine/args";
import { runCli } from "./engine/cli";
import { deployedEndpoints } from "./engine/endpoints";

const USAGE = `usage: tunnel [TARGET] [STACKS...] [--output DIR] [--local-port-offset N]
  Forwards the loopback-only ports of the target's ssh:// hosts to the same ports on 127.0.0.1 here (or those ports
  plus N, when this machine uses them itself); Ctrl-C closes them.`;

const portOf = (e: Endpoint) => Number(new URL(e.url).port);

/** Whether something accepts a connection on 127.0.0.1:port (within 2 s). */
const answers = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port, timeout: 2_000 });
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("timeout", () => (socket.destroy(), resolve(false)));
    socket.once("error", () => resolve(false));
  });

/** The host each Docker stack of the system deploys to. */
function hostsByStack(system: ResolvedSystem): Map<string, ResolvedSystem["hosts"][number]> {
  const map = new Map<string, ResolvedSystem["hosts"][number]>();
  for (const host of system.hosts) {
    map.set(`${host.name}-observability`, host);
    for (const p of host.projects) map.set(`${p.project.id}-services`, host);
  }
  return map;
}

async function main(): Promise<number> {
  const options = { output: { type: "string" }, "local-port-offset": { type: "string" } } as const;
  const { values, positionals, help } = parseCommandLine(process.argv.slice(2), options, USAGE);
  if (help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const offset =
    values["local-port-offset"] === undefined ? 0 : positiveInteger("local-port-offset", values["local-port-offset"], 0, USAGE);
  const local = (e: Endpoint) => portOf(e) + offset;
  const [target, ...stacks] = positionals;
  const { prepared, results: deployed } = await deployedEndpoints(target, stacks, values.output);
  const hosts = hostsByStack(prepared.model!);
  const byHost = new Map<string, { args: string[]; destination: string; endpoints: Endpoint[] }>();
  for (const { stack, endpoints } of deployed) {
    const host = hosts.get(stack.name);
    const ssh = host && sshDestination(host.spec);
    if (!host || !ssh) continue;
    const entry = byHost.get(host.name) ?? { ...ssh, endpoints: [] };
    entry.endpoints.push(...(endpoints ?? []).filter((e) => e.tunnel));
    byHost.set(host.name, entry);
  }
  const groups = [...byHost.entries()].filter(([, g]) => g.endpoints.length > 0);
  if (groups.length === 0)
    throw new InputError(
      "nothing to tunnel: the target has no deployed loopback-only ports on an ssh:// host (a local engine's are here already)",
    );

  const children: ChildProcess[] = [];
  const closeAll = () => children.forEach((c) => c.exitCode === null && c.kill("SIGTERM"));
  process.once("SIGINT", () => {
    process.stderr.write("\ntunnel: closing\n");
    closeAll();
  });
  const ended = groups.map(([hostName, g]) => {
    const forwards = g.endpoints.flatMap((e) => ["-L", `127.0.0.1:${local(e)}:127.0.0.1:${portOf(e)}`]);
    process.stderr.write(`tunnel: ${hostName}: opening ${g.endpoints.length} forwards through ${g.destination}\n`);
    // A connection of its own (ssh takes the first value of an option, so these win over the host's multiplexing):
    // forwards made through a shared master would outlive this process.
    const own = ["-o", "ControlMaster=no", "-o", "ControlPath=none"];
    const child = spawn(
      "ssh",
      ["-N", ...own, "-o", "ExitOnForwardFailure=yes", "-o", "ServerAliveInterval=30", ...g.args, ...forwards, g.destination],
      {
        stdio: ["ignore", "ignore", "pipe"],
      },
    );
    children.push(child);
    let stderr = "";
    child.stderr!.on("data", (d) => (stderr += d));
    return new Promise<{ host: string; code: number | null; stderr: string }>((resolve) =>
      child.on("close", (code) => resolve({ host: hostName, code, stderr })),
    );
  });
  // Progress: each forward as soon as its local port answers (60 s at most).
  const opened = groups
    .flatMap(([, g]) => g.endpoints)
    .map(async (e): Promise<void> => {
      const deadline = Date.now() + 60_000;
      const url = e.url.replace(`:${portOf(e)}`, `:${local(e)}`);
      while (Date.now() < deadline && children.some((c) => c.exitCode === null)) {
        if (await answers(local(e))) {
          process.stderr.write(`  open  ${url.padEnd(26)} ${e.service}  ${e.description}\n`);
          return;
        }
        await new Promise((r) => setTimeout(r, 250));
      }
      process.stderr.write(`  not answering  ${url}  ${e.service}\n`);
    });
  await Promise.all(opened);
  if (children.some((c) => c.exitCode === null)) process.stderr.write("tunnel: open; Ctrl-C closes every tunnel\n");
  const results = await Promise.all(ended);
  // Closed by Ctrl-C, ssh ends on the signal (no exit code); any exit code but 0 is a failure.
  const failed = results.filter((r) => r.code !== 0 && r.code !== null);
  for (const r of failed) process.stderr.write(`tunnel: ${r.host}: ssh exited with ${r.code}\n${r.stderr.trim()}\n`);
  return failed.length > 0 ? 1 : 0;
}

runCli("tunnel", main);
