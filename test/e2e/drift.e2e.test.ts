// End-to-end drift detection on the real engine and Docker: deploys one tiny `<id>-services` stack (unique id,
// random host ports, private state and outdir), checks that the fresh deploy reports clean, then makes one
// out-of-band change at a time (stop, remove, recreate by hand with another env, delete the network), checks
// that it is reported with the right stack, resource and attribute, repairs it with `reconcile --restore` and
// checks clean again; `--accept` is exercised on a stopped container. Cleans up by id in afterAll.
// Skipped with SPARKY_E2E=0. The GitHub scenarios need the integrations/github provider in the mirror.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { checkDrift, reconcile } from "../../tools/drift/check";
import { loadIgnoreList } from "../../tools/drift/ignore";
import { runEngine, synthesizedStacks } from "../../tools/engine/stacks";
import { engineAvailable, providerAvailable, REPO_ROOT, toolchainEnv } from "../../tools/engine/toolchain";
import { synthesize } from "../../stacks/synthesize";
import { driftFixture, driftProject, uniqueId } from "../../bench/drift.fixture";

const enabled = process.env.SPARKY_E2E !== "0";
const maybe = enabled ? describe : describe.skip;
const STEP = 10 * 60_000;

const docker = (args: string[]) => spawnSync("docker", args, { encoding: "utf8", timeout: 120_000 });
const lines = (t: string) =>
  t
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);

