// The remote path a workstation uses to reach the DGX: the docker provider's ssh:// host, through a real sshd
// on 127.0.0.1 (started here with generated keys) to the Docker engine behind it.
import * as fs from "node:fs";
import * as path from "node:path";
import { planStack, synthesizedStacks } from "../../tools/engine/stacks";
import { containersOf, docker, removeLeftovers, requireDeployPrerequisites } from "../../support/docker";
import { deployEnv, workspace } from "../../support/engine-env";
import { pollUntil, run } from "../../support/processes";
import { describeE2E } from "./support/describe-e2e";
import { Sshd, startSshd } from "../../support/sshd";
import { uniqueTinyProject, writeJson } from "./support/tiny-deploy";

describeE2E("remote e2e: deploy through ssh://root@127.0.0.1:PORT", () => {
  let sshd: Sshd | undefined;
  let project: any;
  let ws: ReturnType<typeof workspace>;
  let env: NodeJS.ProcessEnv = {};
  let out = "";
  let deployed = false;

  const stacksCli = (command: string) =>
    run("node", ["bin/run.js", "tools/deploy.ts", command, "remote", `${project.id}-services`, "--yes", "--output", out], {
      env,
      timeoutMs: 10 * 60_000,
    });

  beforeAll(async () => {
    requireDeployPrerequisites();
    project = await uniqueTinyProject("ssh");
    ws = workspace("ssh", () => {});
    sshd = await startSshd(ws.dir);
    const sshOpts = sshd.sshOpts();
    const config = {
      github: { owner: "acme" },
      hosts: { remote: { dockerHost: sshd.dockerHost, sshOpts, gpus: false, arch: "amd64", projects: [project.id] } },
      targets: { remote: { hosts: ["remote"], images: "local", state: { backend: "local", directory: path.join(ws.dir, "state") } } },
      defaultTarget: "remote",
    };
    out = path.join(ws.dir, "out");
    env = deployEnv({
      SPARKY_CONFIG: writeJson(ws.dir, "sparky.config.json", config),
      SPARKY_PROJECTS: writeJson(ws.dir, "projects.json", [project]),
      SPARKY_TARGET: "remote",
    });
  }, 60_000);

  afterAll(async () => {
    if (deployed) await stacksCli("destroy");
    if (project) removeLeftovers([project.id], [`${project.id}-net`], new Set());
    sshd?.stop();
    if (ws) fs.rmSync(ws.dir, { recursive: true, force: true });
  }, 10 * 60_000);

  test(
    "deploys over SSH, comes up healthy, re-plans clean and destroys",
    async () => {
      deployed = true;
      const deploy = await stacksCli("deploy");
      expect(`${deploy.code}\n${deploy.stderr.slice(-3000)}`).toMatch(/^0\n/);
      expect(fs.readFileSync(sshd!.log, "utf8")).toMatch(/Accepted publickey for root from 127\.0\.0\.1/);
      const states = await pollUntil(
        "containers healthy",
        async () => [`${project.id}-model`, `${project.id}-worker`].map((n) => JSON.parse(docker(["inspect", n]).stdout)[0].State),
        (s) => s.every((x: any) => x.Running && (!x.Health || x.Health.Status === "healthy")),
        60_000,
      );
      expect(states).toHaveLength(2);

      const stack = synthesizedStacks(out).find((s) => s.name === `${project.id}-services`)!;
      const plan = await planStack(stack, { env });
      expect(JSON.parse(fs.readFileSync(path.join(stack.dir, "cdk.tf.json"), "utf8")).provider.docker[0].host).toMatch(
        /^ssh:\/\/root@127\.0\.0\.1:\d+$/,
      );
      expect((plan.json.resource_changes ?? []).filter((c) => c.change.actions.join() !== "no-op")).toEqual([]);

      const destroy = await stacksCli("destroy");
      expect(`${destroy.code}\n${destroy.stderr.slice(-3000)}`).toMatch(/^0\n/);
      deployed = false;
      expect(containersOf([project.id])).toEqual([]);
    },
    10 * 60_000,
  );
});
