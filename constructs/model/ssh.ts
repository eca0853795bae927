// The ssh options a deploy reaches an ssh:// host with. The docker provider opens an SSH connection for every
// connection of its HTTP client (a plan or apply of a Docker stack opens several, each a full key exchange and login,
// and so does every Docker CLI lookup of the tools), so by default every connection to a host shares one: the first
// becomes the master, the rest open sessions on it, and it stays open for a while after the last one ends. The socket
// lives in ~/.ssh (the tools create it, owner-only, when missing), named per remote user, host and port (`%C`), and
// per set of the host's own options, so a read-only key and a deploy key never share a connection.
import { createHash } from "node:crypto";
import type { HostSpec } from "./deployment";

/** How long the shared connection stays open after its last session ends. */
export const CONTROL_PERSIST = "10m";

/** The ssh options that decide whether and how connections are shared: a host that sets one decides for itself. */
const SHARING_OPTIONS = new Set(["controlmaster", "controlpath", "controlpersist"]);

/** `Key=value` or `Key value` (as `-o` takes it) → [key, value]. */
export function splitSshOption(option: string): [string, string] {
  const [key = "", value = ""] = option.split(/[=\s]+/, 2);
  return [key, value];
}

/** The `-o` options among ssh arguments (`-o Key=value` or `-oKey=value`), as [key, value], in order. */
export function sshOptions(opts: readonly string[]): [string, string][] {
  const found: [string, string][] = [];
  for (let i = 0; i < opts.length; i++) {
    if (opts[i] === "-o") found.push(splitSshOption(opts[++i] ?? ""));
    else if (opts[i].startsWith("-o")) found.push(splitSshOption(opts[i].slice(2)));
  }
  return found;
}

/** The sharing options added to a host's own: a socket of its own per set of options (none: the plain name). */
export function connectionSharing(own: readonly string[]): string[] {
  const set = own.length > 0 ? `${createHash("sha256").update(JSON.stringify(own)).digest("hex").slice(0, 8)}-` : "";
  return ["-o", "ControlMaster=auto", "-o", `ControlPath=~/.ssh/sparky-${set}%C`, "-o", `ControlPersist=${CONTROL_PERSIST}`];
}

/**
 * The options an ssh:// host is reached with: its own, then connection sharing unless it sets ControlMaster,
 * ControlPath or ControlPersist itself (`["-o", "ControlMaster=no"]` turns sharing off). Other hosts: their own.
 */
export function effectiveSshOpts(host: Pick<HostSpec, "dockerHost" | "sshOpts">): string[] {
  if (!host.dockerHost.startsWith("ssh://")) return host.sshOpts;
  if (sshOptions(host.sshOpts).some(([key]) => SHARING_OPTIONS.has(key.toLowerCase()))) return host.sshOpts;
  return [...host.sshOpts, ...connectionSharing(host.sshOpts)];
}
