// The config of the everyday-loop benchmark: the example config (both blueprints on this machine's engine) with
// its state in STATE_DIR; with `--ssh SSHD_JSON` the local host is reached through the benchmark's sshd
// (bench/sshd.ts) with its login options, so the model's default connection sharing applies; `--no-sharing` adds
// `ControlMaster=no`, which turns it off.
//   node bin/run.js bench/everyday-config.ts OUT_JSON STATE_DIR [--ssh SSHD_JSON [--no-sharing]]
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { REPO_ROOT } from "../tools/engine/toolchain";
import type { BenchSshd } from "./sshd";

if (require.main === module) {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { ssh: { type: "string" }, "no-sharing": { type: "boolean" } },
  });
  const [out, stateDir] = positionals;
  const config = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "sparky.config.example.json"), "utf8"));
  config.targets.local.state = { backend: "local", directory: path.resolve(stateDir) };
  if (values.ssh) {
    const sshd = JSON.parse(fs.readFileSync(values.ssh, "utf8")) as BenchSshd;
    config.hosts.local.dockerHost = sshd.dockerHost;
    config.hosts.local.sshOpts = [...sshd.loginOpts, ...(values["no-sharing"] ? ["-o", "ControlMaster=no"] : [])];
  }
  fs.writeFileSync(out, JSON.stringify(config, null, 2));
}
