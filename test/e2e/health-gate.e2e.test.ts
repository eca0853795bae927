// A deploy whose health gate fails must say which container and show its last log lines (`just deploy`).
import * as fs from "node:fs";
import * as path from "node:path";
import { containersOf, removeLeftovers, requireDeployPrerequisites } from "../../support/docker";
import { deployEnv, workspace } from "../../support/engine-env";
import { run } from "../../support/processes";
import { describeE2E } from "./support/describe-e2e";
import { uniqueTinyProject, writeJson } from "./support/tiny-deploy";

describeE2E("health gate e2e: a failed gate names the container and shows its logs", () => {
  let project: any;
  let ws: ReturnType<typeof workspace>;
  let env: NodeJS.ProcessEnv = {};
  let out = "";

  beforeAll(async () => {
    requireDeployPrerequisites();
    // The model's stand-in waits 10 minutes before listening, far past its health gate's timeout.
    project = await uniqueTinyProject("gate", "10m");
    project.services.model.healthcheck = { ...project.services.model.healthcheck, retries: 2 };
    ws = workspace("gate");
    const config = {
      github: { owner: "acme" },
      hosts: { box: { dockerHost: "unix:///var/run/docker.sock", gpus: false, arch: "amd64", projects: [project.id] } },
      targets: { box: { hosts: ["box"], images: "local", state: { backend: "local", directory: ws.stateDir } } },
      defaultTarget: "box",
    };
    out = path.join(ws.dir, "out");
    env = deployEnv({ SPARKY_CONFIG: writeJson(ws.dir, "c.json", config), SPARKY_PROJECTS: writeJson(ws.dir, "p.json", [project]) });
  });

  afterAll(async () => {
    await run("node", ["bin/run.js", "tools/deploy.ts", "destroy", "box", `${project.id}-services`, "--yes", "--output", out], {
      env,
      timeoutMs: 5 * 60_000,
    });
    removeLeftovers([project.id], [`${project.id}-net`], new Set());
    fs.rmSync(ws.dir, { recursive: true, force: true });
  }, 6 * 60_000);

  test(
    "deploy fails, naming the unhealthy container with its last log lines, and the dependent is never created",
    async () => {
      const deploy = await run("node", ["bin/run.js", "tools/deploy.ts", "deploy", "box", `${project.id}-services`, "--output", out], {
        env,
        timeoutMs: 8 * 60_000,
      });
      expect(deploy.code).not.toBe(0);
      expect(deploy.stderr).toMatch(new RegExp(`sparky-infra: container ${project.id}-model is unhealthy \\(running\\); last log lines:`));
      // The stand-in's log line about its start delay is shown, indented under the name.
      expect(deploy.stderr).toMatch(/\n {4}.*waiting 10m0s before listening/);
      expect(containersOf([project.id])).toEqual([`${project.id}-model`]);
    },
    8 * 60_000,
  );
});
