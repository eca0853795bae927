// A real sshd on 127.0.0.1 with generated keys, standing in for the DGX: the docker provider, the tools' docker
// commands and `just tunnel` reach this machine's engine through it as through ssh://user@dgx.
import { ChildProcess, spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { pollUntil } from "../../../support/processes";
import { freePort, tcpAnswers } from "../../../support/tcp";

const SSHD = "/usr/sbin/sshd";

export interface Sshd {
  port: number;
  dockerHost: string;
  /** The client options a host's `sshOpts` carries (key, no host-key prompt, multiplexing). */
  sshOpts: string[];
  log: string;
  stop(): void;
}

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
    "-i",
    path.join(keys, "client"),
    "-o",
    "StrictHostKeyChecking=no",
    "-o",
    "UserKnownHostsFile=/dev/null",
    "-o",
    "LogLevel=ERROR",
    "-o",
    "ControlMaster=auto",
    "-o",
    `ControlPath=${path.join(dir, "cm-%C")}`,
    "-o",
    "ControlPersist=60",
  ];
  return { port, dockerHost: `ssh://root@127.0.0.1:${port}`, sshOpts, log, stop: () => sshd.kill("SIGTERM") };
}