maybe("drift e2e: out-of-band changes on a real Docker stack", () => {
  const id = uniqueId("drift");
  const fx = driftFixture([driftProject(id)]);
  const stackName = `${id}-services`;
  const ignore = loadIgnoreList(path.join(REPO_ROOT, "config", "drift-ignore.json"));
  const options = { outdir: fx.outdir, stacks: stackName, ignore, progress: () => {} };
  let dir = "";
  const address: Record<string, string> = {};
  let deployed = false;

  const check = async () => {
    const report = await checkDrift(options);
    expect(report.stacks.map((s) => s.stack)).toEqual([stackName]);
    return report.stacks[0];
  };
  const restoreAndExpectClean = async () => {
    const { results } = await reconcile("restore", options);
    expect(results.map((r) => [r.stack, r.action, r.ok, r.ok ? "" : r.output])).toEqual([[stackName, "restore", true, ""]]);
    const after = await check();
    expect({ status: after.status, drift: after.drift, unapplied: after.unapplied }).toEqual({ status: "clean", drift: [], unapplied: [] });
  };

  beforeAll(async () => {
    if (!engineAvailable()) throw new Error("tofu missing: run scripts/setup-toolchain.sh");
    if (docker(["info", "--format", "{{.ServerVersion}}"]).status !== 0)
      throw new Error("Docker engine not answering: run scripts/docker-engine.sh");
    if (docker(["image", "inspect", "sparky-local/standin:dev"]).status !== 0)
      throw new Error("sparky-local/standin:dev missing: run scripts/build-local-images.sh");
    synthesize({ env: toolchainEnv(fx.env), projectRoot: REPO_ROOT, outdir: fx.outdir, projects: fx.projects });
    dir = synthesizedStacks(fx.outdir).find((s) => s.name === stackName)!.dir;
    const tf = JSON.parse(fs.readFileSync(path.join(dir, "cdk.tf.json"), "utf8"));
    for (const [key, c] of Object.entries(tf.resource.docker_container as Record<string, { name: string }>))
      address[c.name] = `docker_container.${key}`;
    deployed = true;
    const init = await runEngine(dir, ["init", "-input=false", "-no-color"]);
    if (init.code !== 0) throw new Error(init.stderr);
    const apply = await runEngine(dir, ["apply", "-auto-approve", "-input=false", "-no-color"]);
    if (apply.code !== 0) throw new Error(`apply failed:\n${apply.stderr.slice(-3000)}`);
  }, STEP);

  afterAll(async () => {
    if (deployed && dir) await runEngine(dir, ["destroy", "-auto-approve", "-input=false", "-no-color"]).catch(() => undefined);
    for (const c of lines(docker(["ps", "-aq", "--filter", `label=sparky.owner=${id}`]).stdout)) docker(["rm", "-f", c]);
    for (const name of [`${id}-worker`, `${id}-model`]) if (docker(["container", "inspect", name]).status === 0) docker(["rm", "-f", name]);
    for (const n of lines(docker(["network", "ls", "-q", "--filter", `name=^${id}-net$`]).stdout)) docker(["network", "rm", n]);
    fs.rmSync(fx.work, { recursive: true, force: true });
  }, STEP);

  test(
    "a fresh deploy reports clean (no false positives)",
    async () => {
      const s = await check();
      expect({ status: s.status, drift: s.drift, unapplied: s.unapplied }).toEqual({ status: "clean", drift: [], unapplied: [] });
    },
    STEP,
  );

  test(
    "stopped container: reported (must_run), restored",
    async () => {
      expect(docker(["stop", `${id}-worker`]).status).toBe(0);
      const s = await check();
      expect(s.status).toBe("drift");
      const d = s.drift.find((r) => r.address === address[`${id}-worker`]);
      // The pinned 3.6.2 drops a stopped container from state ("deleted"); the substitute 4.x flips must_run.
      if (d?.kind === "changed") expect(d.attributes).toEqual(expect.arrayContaining([{ path: "must_run", before: true, after: false }]));
      else expect(d?.kind).toMatch(/deleted|replaced/);
      expect(s.unapplied).toEqual([]);
      await restoreAndExpectClean();
      expect(docker(["inspect", "--format", "{{.State.Running}}", `${id}-worker`]).stdout.trim()).toBe("true");
    },
    STEP,
  );

  test(
    "--accept writes reality to state: the difference becomes unapplied code, then restore",
    async () => {
      expect(docker(["stop", `${id}-worker`]).status).toBe(0);
      const { results } = await reconcile("accept", options);
      expect(results.map((r) => [r.action, r.ok])).toEqual([["accept", true]]);
      const s = await check();
      expect(s.drift).toEqual([]);
      expect(s.status).toBe("drift");
      expect(s.unapplied.map((u) => u.address)).toContain(address[`${id}-worker`]);
      await restoreAndExpectClean();
    },
    STEP,
  );

  test(
    "removed container: reported deleted, restored",
    async () => {
      expect(docker(["rm", "-f", `${id}-worker`]).status).toBe(0);
      const s = await check();
      expect(s.drift).toEqual([{ address: address[`${id}-worker`], type: "docker_container", kind: "deleted", attributes: [] }]);
      expect(s.unapplied).toEqual([]);
      await restoreAndExpectClean();
    },
    STEP,
  );

  test(
    "container recreated by hand with another env: reported with env, restored",
    async () => {
      const env = JSON.parse(docker(["inspect", "--format", "{{json .Config.Env}}", `${id}-worker`]).stdout) as string[];
      expect(env).toContain("LOG_LEVEL=info");
      expect(docker(["rm", "-f", `${id}-worker`]).status).toBe(0);
      expect(
        docker([
          "run",
          "-d",
          "--name",
          `${id}-worker`,
          "--label",
          `sparky.owner=${id}`,
          "-e",
          "LOG_LEVEL=debug",
          "-e",
          "STANDIN_TCP_PORTS=5555",
          "sparky-local/standin:dev",
        ]).status,
      ).toBe(0);
      const s = await check();
      const d = s.drift.find((r) => r.address === address[`${id}-worker`]);
      expect(d).toMatchObject({ kind: "replaced" });
      const envChange = d!.attributes.find((a) => a.path === "env");
      expect(envChange?.before).toContain("LOG_LEVEL=info");
      expect(envChange?.after).toContain("LOG_LEVEL=debug");
      await restoreAndExpectClean();
      expect(JSON.parse(docker(["inspect", "--format", "{{json .Config.Env}}", `${id}-worker`]).stdout)).toContain("LOG_LEVEL=info");
    },
    STEP,
  );

  test(
    "deleted network: reported, restored with the containers back on it",
    async () => {
      for (const c of ["model", "worker"]) expect(docker(["network", "disconnect", `${id}-net`, `${id}-${c}`]).status).toBe(0);
      expect(docker(["network", "rm", `${id}-net`]).status).toBe(0);
      const s = await check();
      expect(s.drift).toEqual(
        expect.arrayContaining([{ address: "docker_network.network", type: "docker_network", kind: "deleted", attributes: [] }]),
      );
      expect(s.unapplied).toEqual([]);
      await restoreAndExpectClean();
      for (const c of ["model", "worker"])
        expect(Object.keys(JSON.parse(docker(["inspect", "--format", "{{json .NetworkSettings.Networks}}", `${id}-${c}`]).stdout))).toEqual(
          [`${id}-net`],
        );
    },
    STEP,
  );
});

// GitHub stacks run through the same provider-agnostic code (etag noise is in config/drift-ignore.json), but
// need the integrations/github provider, which this machine's Go proxy refuses (403); they run where it exists.
const github = enabled && providerAvailable("integrations/github") ? describe : describe.skip;
github("drift e2e: GitHub stacks (needs the integrations/github provider in the mirror)", () => {
  test.todo("label edited in the UI is reported on <project>-github with its attribute, restored by reconcile");
  test.todo("issue closed by hand is reported, restored by reconcile");
});
