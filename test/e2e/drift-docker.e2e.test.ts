// End-to-end drift detection on the real engine and Docker: deploys one tiny `<id>-services` stack (unique id,
// random host ports, private state and outdir), checks that the fresh deploy reports clean, then makes one
// out-of-band change at a time (stop, remove, recreate by hand with another env, delete the network), checks
// that it is reported with the right stack, resource and attribute, repairs it with `reconcile --restore` and
// checks clean again (a restore that replaces something only with --allow-destroy); `--accept` is exercised on a
// stopped container. Cleans up by id in afterAll.
// The same for a `<id>-github` stack is in drift-github.e2e.test.ts. Skipped with SPARKY_E2E=0.
import * as fs from "node:fs";
import * as path from "node:path";
import { reconcile } from "../../tools/drift/check";
import { planStack, runEngine, showPlan, synthesizedStacks } from "../../tools/engine/stacks";
import { engineAvailable, REPO_ROOT, toolchainEnv } from "../../tools/engine/toolchain";
import { synthesize } from "../../stacks/synthesize";
import { DriftFixture, driftFixture, driftProject } from "../../support/drift-fixture";
import { uniqueId } from "../../support/fixtures";
import { docker, removeLeftovers } from "../../support/docker";
import { describeE2E } from "./support/describe-e2e";
import { driftSteps, ignore, STEP } from "./support/drift-steps";

describeE2E("drift e2e: out-of-band changes on a real Docker stack", () => {
  const id = uniqueId("drift");
  const stackName = `${id}-services`;
  // The fixture (a temp dir) is made in beforeAll, so a describe filtered out by -t leaves nothing behind.
  let fx: DriftFixture | undefined;
  const options = { outdir: "", stacks: stackName, ignore, progress: () => {} };
  const { check, restoreAndExpectClean } = driftSteps(options);
  let dir = "";
  const address: Record<string, string> = {};
  let deployed = false;

  beforeAll(async () => {
    if (!engineAvailable()) throw new Error("tofu missing: run scripts/setup-toolchain.sh");
    if (docker(["info", "--format", "{{.ServerVersion}}"]).status !== 0)
      throw new Error("Docker engine not answering: run scripts/docker-engine.sh");
    if (docker(["image", "inspect", "sparky-local/standin:dev"]).status !== 0)
      throw new Error("sparky-local/standin:dev missing: run scripts/build-local-images.sh");
    fx = driftFixture([driftProject(id)]);
    options.outdir = fx.outdir;
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
    // A container recreated by hand has no owner label; it goes first, or the network cannot be removed.
    for (const name of [`${id}-worker`, `${id}-model`]) if (docker(["container", "inspect", name]).status === 0) docker(["rm", "-f", name]);
    removeLeftovers([id], [`${id}-net`], new Set());
    if (fx) fs.rmSync(fx.work, { recursive: true, force: true });
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
    "the refresh drift read from the saved plan is show -json's (a fresh deploy's: the provider fills in unset values)",
    async () => {
      const stack = synthesizedStacks(options.outdir).find((s) => s.name === stackName)!;
      const plan = await planStack(stack, { lock: false, showOnlyChanges: true, driftOnlyWhenUnchanged: true, planFile: "same.tfplan" });
      expect(plan.driftOnly).toBe(true);
      const shown = await showPlan(stack, plan.planFile);
      const fromShow = (shown.resource_drift ?? []).map(({ address, type, name, mode, change }) => ({
        address,
        type,
        name,
        mode,
        change: { actions: change.actions, before: change.before, after: change.after },
      }));
      expect(fromShow.length).toBeGreaterThan(0);
      expect(plan.json.resource_drift).toEqual(fromShow);
    },
    STEP,
  );

  test(
    "stopped container: reported stopped without touching it, restored by starting it",
    async () => {
      expect(docker(["stop", `${id}-worker`]).status).toBe(0);
      const s = await check();
      expect(s.status).toBe("drift");
      // Refreshing a stopped container would remove it (kreuzwerker/docker 3.6.2): the check must not do that.
      expect(s.drift).toEqual([
        {
          address: address[`${id}-worker`],
          type: "docker_container",
          kind: "stopped",
          attributes: [{ path: "state", before: "running", after: expect.stringMatching(/^exited \(\d+\)$/) }],
        },
      ]);
      expect(docker(["inspect", "--format", "{{.State.Status}}", `${id}-worker`]).stdout.trim()).toBe("exited");
      expect(s.unapplied).toEqual([]);
      const { results } = await reconcile("accept", options);
      expect(results.map((r) => [r.action, r.ok])).toEqual([["accept", false]]);
      expect(results[0].output).toMatch(/cannot accept stopped containers .*-worker/);
      await restoreAndExpectClean();
      expect(docker(["inspect", "--format", "{{.State.Running}}", `${id}-worker`]).stdout.trim()).toBe("true");
    },
    STEP,
  );

  test(
    "--accept writes reality to state: a removed container becomes unapplied code, then restore",
    async () => {
      expect(docker(["rm", "-f", `${id}-worker`]).status).toBe(0);
      const { results } = await reconcile("accept", options);
      expect(results.map((r) => [r.action, r.ok])).toEqual([["accept", true]]);
      const s = await check();
      expect(s.drift).toEqual([]);
      expect(s.status).toBe("drift");
      expect(s.unapplied.map((u) => [u.address, u.actions])).toEqual([[address[`${id}-worker`], ["create"]]]);
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
      // Restoring replaces the hand-made container: refused without --allow-destroy, before anything changes.
      const refused = await reconcile("restore", options);
      expect(refused.results.map((r) => [r.ok, r.output.split("\n").slice(0, 2)])).toEqual([
        [
          false,
          [
            "refused: restoring would destroy or replace 1 resource(s); nothing was applied:",
            `  ${address[`${id}-worker`]} (replace: recreated by hand)`,
          ],
        ],
      ]);
      expect(JSON.parse(docker(["inspect", "--format", "{{json .Config.Env}}", `${id}-worker`]).stdout)).toContain("LOG_LEVEL=debug");
      await restoreAndExpectClean(true);
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
        expect.arrayContaining([{ address: `docker_network.${id}-net`, type: "docker_network", kind: "deleted", attributes: [] }]),
      );
      expect(s.unapplied).toEqual([]);
      // The containers are replaced to rejoin the new network: refused without --allow-destroy, with the list.
      const refused = await reconcile("restore", options);
      expect(refused.results[0].ok).toBe(false);
      expect(refused.results[0].output).toMatch(/^refused: restoring would destroy or replace 2 resource\(s\); nothing was applied:\n/);
      for (const c of ["model", "worker"]) expect(refused.results[0].output).toContain(`  docker_container.${c} (replace: `);
      expect(docker(["network", "inspect", `${id}-net`]).status).not.toBe(0);
      await restoreAndExpectClean(true);
      for (const c of ["model", "worker"])
        expect(Object.keys(JSON.parse(docker(["inspect", "--format", "{{json .NetworkSettings.Networks}}", `${id}-${c}`]).stdout))).toEqual(
          [`${id}-net`],
        );
    },
    STEP,
  );
});
