// `just deploy` (tools/deploy.ts) and `cdktf deploy` (the cdktf CLI, as README users call it directly) give the
// same result on a tiny two-service stack (unique id, random ports, private state): each finds nothing to change
// after the other, and both create the same containers. Also: a missing secret is refused before anything runs,
// the synth warning reads as a warning through both, and progress shows per stack.
import * as fs from "node:fs";
import * as path from "node:path";
import { containersOf, docker, removeLeftovers, requireDeployPrerequisites } from "../../support/docker";
import { deployEnv, workspace } from "../../support/engine-env";
import { pollUntil, run } from "../../support/processes";
import { describeE2E } from "./support/describe-e2e";
import { uniqueTinyProject, writeJson } from "./support/tiny-deploy";

const STEP = 8 * 60_000;
const SECRET_VAR = "SPARKY_E2E_DEPLOY_SECRET";
const WARNING = /sparky-infra: warning: projects\.[a-z0-9-]+\.services\.model\.gpu: requests a GPU, but host "box" has none/;

/** What a deploy decides about a container, without what Docker makes up (ids, times, addresses). */
function signature(name: string) {
  const c = JSON.parse(docker(["inspect", name]).stdout)[0];
  return {
    name: c.Name,
    image: c.Image,
    env: [...c.Config.Env].sort(),
    labels: c.Config.Labels,
    healthcheck: c.Config.Healthcheck,
    ports: c.HostConfig.PortBindings,
    restart: c.HostConfig.RestartPolicy,
    mounts: c.HostConfig.Mounts ?? c.HostConfig.Binds,
    networks: Object.keys(c.NetworkSettings.Networks).sort(),
  };
}

