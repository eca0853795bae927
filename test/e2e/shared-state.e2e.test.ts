// Shared state: a "workstation" and a "CI" checkout (each its own config, output and local state directories in a
// scratch directory) reach one host, this machine's Docker engine through a real sshd on 127.0.0.1. The workstation
// deploys the host's state server (the real PostgreSQL, from the local image) and a stack whose state lives there;
// CI sees that state through its own tunnel: its drift check is clean, changes deployed from one are seen by the
// other, and a concurrent apply from both is refused by the lock.
import { ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { docker, removeLeftovers, requireDeployPrerequisites } from "../../support/docker";
import { deployEnv } from "../../support/engine-env";
import { uniqueId } from "../../support/fixtures";
import { lines, pollUntil, run, Run } from "../../support/processes";
import { freePort, tcpAnswers } from "../../support/tcp";
import { REPO_ROOT } from "../../tools/engine/toolchain";
import { describeE2E } from "./support/describe-e2e";
import { Sshd, startSshd } from "../../support/sshd";
import { uniqueTinyProject, writeJson } from "./support/tiny-deploy";

const TARGET = "remote";
const PASSWORD = `e2e-${randomBytes(12).toString("hex")}`;

interface Checkout {
  name: string;
  dir: string;
  out: string;
  stateDir: string;
  env: NodeJS.ProcessEnv;
  /** Replaces this checkout's copy of the project (as a pull of new code would). */
  setProject: (project: any) => void;
}

describeE2E("shared state e2e: a workstation and CI share the host's state server through SSH tunnels", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "sparky-shared-state-"));
  const host = uniqueId("shs");
  const stateStack = `${host}-state`;
  let sshd: Sshd | undefined;
  let project: any;
  let services = "";
  let workstation: Checkout;
  let ci: Checkout;

  function checkout(name: string, config: object): Checkout {
    const dir = path.join(root, name);
    const stateDir = path.join(dir, "state");
    fs.mkdirSync(stateDir, { recursive: true });
    const withDir = structuredClone(config) as any;
    withDir.hosts[host].stateServer.directory = stateDir;
    const env = deployEnv({
      SPARKY_CONFIG: writeJson(dir, "sparky.config.json", withDir),
      SPARKY_PROJECTS: path.join(dir, "projects.json"),
      SPARKY_TARGET: TARGET,
      PGPASSWORD: PASSWORD,
      SPARKY_STATE_TUNNEL_TIMEOUT: "20",
    });
    return { name, dir, out: path.join(dir, "cdktf.out"), stateDir, env, setProject: (p) => writeJson(dir, "projects.json", [p]) };
  }

  const stacksCli = (c: Checkout, command: string, stacks: string, ...flags: string[]) =>
    run("node", ["bin/run.js", "tools/deploy.ts", command, TARGET, stacks, "--yes", "--output", c.out, ...flags], {
      env: c.env,
      timeoutMs: 5 * 60_000,
    });
  const drift = (c: Checkout, env: NodeJS.ProcessEnv = {}) =>
    run("node", ["bin/run.js", "tools/drift.ts", "--stacks", services, "--outdir", c.out], {
      env: { ...c.env, ...env },
      timeoutMs: 5 * 60_000,
    });
  const ok = (r: Run, code = 0) => expect(`${r.code}\n${r.stderr.slice(-3000)}${r.stdout.slice(-2000)}`).toMatch(new RegExp(`^${code}\\n`));
  const changed = (mark: string, startDelay = "0s") => {
    const p = structuredClone(project);
    p.services.worker.env = { ...p.services.worker.env, SHARED_STATE_MARK: mark };
    p.services.model.env = { ...p.services.model.env, STANDIN_START_DELAY: startDelay };
    return p;
  };

  beforeAll(async () => {
    requireDeployPrerequisites();
    sshd = await startSshd(fs.mkdtempSync(path.join(root, "sshd-")));
    project = await uniqueTinyProject("shs");
    services = `${project.id}-services`;
    const config = {
      github: { owner: "acme" },
      hosts: {
        [host]: {
          dockerHost: sshd.dockerHost,
          sshOpts: sshd.sshOpts(),
          gpus: false,
          arch: "amd64",
          projects: [project.id],
          stateServer: {
            port: await freePort(),
            // A range of its own, away from Docker's default pools and other suites' networks.
            network: { subnet: `10.${200 + Math.floor(Math.random() * 50)}.${Math.floor(Math.random() * 256)}.0/24`, gateway: "" },
            directory: "",
          },
        },
      },
      targets: { [TARGET]: { hosts: [host], images: "local", state: { backend: "pg", server: host } } },
      defaultTarget: TARGET,
    };
    const network = config.hosts[host].stateServer.network;
    network.gateway = network.subnet.replace(/0\/24$/, "1");
    workstation = checkout("workstation", config);
    ci = checkout("ci", config);
    workstation.setProject(project);
    ci.setProject(project);
  }, 60_000);

  afterAll(async () => {
    if (workstation) {
      await stacksCli(workstation, "destroy", services);
      await stacksCli(workstation, "destroy", stateStack);
    }
    // The state server's volume is kept by every destroy (by design); this suite's own is removed by name.
    if (project) removeLeftovers([project.id, stateStack], [`${project.id}-net`, stateStack], new Set());
    sshd?.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }, 5 * 60_000);

  test("before the state server exists, a run stops within its bounded wait, naming the host and the ssh command", async () => {
    const started = Date.now();
    const r = await drift(ci, { SPARKY_STATE_TUNNEL_TIMEOUT: "3" });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`cannot reach the state server on host "${host}"`);
    expect(r.stderr).toMatch(/the tunnel: ssh -N -L 127\.0\.0\.1:\d+:127\.0\.0\.1:\d+ -o ControlMaster=no/);
    expect(r.stderr).toContain(`deploy the state server first (\`just deploy <target> ${stateStack}\``);
    expect(Date.now() - started).toBeLessThan(60_000);
  }, 90_000);

  test(
    "the workstation deploys the state server, then a stack that keeps its state there",
    async () => {
      ok(await stacksCli(workstation, "deploy", stateStack));
      const deploy = await stacksCli(workstation, "deploy", services);
      ok(deploy);
      expect(deploy.stderr).toMatch(new RegExp(`state: the state server on host "${host}" answers through 127\\.0\\.0\\.1:\\d+`));
      // Only the bootstrap stack's state is a local file; no connection or password is written into cdktf.out.
      expect(fs.readdirSync(workstation.stateDir).filter((f) => f.endsWith(".tfstate"))).toEqual([`${stateStack}.tfstate`]);
      const written = lines(
        spawnText("grep", ["-rl", "-e", "postgres://", "-e", PASSWORD, path.join(workstation.out, "stacks", services)]),
      );
      expect(written).toEqual([]);
    },
    5 * 60_000,
  );

  test(
    "CI's drift check of that stack is clean: it reads the same state",
    async () => {
      const r = await drift(ci);
      ok(r);
      expect(r.stdout).toMatch(/clean|no drift/i);
    },
    3 * 60_000,
  );

  test(
    "a change CI deploys is what the workstation sees",
    async () => {
      ci.setProject(changed("from-ci"));
      ok(await stacksCli(ci, "deploy", services));
      // The workstation's code is behind the shared state now: its drift check shows the change it has not got.
      const behind = await drift(workstation);
      ok(behind, 2);
      expect(behind.stdout).toMatch(/Code not applied[^]*`docker_container\.worker`: delete, create/);
      workstation.setProject(changed("from-ci"));
      ok(await stacksCli(workstation, "diff", services));
    },
    5 * 60_000,
  );

  test(
    "two concurrent deploys of one stack: the lock refuses the second with a clear message",
    async () => {
      workstation.setProject(changed("from-workstation", "15s"));
      ci.setProject(changed("from-ci-again", "15s"));
      const first = spawnTool(workstation.env, ["tools/deploy.ts", "deploy", TARGET, services, "--output", workstation.out]);
      // The workstation holds the stack's lock while it replaces the model container and waits for its health.
      await pollUntil(
        "the workstation's deploy applying",
        async () => first.stderr(),
        (text) => /applying|waiting for health/.test(text),
        120_000,
        250,
      );
      const second = await stacksCli(ci, "deploy", services, "--lock-timeout", "1s");
      expect(second.code).toBe(1);
      expect(second.stderr).toContain(`the state of ${services} is locked: another run`);
      expect(second.stderr).toContain("nothing was changed");
      ok(await first.done);
      ci.setProject(changed("from-workstation", "15s"));
      ok(await stacksCli(ci, "diff", services));
    },
    5 * 60_000,
  );

  test(
    "losing the bootstrap stack's state loses nothing: CI re-adopts the state server, and every stack's state is still there",
    async () => {
      // README "Shared state", recovery: remove the server's container and network (the data stays on its volume),
      // then deploy the state server from the machine that lacks its state file.
      for (const id of lines(docker(["ps", "-aq", "--filter", `label=sparky.owner=${stateStack}`]).stdout)) docker(["rm", "-f", id]);
      for (const id of lines(docker(["network", "ls", "-q", "--filter", `name=^${stateStack}$`]).stdout)) docker(["network", "rm", id]);
      expect(fs.readdirSync(ci.stateDir)).toEqual([]);
      ok(await stacksCli(ci, "deploy", stateStack));
      ok(await stacksCli(ci, "diff", services));
    },
    5 * 60_000,
  );

  test(
    "state-tunnel gives cdktf and tofu the tunnel, and closes it after the command and on Ctrl-C",
    async () => {
      const stackDir = path.join(ci.out, "stacks", services);
      const tofu = await run(
        "node",
        [
          "bin/run.js",
          "tools/state-tunnel.ts",
          TARGET,
          "--",
          "tofu",
          `-chdir=${stackDir}`,
          "plan",
          "-detailed-exitcode",
          "-no-color",
          "-lock=false",
        ],
        { env: ci.env, timeoutMs: 2 * 60_000 },
      );
      ok(tofu);
      expect(tofu.stdout).toContain("No changes.");

      const open = spawnTool(ci.env, ["tools/state-tunnel.ts", TARGET]);
      const exported = await pollUntil(
        "the export line",
        async () => open.stdout(),
        (text) => /PG_CONN_STR=/.test(text),
        60_000,
        250,
      );
      expect(exported).toMatch(/^export PG_CONN_STR='postgres:\/\/sparky@127\.0\.0\.1:\d+\/sparky\?sslmode=disable'\n$/);
      const port = Number(/127\.0\.0\.1:(\d+)/.exec(exported)![1]);
      expect(await tcpAnswers(port)).toBe(true);
      open.child.kill("SIGINT");
      await open.done;
      await pollUntil(
        "the tunnel closed",
        () => tcpAnswers(port),
        (up) => !up,
        10_000,
        250,
      );
    },
    3 * 60_000,
  );
});

function spawnText(cmd: string, args: string[]): string {
  return spawnSync(cmd, args, { encoding: "utf8", timeout: 30_000 }).stdout ?? "";
}

/** A tool run in the background, with its output so far. */
function spawnTool(
  env: NodeJS.ProcessEnv,
  args: string[],
): { child: ChildProcess; stdout: () => string; stderr: () => string; done: Promise<Run> } {
  const child = spawn("node", ["bin/run.js", ...args], { cwd: REPO_ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d) => (stdout += d));
  child.stderr!.on("data", (d) => (stderr += d));
  const timer = setTimeout(() => child.kill("SIGKILL"), 5 * 60_000);
  const done = new Promise<Run>((resolve) =>
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    }),
  );
  return { child, stdout: () => stdout, stderr: () => stderr, done };
}
