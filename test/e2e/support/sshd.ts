// A real sshd on 127.0.0.1 with generated keys: the remote path a workstation or CI runner takes to the DGX, here
// to this machine's Docker engine.
import { ChildProcess, spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { pollUntil } from "../../../support/processes";
import { freePort, tcpAnswers } from "../../../support/tcp";

const SSHD = "/usr/sbin/sshd";

export interface Sshd {
  port: number;
  /** `ssh://root@127.0.0.1:PORT`: a host's dockerHost. */
  dockerHost: string;
  /** A host's sshOpts: the client key, no host-key prompt, connection sharing under `dir`. */
  sshOpts: string[];
  log: string;
  stop: () => void;
}

/** Starts sshd in `dir` (keys, config, log, control sockets), listening on a free port of 127.0.0.1. */
export async function startSshd(dir: string): Promise<Sshd> {
  if (!fs.existsSync(SSHD)) throw new Error(`${SSHD} missing: run scripts/setup.sh (installs openssh-server)`);
  const port = await freePort();
  const keys = path.join(dir, "keys");
  fs.mkdirSync(keys, { mode: 0o700 });
  for (const key of ["host", "client"])
    spawnSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", path.join(keys, key)], { stdio: "ignore" });
  fs.copyFileSync(path.join(keys, "client.pub"), path.join(keys, "authorized_keys"));
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
  const sshOpts = [
    ...["-i", path.join(keys, "client"), "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR"],
    ...["-o", "ControlMaster=auto", "-o", `ControlPath=${path.join(dir, "cm-%C")}`, "-o", "ControlPersist=60"],
  ];
  const stop = () => {
    // The connection-sharing masters the clients left (ControlPersist) go first, then the server.
    for (const socket of fs.readdirSync(dir).filter((f) => f.startsWith("cm-")))
      spawnSync("ssh", ["-o", `ControlPath=${path.join(dir, socket)}`, "-O", "exit", "127.0.0.1"], { stdio: "ignore", timeout: 10_000 });
    sshd.kill("SIGTERM");
  };
  return { port, dockerHost: `ssh://root@127.0.0.1:${port}`, sshOpts, log, stop };
}