describeE2E("deploy e2e: just deploy and cdktf deploy give the same result", () => {
  let project: any;
  let ws: ReturnType<typeof workspace>;
  let env: NodeJS.ProcessEnv = {};
  let stack = "";
  let names: string[] = [];
  const secret = `e2e-deploy-secret-${process.pid}`;
  const out = () => path.join(ws.dir, "out");

  const tool = (command: string, extra: string[] = [], withSecret = true) =>
    run("node", ["bin/run.js", "tools/deploy.ts", command, "box", stack, "--output", out(), ...extra], {
      env: withSecret ? { ...env, [SECRET_VAR]: secret } : env,
      timeoutMs: STEP,
    });
  // The cdktf CLI directly, the way the README describes it: secrets as TF_VAR_<name>.
  const cdktf = (command: string) =>
    run(
      "npx",
      [
        "--no-install",
        "cdktf",
        command,
        ...(command === "deploy" ? ["--auto-approve"] : []),
        "--skip-provider-lock",
        "--output",
        path.join(ws.dir, "cdktf-out"),
        stack,
      ],
      { env: { ...env, [`TF_VAR_${SECRET_VAR}`]: secret, CI: "1" }, timeoutMs: STEP },
    );
  const healthy = () =>
    pollUntil(
      "containers running and healthy",
      async () => names.map((n) => JSON.parse(docker(["inspect", n]).stdout)[0].State),
      (states) => states.every((s: any) => s.Running && (!s.Health || s.Health.Status === "healthy")),
      120_000,
    );

  beforeAll(async () => {
    requireDeployPrerequisites();
    project = await uniqueTinyProject("dep");
    project.services.worker.secretEnv = [{ name: "API_TOKEN", from: SECRET_VAR }];
    project.services.model.gpu = {}; // downgraded on this CPU host: a synth warning
    stack = `${project.id}-services`;
    names = [`${project.id}-model`, `${project.id}-worker`];
    ws = workspace("deploy");
    const config = {
      github: { owner: "acme" },
      hosts: { box: { dockerHost: "unix:///var/run/docker.sock", gpus: false, arch: "amd64", projects: [project.id] } },
      targets: { box: { hosts: ["box"], images: "local", allowGpuDowngrade: true, state: { backend: "local", directory: ws.stateDir } } },
      defaultTarget: "box",
    };
    env = deployEnv({ SPARKY_CONFIG: writeJson(ws.dir, "c.json", config), SPARKY_PROJECTS: writeJson(ws.dir, "p.json", [project]) });
  });

  afterAll(async () => {
    if (project) {
      await tool("destroy", ["--yes"]);
      removeLeftovers([project.id], [`${project.id}-net`], new Set());
      for (const v of [`${project.id}-models`]) docker(["volume", "rm", v]);
    }
    if (ws) fs.rmSync(ws.dir, { recursive: true, force: true });
  }, STEP);

  test(
    "a missing secret is refused before anything runs: named with its stack and purpose, nothing written or created",
    async () => {
      const r = await tool("deploy", [], false);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`${SECRET_VAR} (${stack}): is not set. Secret for ${project.id}-worker`);
      expect(fs.existsSync(out())).toBe(false);
      expect(containersOf([project.id])).toEqual([]);
    },
    STEP,
  );

  let first: ReturnType<typeof signature>[] = [];
  test(
    "cdktf deploy works directly, and shows the synth warning as a warning, not [ERROR]",
    async () => {
      const r = await cdktf("deploy");
      const output = `${r.stdout}\n${r.stderr}`;
      expect(`${r.code}\n${output.slice(-3000)}`).toMatch(/^0\n/);
      expect(output).toMatch(WARNING);
      expect(output.split("\n").filter((l) => WARNING.test(l) && l.includes("ERROR"))).toEqual([]);
      expect(output).not.toContain(secret);
      await healthy();
      first = names.map(signature);
    },
    STEP,
  );

  test(
    "just diff after cdktf deploy: no changes (exit 0)",
    async () => {
      const r = await tool("diff");
      expect(`${r.code}\n${r.stderr.slice(-3000)}`).toMatch(/^0\n/);
      expect(r.stdout).toContain("✅ **No changes** (1)");
      expect(r.stderr).toMatch(WARNING);
    },
    STEP,
  );

  test(
    "just deploy creates the same containers, with progress per stack; cdktf diff then finds no changes",
    async () => {
      const destroyed = await tool("destroy", ["--yes"]);
      expect(`${destroyed.code}\n${destroyed.stderr.slice(-3000)}`).toMatch(/^0\n/);
      expect(destroyed.stderr).toMatch(
        new RegExp(`destroy: \\d+ resources in 1 stack:\\n {2}${stack} {2}\\d+ resources; keeps volume ${project.id}-models`),
      );
      expect(containersOf([project.id])).toEqual([]);

      const r = await tool("deploy");
      expect(`${r.code}\n${r.stderr.slice(-3000)}`).toMatch(/^0\n/);
      for (const phase of ["planning", "applying", "done"])
        expect(r.stderr).toMatch(new RegExp(`\\[deploy\\] ${stack} {2}${phase} [\\d.]+ s`));
      expect(r.stderr).toContain("Resources: 6 added, 0 changed, 0 destroyed.");
      expect(r.stderr).not.toContain(secret);
      await healthy();
      expect(names.map(signature)).toEqual(first);

      const again = await tool("deploy");
      expect(again.stderr).toMatch(new RegExp(`\\[deploy\\] ${stack} {2}no changes`));
      const diff = await cdktf("diff");
      const plain = diff.stdout.replace(/\x1b\[[0-9;]*m/g, "");
      expect(`${diff.code}\n${plain}`).toMatch(/^0\n[\s\S]*No changes\. Your infrastructure matches the configuration\./);
    },
    STEP,
  );

  test(
    "destroy without a terminal and without --yes refuses after showing what would go; nothing is destroyed",
    async () => {
      const r = await tool("destroy");
      expect(r.code).toBe(1);
      expect(r.stderr).toContain("destroy: refusing to destroy without confirmation: not a terminal; pass --yes");
      expect(containersOf([project.id]).sort()).toEqual([...names].sort());
    },
    STEP,
  );
});
