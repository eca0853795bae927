// The CI chain on this machine's Docker engine, with a tiny uniquely named stack: the PR's synth (no secrets),
// main's guard and a plan of the vetted copy, what the workflow publishes (no planted secret in any encoding, no
// plan file), then apply on merge: refused while the code differs from the reviewed change set (naming what
// differs) or the preview was of another commit, applied when it matches; state and plans are written 0600.
// Locally, `apply --from` still applies a preview's saved plans.
import * as fs from "node:fs";
import * as path from "node:path";
import { containersOf, docker, removeLeftovers, requireDeployPrerequisites } from "../../support/docker";
import { deployEnv, workspace } from "../../support/engine-env";
import { run } from "../../support/processes";
import { leaks, PROBE_SECRET } from "../support/leak-probe";
import { describeE2E } from "./support/describe-e2e";
import { uniqueTinyProject, writeJson } from "./support/tiny-deploy";

const STEP = 5 * 60_000;
const SECRET_VAR = "SPARKY_E2E_SEALED_SECRET";
const mode = (file: string) => (fs.statSync(file).mode & 0o777).toString(8);

describeE2E("sealed plans e2e: preview from a vetted synth, apply on merge only what was reviewed", () => {
  let project: any;
  let ws: ReturnType<typeof workspace>;
  let env: NodeJS.ProcessEnv = {};
  let stack = "";
  let deployed = false;
  const dir = (name: string) => path.join(ws.dir, name);
  const node = (args: string[], extra: NodeJS.ProcessEnv = {}) =>
    run("node", ["bin/run.js", ...args], { env: { ...env, ...extra }, timeoutMs: STEP });
  const withProject = (p: any) => ({ SPARKY_PROJECTS: writeJson(ws.dir, `projects-${p.services.worker.env.LOG_LEVEL}.json`, [p]) });
  const applyReviewed = (p: any, ...flags: string[]) =>
    node(["tools/plan-preview.ts", "apply", "--reviewed", path.join(dir("preview"), "changeset.json"), "--stacks", stack, ...flags], {
      ...withProject(p),
      CDKTF_OUTDIR: dir("main"),
    });

  beforeAll(async () => {
    requireDeployPrerequisites();
    project = await uniqueTinyProject("seal");
    project.services.worker.secretEnv = [{ name: "API_TOKEN", from: SECRET_VAR }];
    stack = `${project.id}-services`;
    ws = workspace("sealed");
    const config = {
      github: { owner: "acme" },
      hosts: { box: { dockerHost: "unix:///var/run/docker.sock", gpus: false, arch: "amd64", projects: [project.id] } },
      targets: { box: { hosts: ["box"], images: "local", state: { backend: "local", directory: ws.stateDir } } },
      defaultTarget: "box",
    };
    env = deployEnv({ SPARKY_CONFIG: writeJson(ws.dir, "config.json", config), [SECRET_VAR]: PROBE_SECRET, PLAN_PREVIEW_COMMIT: "c0ffee" });
    env = { ...env, ...withProject(project) };
  });

  afterAll(async () => {
    if (deployed) await node(["tools/deploy.ts", "destroy", "box", stack, "--yes", "--output", dir("main")], withProject(project));
    if (project) {
      removeLeftovers([project.id], [`${project.id}-net`], new Set());
      docker(["volume", "rm", `${project.id}-models`]);
    }
    if (ws) fs.rmSync(ws.dir, { recursive: true, force: true });
  }, STEP);

  test(
    "the PR's synth passes main's guard; the vetted copy is planned; what is published holds no secret and no plan",
    async () => {
      // Part 1 (PR code, no secrets): synthesize.
      const synth = await run("node", ["bin/app.js"], { env: { ...env, [SECRET_VAR]: "", CDKTF_OUTDIR: dir("pr") } });
      expect(`${synth.code}\n${synth.stderr}`).toMatch(/^0\n/);
      // Part 2 (main): the trusted list as a maintainer prints it, the guard, the plan of the vetted copy.
      const trusted = await node(["tools/ci-guard.ts", "trusted-list"]);
      expect(trusted.code).toBe(0);
      const guard = await node(["tools/ci-guard.ts", "check", "--synthesized", dir("pr"), "--out", dir("vetted")], {
        SPARKY_TRUSTED_ENDPOINTS: trusted.stdout,
      });
      expect(`${guard.code}\n${guard.stderr}`).toMatch(/^0\n.*stack\(s\) passed/s);
      const preview = await node(["tools/plan-preview.ts", "--synthesized", dir("vetted"), "--out", dir("preview"), "--stacks", stack]);
      expect(`${preview.code}\n${preview.stderr.slice(-2000)}`).toMatch(/^2\n/);
      const changeSet = JSON.parse(fs.readFileSync(path.join(dir("preview"), "changeset.json"), "utf8"));
      expect(changeSet.commit).toBe("c0ffee");
      expect(changeSet.stacks[0].resources.map((r: any) => [r.address, r.action])).toEqual(
        expect.arrayContaining([
          ["docker_container.worker", "create"],
          ["docker_container.model", "create"],
        ]),
      );
      // What plan-preview-plan.yml uploads, and the plan file it keeps on the runner (0600, holding the secret).
      for (const file of ["plan-preview.md", "plan-preview-full.md", "changeset.json"])
        expect([file, leaks(fs.readFileSync(path.join(dir("preview"), file), "utf8"))]).toEqual([file, []]);
      const plan = path.join(dir("preview"), stack, "plan.tfplan");
      expect(mode(plan)).toBe("600");
      expect(mode(dir("preview"))).toBe("700");
      expect(containersOf([project.id])).toEqual([]);
    },
    STEP,
  );

  test(
    "on merge: a code change nobody reviewed and a preview of another commit are refused, nothing is applied",
    async () => {
      const changed = structuredClone(project);
      changed.services.worker.env.LOG_LEVEL = "debug";
      const refused = await applyReviewed(changed);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain("deploy: REFUSED: 1 difference(s) from the reviewed change set; nothing was applied:");
      expect(refused.stderr).toContain(`  ${stack}: docker_container.worker: \`env\` differs from the reviewed plan`);
      const otherCommit = await applyReviewed(project, "--commit", "deadbeef");
      expect(otherCommit.code).toBe(1);
      expect(otherCommit.stderr).toContain("the reviewed preview planned commit c0ffee, not deadbeef");
      expect(containersOf([project.id])).toEqual([]);
    },
    STEP,
  );

  test(
    "on merge: the reviewed change set is applied; state, its backup and the saved plans are 0600",
    async () => {
      deployed = true;
      const applied = await applyReviewed(project, "--commit", "c0ffee");
      expect(`${applied.code}\n${applied.stderr.slice(-3000)}`).toMatch(/^0\n/);
      expect(applied.stderr).toContain("deploy: the plans change exactly what was reviewed (1 stack(s)); applying");
      expect(containersOf([project.id]).sort()).toEqual([`${project.id}-model`, `${project.id}-worker`]);
      expect(`${applied.stdout}${applied.stderr}`).not.toContain(PROBE_SECRET);
      // A deploy that changes something makes the engine write a backup of the state before it.
      const changed = structuredClone(project);
      changed.services.worker.env.LOG_LEVEL = "warning";
      const again = await node(["tools/deploy.ts", "deploy", "box", stack, "--output", dir("main")], withProject(changed));
      expect(`${again.code}\n${again.stderr.slice(-2000)}`).toMatch(/^0\n/);
      const state = path.join(ws.stateDir, `${stack}.tfstate`);
      expect(fs.readFileSync(state, "utf8")).toContain("API_TOKEN");
      const plans = fs.readdirSync(path.join(dir("main"), "stacks", stack)).filter((f) => f.endsWith(".tfplan"));
      expect(plans).toEqual(["deploy.tfplan"]);
      expect({
        stateDir: mode(ws.stateDir),
        state: mode(state),
        backup: mode(`${state}.backup`),
        plan: mode(path.join(dir("main"), "stacks", stack, "deploy.tfplan")),
      }).toEqual({ stateDir: "700", state: "600", backup: "600", plan: "600" });
    },
    STEP,
  );

  test(
    "older state written world-readable is tightened the next time a command uses it",
    async () => {
      const state = path.join(ws.stateDir, `${stack}.tfstate`);
      fs.chmodSync(state, 0o644);
      fs.chmodSync(ws.stateDir, 0o755);
      // (The deployed worker runs LOG_LEVEL=warning, the project says info: a diff with changes, exit 2.)
      const diff = await node(["tools/deploy.ts", "diff", "box", stack, "--output", dir("main")]);
      expect(diff.code).toBe(2);
      expect(diff.stderr).toContain(`sparky-infra: tightened ${state} from 0644 to 0600 (it holds secrets)`);
      expect([mode(ws.stateDir), mode(state)]).toEqual(["700", "600"]);
    },
    STEP,
  );

  test(
    "locally, apply --from still applies exactly the saved plans of a preview",
    async () => {
      const preview = await node(["tools/plan-preview.ts", "--out", dir("local"), "--stacks", stack]);
      expect(`${preview.code}\n${preview.stderr.slice(-2000)}`).toMatch(/^2\n/);
      const applied = await node(["tools/plan-preview.ts", "apply", "--from", dir("local")]);
      expect(`${applied.code}\n${applied.stdout}${applied.stderr.slice(-2000)}`).toMatch(new RegExp(`^0\n${stack}: applied`));
      const diff = await node(["tools/deploy.ts", "diff", "box", stack, "--output", dir("main")]);
      expect(diff.code).toBe(0);
    },
    STEP,
  );
});
