// `node bin/run.js bench/sshd.ts DIR`: the test sshd (support/sshd.ts) on 127.0.0.1 for the SSH benchmark. Writes
// DIR/sshd.json (port, dockerHost, log, the login options of its client key) and serves until SIGTERM or SIGINT;
// then closes the shared connections the benchmark's hosts opened (the model's default socket in ~/.ssh) and stops.
// `node bin/run.js bench/sshd.ts close DIR` only closes that shared connection (the next run opens it again).
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { effectiveSshOpts } from "../constructs/model/ssh";
import { startSshd } from "../support/sshd";

export interface BenchSshd {
  port: number;
  dockerHost: string;
  log: string;
  loginOpts: string[];
}

/** Closes the shared connection a host with the sshd's login options opens by default (the model's socket). */
function closeShared(info: BenchSshd): void {
  const opts = effectiveSshOpts({ dockerHost: info.dockerHost, sshOpts: info.loginOpts });
  spawnSync("ssh", [...opts, "-p", String(info.port), "-O", "exit", "root@127.0.0.1"], { stdio: "ignore", timeout: 10_000 });
}

async function serve(dir: string): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  const sshd = await startSshd(dir);
  const info: BenchSshd = { port: sshd.port, dockerHost: sshd.dockerHost, log: sshd.log, loginOpts: sshd.loginOpts() };
  const stop = () => {
    closeShared(info);
    sshd.stop();
    process.exit(0);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  fs.writeFileSync(path.join(dir, "sshd.json.tmp"), JSON.stringify(info));
  fs.renameSync(path.join(dir, "sshd.json.tmp"), path.join(dir, "sshd.json"));
  // Bounded: a benchmark that forgot to stop it leaves no sshd behind for more than two hours.
  setTimeout(stop, 2 * 60 * 60_000);
}

if (require.main === module) {
  const [command, dir] = process.argv.slice(2);
  if (command === "close") closeShared(JSON.parse(fs.readFileSync(path.join(dir, "sshd.json"), "utf8")) as BenchSshd);
  else
    serve(command).catch((e) => {
      process.stderr.write(`${e}\n`);
      process.exit(1);
    });
}
