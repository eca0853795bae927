// `source scripts/toolchain-env.sh` and toolchainEnv() (tools/engine/toolchain.ts) give exactly the same
// environment: the shell file only evaluates what the TypeScript prints.
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { REPO_ROOT, TOOLCHAIN_DIR, toolchainEnv } from "../tools/engine/toolchain";

const parseEnv = (block: string): NodeJS.ProcessEnv =>
  Object.fromEntries(
    block
      .split("\0")
      .filter(Boolean)
      .map((entry) => [entry.slice(0, entry.indexOf("=")), entry.slice(entry.indexOf("=") + 1)]),
  );

test("the shell file and the TypeScript produce the same environment", () => {
  const machine = {
    PATH: `/usr/local/bin:${path.join(TOOLCHAIN_DIR, "bin")}:/usr/bin:/bin`,
    HOME: process.env.HOME ?? "/root",
    TF_CLI_ARGS: "-lock=false",
    TF_WORKSPACE: "elsewhere",
    TF_INPUT: "1",
    TF_LOG: "WARN",
    TF_VAR_GRAFANA_ADMIN_PASSWORD: "it's a\nmulti-line 'quoted' value",
    GITHUB_TOKEN: "kept-as-it-is",
  };
  // The environment before and after sourcing, from the same shell (--norc: bash reads ~/.bashrc when it thinks
  // sshd started it; `; true`: no exec of the last command, which would lower SHLVL).
  const r = spawnSync("bash", ["--norc", "--noprofile", "-c", 'env -0; printf "\\0@@\\0"; source scripts/toolchain-env.sh; env -0; true'], {
    cwd: REPO_ROOT,
    env: machine,
    encoding: "utf8",
    timeout: 60_000,
  });
  expect(r.status).toBe(0);
  const [before, after] = r.stdout.split("\0@@\0").map(parseEnv);
  const drop = ({ _: _ignored, ...rest }: NodeJS.ProcessEnv) => rest;
  expect(drop(after)).toEqual(drop(toolchainEnv(before)));
  expect(after).toMatchObject({ TF_INPUT: "0", TF_LOG: "WARN", TF_VAR_GRAFANA_ADMIN_PASSWORD: machine.TF_VAR_GRAFANA_ADMIN_PASSWORD });
  expect(after.TF_CLI_ARGS).toBeUndefined();
  expect(after.PATH).toBe(`${path.join(TOOLCHAIN_DIR, "bin")}:/usr/local/bin:/usr/bin:/bin`);
}, 60_000);
