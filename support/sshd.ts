// A real sshd on 127.0.0.1 for the remote suites and benchmarks: the path a workstation or CI runner takes to the
// DGX, here to this machine's Docker engine. Generated host and client keys, a free port, key-only login as root, its own
// authorized_keys, and a verbose log. Stopped by its pid, after the connection-sharing masters clients left.
import { ChildProcess, spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { pollUntil } from "./processes";
import { freePort, tcpAnswers } from "./tcp";

const SSHD = "/usr/sbin/sshd";

export interface Sshd {
  port: number;
  /** The sshd's log (LogLevel VERBOSE). */
  log: string;
  /** The private key file of each client key, by name. */
  keys: Record<string, string>;
  /** The host's public key line, for known_hosts: `[127.0.0.1]:PORT ssh-ed25519 AAAA...`. */
  knownHost: string;
  /** `ssh://root@127.0.0.1:PORT`: a host's dockerHost. */
  dockerHost: string;
  /** A host's sshOpts for a client key (default: the first): the key, no host-key prompt, connection sharing under `dir`. */
  sshOpts(client?: string): string[];
  /** The same without connection sharing options: the model's default sharing applies (or none, with ControlMaster=no added). */
  loginOpts(client?: string): string[];
  stop(): void;
}

/**
 * Starts sshd in `dir` with one client key per name; `options` gives a key's authorized_keys options
 * (e.g. `restrict,command="..."`), none by default.
 */
export async function startSshd(dir: string, clients: string[] = ["client"], options: Record<string, string> = {}): Promise<Sshd> {
  if (!fs.existsSync(SSHD)) throw new Error(`${SSHD} missing: run scripts/setup.sh (installs openssh-server)`);
  const port = await freePort();
  const keys = path.join(dir, "keys");
  fs.mkdirSync(keys, { mode: 0o700 });
  const keygen = (name: string) =>
    spawnSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", path.join(keys, name)], { stdio: "ignore" });
  keygen("host");
  const authorized = clients.map((name) => {
    keygen(name);
    const line = fs.readFileSync(path.join(keys, `${name}.pub`), "utf8").trim();
    return options[name] ? `${options[name]} ${line}` : line;
  });
  fs.writeFileSync(path.join(keys, "authorized_keys"), authorized.join("\n") + "\n");
  const log = path.join(dir, "sshd.log");
  const config = path.join(dir, "sshd_config");
  fs.writeFileSync(
    config,
    [
      `Port ${port}`,
      "ListenAddress 127.0.0.1",
      `HostKey ${path.join(keys, "host")}`,
      `AuthorizedKeysFile ${path.join(keys, "authorized_keys")}`,
      `PidFile ${path.join(dir, "sshd.pid")}`,
      "PermitRootLogin prohibit-password",
      "PasswordAuthentication no",
      "KbdInteractiveAuthentication no",
      "UsePAM no",
      "StrictModes no",
      // The provider opens a connection per API call; the default 10:30:100 drops some under parallel applies.
      "MaxStartups 100:30:200",
      "LogLevel VERBOSE",
    ].join("\n") + "\n",
  );
  fs.mkdirSync("/run/sshd", { recursive: true });
  const sshd: ChildProcess = spawn(SSHD, ["-D", "-e", "-f", config, "-E", log], { stdio: "ignore" });
  await pollUntil(
    "sshd listening",
    () => tcpAnswers(port),
    (up) => up,
    15_000,
    250,
  );
  const hostKey = fs.readFileSync(path.join(keys, "host.pub"), "utf8").trim().split(" ").slice(0, 2).join(" ");
  const loginOpts = (client = clients[0]) => [
    ...["-i", path.join(keys, client), "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR"],
  ];
  const sshOpts = (client = clients[0]) => [
    ...loginOpts(client),
    ...["-o", "ControlMaster=auto", "-o", `ControlPath=${path.join(dir, "cm-%C")}`, "-o", "ControlPersist=60"],
  ];
  const stop = () => {
    for (const socket of fs.readdirSync(dir).filter((f) => f.startsWith("cm-")))
      spawnSync("ssh", ["-o", `ControlPath=${path.join(dir, socket)}`, "-O", "exit", "127.0.0.1"], { stdio: "ignore", timeout: 10_000 });
    sshd.kill("SIGTERM");
  };
  return {
    port,
    log,
    keys: Object.fromEntries(clients.map((name) => [name, path.join(keys, name)])),
    knownHost: `[127.0.0.1]:${port} ${hostKey}`,
    dockerHost: `ssh://root@127.0.0.1:${port}`,
    sshOpts,
    loginOpts,
    stop,
  };
}
