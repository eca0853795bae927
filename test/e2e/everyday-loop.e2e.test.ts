// The everyday loop skips the refresh only while nothing changed, and every out-of-band change is still seen:
// each of the drift suite's changes, made by hand between commands, shows in `just diff` (exit 2, naming the
// resource), and `just deploy` repairs it. The plans in between skip the refresh, and once a plan without refresh
// changed nothing, the same plan is not made again until the code, the state or the objects change (the progress
// line says which).
import * as fs from "node:fs";
import * as path from "node:path";
import { docker, removeLeftovers, requireDeployPrerequisites } from "../../support/docker";
import { driftFixture, driftProject, type DriftFixture } from "../../support/drift-fixture";
import { uniqueId } from "../../support/fixtures";
import { run } from "../../support/processes";
import { toolchainEnv } from "../../tools/engine/toolchain";
import { UNPLANNED_NOTE, UNREFRESHED_NOTE } from "../../tools/deploy/apply";
import { describeE2E } from "./support/describe-e2e";

const STEP = 4 * 60_000;

describeE2E("everyday loop e2e: plans skip the refresh only while nothing changed", () => {
  const id = uniqueId("loop");
  const stack = `${id}-services`;
  const worker = `${id}-worker`;
  let fx: DriftFixture | undefined;

  const env = () => toolchainEnv({ ...process.env, ...fx!.env, SPARKY_PROJECTS: path.join(fx!.work, "projects.json") });
  const tool = (command: "diff" | "deploy") =>
    run("node", ["bin/run.js", "tools/deploy.ts", command, "box", stack, "--output", fx!.outdir], { env: env(), timeoutMs: STEP });
  /** diff, expecting changes that name `expected`. */
  const expectSeen = async (expected: RegExp) => {
    const r = await tool("diff");
    expect({ code: r.code, named: expected.test(r.stdout) }).toEqual({ code: 2, named: true });
    expect(r.stderr).not.toContain(UNREFRESHED_NOTE);
    expect(r.stderr).not.toContain(UNPLANNED_NOTE);
  };
  const expectRepairedAndQuiet = async () => {
    const deploy = await tool("deploy");
    expect(`${deploy.code}\n${deploy.stderr.slice(-2000)}`).toMatch(/^0\n/);
    const first = await tool("diff");
    expect(`${first.code}\n${first.stdout.slice(-2000)}`).toMatch(/^0\n/);
    expect(first.stderr).toContain(UNREFRESHED_NOTE);
  };

  beforeAll(async () => {
    requireDeployPrerequisites();
    fx = driftFixture([driftProject(id)]);
    fs.writeFileSync(path.join(fx.work, "projects.json"), JSON.stringify(fx.projects));
  }, STEP);

  afterAll(async () => {
    if (fx) {
      await run("node", ["bin/run.js", "tools/deploy.ts", "destroy", "box", stack, "--yes", "--output", fx.outdir], {
        env: env(),
        timeoutMs: STEP,
      });
      docker(["rm", "-f", worker]);
      removeLeftovers([id], [`${id}-net`], new Set());
      fs.rmSync(fx.work, { recursive: true, force: true });
    }
  }, STEP);

  test(
    "after a deploy, a diff and a deploy find nothing to change without re-reading anything, then without planning",
    async () => {
      const deploy = await tool("deploy");
      expect(`${deploy.code}\n${deploy.stderr.slice(-2000)}`).toMatch(/^0\n/);
      expect(fs.existsSync(path.join(fx!.outdir, "stacks", stack, ".terraform", "sparky-in-sync.json"))).toBe(true);
      const [first, ...later] = [await tool("diff"), await tool("deploy"), await tool("diff")];
      expect({ code: first.code, note: first.stderr.includes(UNREFRESHED_NOTE) }).toEqual({ code: 0, note: true });
      for (const again of later) expect({ code: again.code, note: again.stderr.includes(UNPLANNED_NOTE) }).toEqual({ code: 0, note: true });
    },
    STEP,
  );

  test(
    "a change of the code after a plan that changed nothing is planned; back to the code of that plan, nothing is",
    async () => {
      const projects = path.join(fx!.work, "projects.json");
      const changed = structuredClone(fx!.projects);
      const worker = changed[0].services.worker;
      worker.ports = (worker.ports ?? []).map((p) => ({ ...p, host: (p.host ?? 20000) + 1 }));
      fs.writeFileSync(projects, JSON.stringify(changed));
      await expectSeen(/docker_container\.worker/);
      fs.writeFileSync(projects, JSON.stringify(fx!.projects));
      const back = await tool("diff");
      expect({ code: back.code, note: back.stderr.includes(UNPLANNED_NOTE) }).toEqual({ code: 0, note: true });
    },
    STEP,
  );

  test(
    "a stopped container: seen by diff without being removed, started by deploy",
    async () => {
      expect(docker(["stop", worker]).status).toBe(0);
      await expectSeen(/docker_container\.worker`: stopped out of band/);
      expect(docker(["inspect", "--format", "{{.State.Status}}", worker]).stdout.trim()).toBe("exited");
      await expectRepairedAndQuiet();
      expect(docker(["inspect", "--format", "{{.State.Running}}", worker]).stdout.trim()).toBe("true");
    },
    STEP,
  );

  test(
    "a removed container: seen, recreated",
    async () => {
      expect(docker(["rm", "-f", worker]).status).toBe(0);
      await expectSeen(/docker_container\.worker/);
      await expectRepairedAndQuiet();
    },
    STEP,
  );

  test(
    "a setting changed in place (docker update): seen, restored",
    async () => {
      expect(docker(["update", "--restart", "no", worker]).status).toBe(0);
      await expectSeen(/restart/);
      await expectRepairedAndQuiet();
      expect(docker(["inspect", "--format", "{{.HostConfig.RestartPolicy.Name}}", worker]).stdout.trim()).toBe("unless-stopped");
    },
    STEP,
  );

  test(
    "a deleted network: seen, restored with the containers back on it",
    async () => {
      for (const c of ["model", "worker"]) expect(docker(["network", "disconnect", `${id}-net`, `${id}-${c}`]).status).toBe(0);
      expect(docker(["network", "rm", `${id}-net`]).status).toBe(0);
      await expectSeen(/docker_network\./);
      await expectRepairedAndQuiet();
    },
    STEP,
  );

  test(
    "a container recreated by hand under the managed name: seen",
    async () => {
      const image = docker(["inspect", "--format", "{{.Config.Image}}", worker]).stdout.trim();
      expect(docker(["rm", "-f", worker]).status).toBe(0);
      expect(docker(["run", "-d", "--name", worker, "-e", "HAND=made", image]).status).toBe(0);
      await expectSeen(/docker_container\.worker/);
      // The hand-made container holds the name; remove it, and a deploy converges again.
      expect(docker(["rm", "-f", worker]).status).toBe(0);
      await expectRepairedAndQuiet();
    },
    STEP,
  );
});
