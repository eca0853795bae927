// The team state backend: PostgreSQL (a real server from Debian, started here on 127.0.0.1). Two deploys of
// one stack at once: the second is refused by the lock, the first completes, and the state stays consistent.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { synthesize } from "../../stacks/synthesize";
import { ensureInitialized, planStack, runEngine, synthesizedStacks } from "../../tools/engine/stacks";
import { containersOf, removeLeftovers, requireDeployPrerequisites } from "../../support/docker";
import { deployEnv } from "../../support/engine-env";
import { describeE2E } from "./support/describe-e2e";
import { REPO_ROOT } from "./support/toolchain";
import { freePort } from "../../support/tcp";
import { uniqueTinyProject } from "./support/tiny-deploy";

const pgBin = () => {
  const versions = fs.existsSync("/usr/lib/postgresql") ? fs.readdirSync("/usr/lib/postgresql").sort() : [];
  if (versions.length === 0) throw new Error("PostgreSQL missing: run scripts/setup.sh (installs postgresql)");
  return path.join("/usr/lib/postgresql", versions[versions.length - 1], "bin");
};

/** Runs a PostgreSQL tool as the postgres user (the server refuses to run as root). */
const asPostgres = (tool: string, args: string[]) => {
  const r = spawnSync("runuser", ["-u", "postgres", "--", path.join(pgBin(), tool), ...args], { encoding: "utf8", timeout: 60_000 });
  if (r.status !== 0) throw new Error(`${tool} failed: ${r.stderr}`);
  return r.stdout;
};

describeE2E("state e2e: the pg backend's lock refuses a second concurrent deploy", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sparky-pg-"));
  const data = path.join(dir, "data");
  let port = 0;
  let project: any;
  let env: NodeJS.ProcessEnv = {};
  let stackDir = "";
  let started = false;

  beforeAll(async () => {
    requireDeployPrerequisites();
    port = await freePort();
    fs.chmodSync(dir, 0o755);
    fs.mkdirSync(data);
    spawnSync("chown", ["postgres:postgres", data]);
    asPostgres("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8"]);
    asPostgres("pg_ctl", [
      "-D",
      data,
      "-w",
      "-l",
      path.join(data, "server.log"),
      "-o",
      `-p ${port} -k ${data} -c listen_addresses=127.0.0.1`,
      "start",
    ]);
    started = true;
    asPostgres("createdb", ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "sparky"]);

    project = await uniqueTinyProject("lock", "8s");
    const config = {
      github: { owner: "acme" },
      hosts: { box: { dockerHost: "unix:///var/run/docker.sock", gpus: false, arch: "amd64", projects: [project.id] } },
      targets: {
        box: {
          hosts: ["box"],
          images: "local",
          state: { backend: "pg", connection: `postgres://postgres@127.0.0.1:${port}/sparky?sslmode=disable` },
        },
      },
      defaultTarget: "box",
    };
    const configFile = path.join(dir, "sparky.config.json");
    fs.writeFileSync(configFile, JSON.stringify(config));
    env = deployEnv({ SPARKY_CONFIG: configFile });
    const out = path.join(dir, "out");
    synthesize({ env, projectRoot: REPO_ROOT, outdir: out, projects: [project] });
    const stack = synthesizedStacks(out).find((s) => s.name === `${project.id}-services`)!;
    stackDir = stack.dir;
    await ensureInitialized(stackDir, { env });
  }, 2 * 60_000);

  afterAll(async () => {
    if (stackDir) await runEngine(stackDir, ["destroy", "-auto-approve", "-input=false", "-no-color"], { env });
    if (project) removeLeftovers([project.id], [`${project.id}-net`], new Set());
    if (started) asPostgres("pg_ctl", ["-D", data, "-m", "fast", "stop"]);
    fs.rmSync(dir, { recursive: true, force: true });
  }, 5 * 60_000);

  test(
    "the second apply fails on the lock, the first succeeds, and a re-plan is empty",
    async () => {
      const apply = (lockTimeout: string) =>
        runEngine(stackDir, ["apply", "-auto-approve", "-input=false", "-no-color", `-lock-timeout=${lockTimeout}`], {
          env,
          timeoutMs: 5 * 60_000,
        });
      const first = apply("0s");
      // The first apply holds the lock while it waits (8 s) for the model container to become healthy.
      await new Promise((r) => setTimeout(r, 3_000));
      const second = await apply("0s");
      const firstResult = await first;

      expect(second.code).toBe(1);
      expect(second.stderr).toMatch(/Error acquiring the state lock/);
      expect(`${firstResult.code}\n${firstResult.stderr}`).toMatch(/^0\n/);
      expect(firstResult.stdout).toMatch(/Apply complete! Resources: \d+ added/);
      expect(containersOf([project.id]).sort()).toEqual([`${project.id}-model`, `${project.id}-worker`]);

      const stack = synthesizedStacks(path.dirname(path.dirname(stackDir))).find((s) => s.dir === stackDir)!;
      const plan = await planStack(stack, { env });
      expect((plan.json.resource_changes ?? []).filter((c) => c.change.actions.join() !== "no-op")).toEqual([]);
    },
    5 * 60_000,
  );
});
