// Taking over what exists: a compose deployment of the same project (the reference's way of running it), and what an
// apply killed half-way left on the engine. Both through `just deploy` (tools/deploy.ts) on the local engine.
import { ChildProcess, spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { loadModel } from "../../stacks/load-model";
import { composeFileFor } from "../../support/compose-file";
import { docker, removeLeftovers, requireDeployPrerequisites } from "../../support/docker";
import { deployEnv, workspace } from "../../support/engine-env";
import { lines, pollUntil, run } from "../../support/processes";
import { planStack, synthesizedStacks } from "../../tools/engine/stacks";
import { describeE2E } from "./support/describe-e2e";
import { REPO_ROOT } from "./support/toolchain";
import { uniqueTinyProject, writeJson } from "./support/tiny-deploy";

/** The tiny project with a stack-managed volume holding the worker's data. */
async function projectWithData(prefix: string, startDelay = "0s"): Promise<any> {
  const project = await uniqueTinyProject(prefix, startDelay);
  project.services.worker.volumes = [{ volume: "scratch", target: "/data" }];
  return project;
}

function setUp(project: any) {
  const ws = workspace(project.id);
  const config = {
    github: { owner: "acme" },
    hosts: { box: { dockerHost: "unix:///var/run/docker.sock", gpus: false, arch: "amd64", projects: [project.id] } },
    targets: { box: { hosts: ["box"], images: "local", state: { backend: "local", directory: path.join(ws.dir, "state") } } },
    defaultTarget: "box",
  };
  const env = deployEnv({
    SPARKY_CONFIG: writeJson(ws.dir, "sparky.config.json", config),
    SPARKY_PROJECTS: writeJson(ws.dir, "projects.json", [project]),
    SPARKY_TARGET: "box",
  });
  const out = path.join(ws.dir, "out");
  const args = (command: string, extra: string[] = []) => [
    "bin/run.js",
    "tools/deploy.ts",
    command,
    "box",
    `${project.id}-services`,
    "--yes",
    "--output",
    out,
    ...extra,
  ];
  const cli = (command: string, extra: string[] = []) => run("node", args(command, extra), { env, timeoutMs: 5 * 60_000 });
  const replan = async () => {
    const stack = synthesizedStacks(out).find((s) => s.name === `${project.id}-services`)!;
    const plan = await planStack(stack, { env });
    return (plan.json.resource_changes ?? [])
      .filter((c) => c.change.actions.join() !== "no-op")
      .map((c) => `${c.address}: ${c.change.actions}`);
  };
  const cleanUp = async () => {
    await cli("destroy");
    removeLeftovers([project.id], [`${project.id}-net`], new Set());
    fs.rmSync(ws.dir, { recursive: true, force: true });
  };
  return { ws, env, args, cli, replan, cleanUp };
}

/** The content of a file in a container (docker cp works on images without a shell). */
function readFile(container: string, file: string): string {
  const r = spawnSync("docker", ["cp", `${container}:${file}`, "-"], { encoding: "buffer", timeout: 30_000 });
  if (r.status !== 0) return `(missing: ${r.stderr.toString().trim()})`;
  // `docker cp … -` writes a tar stream: the content sits after the 512-byte header.
  const size = parseInt(r.stdout.subarray(124, 136).toString().replace(/\0.*$/, "").trim(), 8);
  return r.stdout.subarray(512, 512 + size).toString("utf8");
}

function writeFile(container: string, file: string, content: string, dir: string): void {
  const local = path.join(dir, path.basename(file));
  fs.writeFileSync(local, content);
  expect(docker(["cp", local, `${container}:${file}`]).status).toBe(0);
}

const labelOf = (container: string, label: string) =>
  docker(["inspect", "--format", `{{ index .Config.Labels "${label}" }}`, container]).stdout.trim();

describeE2E("adoption e2e: a compose deployment migrated, and interrupted applies converging", () => {
  beforeAll(() => requireDeployPrerequisites());

  test(
    "a running compose deployment with data is taken over: refused without --adopt, adopted with it, data kept, re-plan empty",
    async () => {
      const project = await projectWithData("compose");
      const t = setUp(project);
      const composeFile = path.join(t.ws.dir, "compose.yml");
      try {
        const host = loadModel(t.env, REPO_ROOT).hosts[0];
        fs.writeFileSync(composeFile, composeFileFor(host.projects[0], host.observability, `legacy-${project.id}`));
        const up = spawnSync("docker", ["compose", "-f", composeFile, "up", "-d", "--wait"], { encoding: "utf8", timeout: 180_000 });
        expect(`${up.status}\n${up.stderr.slice(-2000)}`).toMatch(/^0\n/);
        writeFile(`${project.id}-worker`, "/data/outputs.txt", "sprites generated before the migration\n", t.ws.dir);
        writeFile(`${project.id}-model`, "/models/sdxl.safetensors", "model weights\n", t.ws.dir);
        expect(labelOf(`${project.id}-worker`, "com.docker.compose.project")).toBe(`legacy-${project.id}`);

        const refused = await t.cli("deploy");
        expect(refused.code).toBe(1);
        expect(refused.stderr).toContain("made by something else; nothing was planned or changed");
        expect(refused.stderr).toMatch(new RegExp(`container ${project.id}-worker \\(compose project legacy-${project.id}, worker\\)`));
        expect(refused.stderr).toMatch(
          new RegExp(`volume ${project.id}-scratch \\(compose project legacy-${project.id}, ${project.id}-scratch\\)`),
        );
        expect(labelOf(`${project.id}-worker`, "com.docker.compose.project")).toBe(`legacy-${project.id}`);

        const adopted = await t.cli("deploy", ["--adopt"]);
        expect(`${adopted.code}\n${adopted.stderr.slice(-3000)}`).toMatch(/^0\n/);
        expect(adopted.stderr).toMatch(/adopting, for .*-services/);
        expect(labelOf(`${project.id}-worker`, "sparky.owner")).toBe(project.id);
        expect(readFile(`${project.id}-worker`, "/data/outputs.txt")).toBe("sprites generated before the migration\n");
        expect(readFile(`${project.id}-model`, "/models/sdxl.safetensors")).toBe("model weights\n");
        expect(await t.replan()).toEqual([]);
      } finally {
        await t.cleanUp();
        spawnSync("docker", ["compose", "-f", composeFile, "down"], { timeout: 120_000 });
        for (const v of [`${project.id}-models`, `${project.id}-scratch`]) docker(["volume", "rm", v]);
      }
    },
    8 * 60_000,
  );

  test(
    "kill -9 of the engine's apply (network created; a container starting), then a re-run converges with zero changes",
    async () => {
      const project = await projectWithData("killed", "20s");
      const t = setUp(project);
      try {
        for (const point of [
          { what: "network created", reached: () => docker(["network", "inspect", `${project.id}-net`]).status === 0 },
          { what: "a container starting", reached: () => docker(["inspect", `${project.id}-model`]).status === 0 },
        ]) {
          await killApplyWhen(t.args("deploy"), t.env, point.reached, point.what);
          const rerun = await t.cli("deploy");
          expect(`${point.what}: ${rerun.code}\n${rerun.stderr.slice(-3000)}`).toMatch(/: 0\n/);
          expect(rerun.stderr).toMatch(/adopting, for .*-services:\n.*(network|container)/);
          expect(await t.replan()).toEqual([]);
          const destroyed = await t.cli("destroy");
          expect(destroyed.code).toBe(0);
        }
      } finally {
        await t.cleanUp();
      }
    },
    8 * 60_000,
  );
});

describeE2E("pre-flight e2e: the engine's networks against the stacks' ranges", () => {
  test(
    "a network of the engine that holds our range stops the deploy before any change, naming it and the key",
    async () => {
      const project = await projectWithData("subnet");
      project.network = { name: `${project.id}-net`, subnet: "10.213.0.0/24", gateway: "10.213.0.1" };
      const t = setUp(project);
      const squatter = `${project.id}-squatter`;
      try {
        expect(docker(["network", "create", "--subnet", "10.213.0.0/16", squatter]).status).toBe(0);
        const refused = await t.cli("deploy");
        expect(refused.code).toBe(1);
        expect(refused.stderr).toContain(
          `network ${project.id}-net needs 10.213.0.0/24, but the engine's network ${squatter} holds 10.213.0.0/16; ` +
            `move ours with projects.${project.id}.network.subnet`,
        );
        expect(docker(["network", "inspect", `${project.id}-net`]).status).not.toBe(0);
        expect(docker(["ps", "-aq", "--filter", `label=sparky.owner=${project.id}`]).stdout.trim()).toBe("");
      } finally {
        docker(["network", "rm", squatter]);
        await t.cleanUp();
      }
    },
    3 * 60_000,
  );
});

/** Process ids below `pid`, with their command lines. */
function descendants(pid: number): { pid: number; args: string }[] {
  const table = lines(spawnSync("ps", ["-e", "-o", "pid=,ppid=,args="], { encoding: "utf8" }).stdout).map((l) => {
    const [p, pp, ...rest] = l.split(/\s+/);
    return { pid: Number(p), ppid: Number(pp), args: rest.join(" ") };
  });
  const found: { pid: number; args: string }[] = [];
  const walk = (parent: number) => {
    for (const row of table.filter((r) => r.ppid === parent)) {
      found.push(row);
      walk(row.pid);
    }
  };
  walk(pid);
  return found;
}

/** Starts a deploy and `kill -9`s its engine's apply once `reached` holds; ends every process it started. */
async function killApplyWhen(args: string[], env: NodeJS.ProcessEnv, reached: () => boolean, what: string): Promise<void> {
  const cli: ChildProcess = spawn("node", args, { cwd: REPO_ROOT, env, stdio: "ignore" });
  const exited = new Promise<void>((resolve) => cli.on("close", () => resolve()));
  let started: { pid: number; args: string }[] = [];
  try {
    await pollUntil(
      `${what} during the apply`,
      async () => reached(),
      (ok) => ok,
      120_000,
      100,
    );
    started = descendants(cli.pid!);
    const apply = started.find((p) => /\btofu apply\b/.test(p.args));
    expect(`${what}: ${apply ? "apply running" : started.map((p) => p.args).join(" | ")}`).toBe(`${what}: apply running`);
    process.kill(apply!.pid, "SIGKILL");
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 60_000)))]);
    clearTimeout(timer);
  } finally {
    // The CLI, and the provider the killed engine left behind: processes of this test, by id.
    for (const p of [{ pid: cli.pid! }, ...started])
      try {
        process.kill(p.pid, "SIGKILL");
      } catch {
        // already gone
      }
  }
}
