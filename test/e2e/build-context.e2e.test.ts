// A project whose images build from its own checkout, deployed with production images (so the builds run) on the
// local engine and through SSH: it builds and runs; an edited file rebuilds and replaces only its service; an edit to
// a file .dockerignore excludes changes nothing; a second plan is empty; without the checkout, diff and deploy stop
// first, naming the path and the config key. Then `just urls` and `just tunnel` on the ssh host.
import { ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { docker, removeLeftovers, requireDeployPrerequisites } from "../../support/docker";
import { deployEnv, workspace } from "../../support/engine-env";
import { getJson, pollUntil, run } from "../../support/processes";
import { freePort, tcpAnswers } from "../../support/tcp";
import { planStack, synthesizedStacks } from "../../tools/engine/stacks";
import { describeE2E } from "./support/describe-e2e";
import { startSshd, Sshd } from "../../support/sshd";
import { REPO_ROOT } from "./support/toolchain";
import { uniqueTinyProject, writeJson } from "./support/tiny-deploy";

const STANDIN = path.join(REPO_ROOT, ".build", "standin", "standin");
const DOCKERFILE = [
  "FROM scratch",
  "COPY standin /bin/standin",
  "COPY standin /bin/probe",
  "COPY config.txt /etc/config.txt",
  "USER 65534:65534",
  'ENTRYPOINT ["/bin/standin"]',
].join("\n");

/** A checkout with one context per service: the stand-in binary, a config file it copies, and (worker) ignored notes. */
function writeCheckout(dir: string): void {
  for (const service of ["model", "worker"]) {
    fs.mkdirSync(path.join(dir, service), { recursive: true });
    fs.copyFileSync(STANDIN, path.join(dir, service, "standin"));
    fs.writeFileSync(path.join(dir, service, "Dockerfile"), `${DOCKERFILE}\n`);
    fs.writeFileSync(path.join(dir, service, "config.txt"), `${service} v1\n`);
  }
  fs.writeFileSync(path.join(dir, "worker", ".dockerignore"), "notes.md\n");
  fs.writeFileSync(path.join(dir, "worker", "notes.md"), "first notes\n");
}

async function builtProject(prefix: string, checkout: string): Promise<any> {
  const project = await uniqueTinyProject(prefix);
  project.sourceRoot = checkout;
  for (const service of ["model", "worker"])
    project.services[service].image = { build: { context: service, dockerfile: "Dockerfile" }, tag: `${project.id}-${service}:dev` };
  project.services.model.env = { STANDIN_HTTP_PORTS: "8188" };
  project.services.model.healthcheck.test = ["CMD", "/bin/probe", "http://127.0.0.1:8188/"];
  project.services.worker.env = { STANDIN_TCP_PORTS: "5555" };
  return project;
}

const containerId = (name: string) => docker(["inspect", "--format", "{{.Id}}", name]).stdout.trim();

describeE2E.each(["local", "ssh"])("build context e2e (%s engine)", (kind) => {
  let project: any;
  let ws: ReturnType<typeof workspace>;
  let sshd: Sshd | undefined;
  let env: NodeJS.ProcessEnv = {};
  let out = "";
  let checkout = "";
  const tool = (args: string[]) => run("node", ["bin/run.js", ...args, "--output", out], { env, timeoutMs: 5 * 60_000 });
  const cli = (command: string) => tool(["tools/deploy.ts", command, "box", `${project.id}-services`, "--yes"]);
  const changes = async () => {
    const stack = synthesizedStacks(out).find((s) => s.name === `${project.id}-services`)!;
    const plan = await planStack(stack, { env });
    return (plan.json.resource_changes ?? [])
      .filter((c) => c.change.actions.join() !== "no-op")
      .map((c) => `${c.address}: ${c.change.actions}`);
  };

  beforeAll(async () => {
    requireDeployPrerequisites();
    if (!fs.existsSync(STANDIN)) throw new Error(`${STANDIN} missing: run scripts/build-local-images.sh`);
    ws = workspace(`build-${kind}`);
    checkout = path.join(ws.dir, "checkout");
    writeCheckout(checkout);
    project = await builtProject(`bc${kind}`, checkout);
    sshd = kind === "ssh" ? await startSshd(ws.dir) : undefined;
    const host = sshd ? { dockerHost: sshd.dockerHost, sshOpts: sshd.sshOpts() } : { dockerHost: "unix:///var/run/docker.sock" };
    const config = {
      github: { owner: "acme" },
      hosts: { box: { ...host, gpus: false, arch: "amd64", projects: [project.id] } },
      targets: { box: { hosts: ["box"], images: "production", state: { backend: "local", directory: path.join(ws.dir, "state") } } },
      defaultTarget: "box",
    };
    out = path.join(ws.dir, "out");
    env = deployEnv({
      SPARKY_CONFIG: writeJson(ws.dir, "sparky.config.json", config),
      SPARKY_PROJECTS: writeJson(ws.dir, "projects.json", [project]),
      SPARKY_TARGET: "box",
    });
  }, 60_000);

  afterAll(async () => {
    if (project) {
      await cli("destroy");
      removeLeftovers([project.id], [`${project.id}-net`], new Set());
      for (const service of ["model", "worker"]) docker(["image", "rm", `${project.id}-${service}:dev`]);
    }
    sshd?.stop();
    if (ws) fs.rmSync(ws.dir, { recursive: true, force: true });
  }, 5 * 60_000);

  test(
    "builds and runs; an edit rebuilds and replaces only its service; an ignored edit changes nothing; re-plans are empty",
    async () => {
      const first = await cli("deploy");
      expect(`${first.code}\n${first.stderr.slice(-3000)}`).toMatch(/^0\n/);
      await pollUntil(
        "model healthy",
        async () => JSON.parse(docker(["inspect", `${project.id}-model`]).stdout)[0].State.Health.Status,
        (s) => s === "healthy",
        60_000,
        1_000,
      );
      expect(await getJson(`http://127.0.0.1:${project.services.model.ports[0].host}/`)).toMatchObject({ status: "ok" });
      expect(await changes()).toEqual([]);

      const before = { model: containerId(`${project.id}-model`), worker: containerId(`${project.id}-worker`) };
      fs.writeFileSync(path.join(checkout, "worker", "config.txt"), "worker v2\n");
      const second = await cli("deploy");
      expect(`${second.code}\n${second.stderr.slice(-3000)}`).toMatch(/^0\n/);
      expect(containerId(`${project.id}-model`)).toBe(before.model);
      expect(containerId(`${project.id}-worker`)).not.toBe(before.worker);
      expect(docker(["cp", `${project.id}-worker:/etc/config.txt`, "-"]).stdout).toContain("worker v2");
      expect(await changes()).toEqual([]);

      fs.writeFileSync(path.join(checkout, "worker", "notes.md"), "edited notes\n");
      const ignored = await cli("diff");
      expect(`${ignored.code}\n${ignored.stderr.slice(-2000)}`).toMatch(/^0\n/);
    },
    8 * 60_000,
  );

  test("without the checkout, diff and deploy stop first, naming the path and the config key", async () => {
    fs.renameSync(checkout, `${checkout}.away`);
    try {
      for (const command of ["diff", "deploy"]) {
        const r = await cli(command);
        expect(r.code).toBe(1);
        expect(r.stderr).toContain(`build contexts are missing; nothing was planned or changed`);
        expect(r.stderr).toContain(`${path.join(checkout, "model")} (${project.id}-services: model)`);
        expect(r.stderr).toContain(`set targets.box.sources.${project.id} to a checkout`);
      }
    } finally {
      fs.renameSync(`${checkout}.away`, checkout);
    }
    expect(await changes()).toEqual([]);
  }, 120_000);

  test("the reference's operations reach the host's containers by name: ps, health, logs, restart, gpu-status", async () => {
    const ops = (args: string[]) => run("node", ["bin/run.js", "tools/ops.ts", ...args], { env, timeoutMs: 120_000 });
    const ps = await ops(["ps", "box"]);
    expect(`${ps.code}\n${ps.stderr}`).toMatch(/^0\n/);
    expect(ps.stdout).toMatch(new RegExp(`${project.id}-model\\s+box\\s+running \\(healthy\\)`));
    // Only the project's stack is deployed here: the host's observability set is not, and health says so.
    const all = await ops(["health", "box"]);
    expect(all.code).toBe(1);
    expect(all.stderr).toMatch(/not running and healthy: box-obs-prometheus/);
    expect((await ops(["health", "box", "model", "worker"])).code).toBe(0);
    const logs = await ops(["logs", "box", "model", "--lines", "5"]);
    expect(`${logs.code}`).toBe("0");
    const before = containerId(`${project.id}-worker`);
    const restarted = await ops(["restart", "box", "worker"]);
    expect(restarted.stdout).toContain(`${project.id}-worker: restarted`);
    expect(containerId(`${project.id}-worker`)).toBe(before);
    const gpu = await ops(["gpu-status", "box"]);
    expect(gpu.stdout).toContain("box: no GPU (config.hosts.box.gpus is false)");
    const unknown = await ops(["logs", "box", "nope"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('unknown service "nope"');
  }, 180_000);

  if (kind === "ssh")
    test("just urls shows every endpoint with its ssh -L; just tunnel forwards them and closes on Ctrl-C", async () => {
      const urls = await tool(["tools/urls.ts", "box"]);
      expect(`${urls.code}\n${urls.stderr.slice(-2000)}`).toMatch(/^0\n/);
      const modelPort = project.services.model.ports[0].host;
      expect(urls.stdout).toMatch(
        new RegExp(`${project.id}-services\\s+${project.id}/model\\s+http://127\\.0\\.0\\.1:${modelPort}\\s+yes`),
      );
      expect(urls.stdout).toContain(`ssh -N -L 127.0.0.1:${modelPort}:127.0.0.1:${modelPort}`);

      // This machine is the "DGX" too, so its ports are taken: forward to ports shifted by an offset.
      let local = await freePort();
      for (let i = 0; i < 50 && local <= modelPort; i++) local = await freePort();
      const offset = local - modelPort;
      expect(offset).toBeGreaterThan(0);
      const tunnel: ChildProcess = spawn(
        "node",
        ["bin/run.js", "tools/tunnel.ts", "box", `${project.id}-services`, "--output", out, "--local-port-offset", String(offset)],
        { cwd: REPO_ROOT, env, stdio: ["ignore", "ignore", "pipe"] },
      );
      let stderr = "";
      tunnel.stderr!.on("data", (d) => (stderr += d));
      const closed = new Promise<number | null>((resolve) => tunnel.on("close", resolve));
      try {
        await pollUntil(
          "tunnel open",
          async () => stderr,
          (s) => /Ctrl-C closes every tunnel/.test(s),
          120_000,
          500,
        );
        expect(stderr).toContain(`open  http://127.0.0.1:${modelPort + offset}`);
        expect(await getJson(`http://127.0.0.1:${modelPort + offset}/`)).toMatchObject({ status: "ok" });
        tunnel.kill("SIGINT");
        expect(await closed).toBe(0);
        expect(await tcpAnswers(modelPort + offset)).toBe(false);
      } finally {
        if (tunnel.exitCode === null) tunnel.kill("SIGKILL");
      }
    }, 180_000);
});
