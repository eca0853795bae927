// A stack deployed before addresses were keyed to the model re-plans with moves only: nothing is destroyed or
// recreated. Deploys the stored pre-change synth output of a tiny stack (test/fixtures/addresses, made by the old
// code), then plans the same project synthesized by today's code against that state.
import * as fs from "node:fs";
import * as path from "node:path";
import { synthesize } from "../../stacks/synthesize";
import { runEngine } from "../../tools/engine/stacks";
import { docker, removeLeftovers, requireDeployPrerequisites } from "../../support/docker";
import { workspace } from "../../support/engine-env";
import { uniqueId } from "../../support/fixtures";
import { freePort } from "../../support/tcp";
import { REPO_ROOT } from "../../tools/engine/toolchain";
import { describeE2E } from "./support/describe-e2e";
import { writeJson } from "./support/tiny-deploy";

const FIXTURE_DIR = path.join(REPO_ROOT, "test", "fixtures", "addresses");
const PLACEHOLDER = "addrfx0000";
const STEP = 5 * 60_000;

describeE2E("model-keyed addresses e2e: a stack deployed by the old code re-plans with moves only", () => {
  const id = uniqueId("addr");
  let ws: ReturnType<typeof workspace>;
  let oldDir = "";
  let newDir = "";
  let deployed = false;

  /** The stored text with the placeholder id and ports replaced by this run's. */
  const instantiate = (text: string, ports: Record<string, number>) =>
    Object.entries(ports).reduce((t, [from, to]) => t.split(from).join(String(to)), text.split(PLACEHOLDER).join(id));

  beforeAll(async () => {
    requireDeployPrerequisites();
    ws = workspace("addr");
    const ports = { "41001": await freePort(), "41002": await freePort() };
    const state = path.join(ws.stateDir, `${id}-services.tfstate`);
    fs.mkdirSync(ws.stateDir, { recursive: true });

    oldDir = path.join(ws.dir, "old");
    fs.mkdirSync(oldDir);
    const old = JSON.parse(instantiate(fs.readFileSync(path.join(FIXTURE_DIR, `${PLACEHOLDER}-services.before.tf.json`), "utf8"), ports));
    old.terraform.backend = { local: { path: state } };
    fs.writeFileSync(path.join(oldDir, "cdk.tf.json"), JSON.stringify(old, null, 2));

    const project = JSON.parse(instantiate(fs.readFileSync(path.join(FIXTURE_DIR, `${PLACEHOLDER}.project.json`), "utf8"), ports));
    // Hardening defaults added after the address change (capabilities dropped per role) are switched off here, so that
    // the only difference from the pre-change stack is its addresses.
    for (const service of Object.values(project.services) as { capDrop?: string[] }[]) service.capDrop = [];
    const config = {
      github: { owner: "acme" },
      hosts: { box: { dockerHost: "unix:///var/run/docker.sock", gpus: false, arch: "amd64", projects: [id] } },
      targets: { box: { hosts: ["box"], images: "local", state: { backend: "local", directory: ws.stateDir } } },
      defaultTarget: "box",
    };
    const out = path.join(ws.dir, "out");
    synthesize({ env: { SPARKY_CONFIG: writeJson(ws.dir, "c.json", config) }, projectRoot: ws.dir, outdir: out, projects: [project] });
    newDir = path.join(out, "stacks", `${id}-services`);

    for (const dir of [oldDir, newDir]) {
      const init = await runEngine(dir, ["init", "-input=false", "-no-color"]);
      if (init.code !== 0) throw new Error(init.stderr);
    }
    deployed = true;
    const apply = await runEngine(oldDir, ["apply", "-auto-approve", "-input=false", "-no-color"]);
    if (apply.code !== 0) throw new Error(`deploying the pre-change stack failed:\n${apply.stderr.slice(-3000)}`);
  }, STEP);

  afterAll(async () => {
    if (deployed) await runEngine(newDir, ["destroy", "-auto-approve", "-input=false", "-no-color"]).catch(() => undefined);
    removeLeftovers([id], [`${id}-net`], new Set());
    if (ws) fs.rmSync(ws.dir, { recursive: true, force: true });
  }, STEP);

  test(
    "the new synth plans only moves; after them a plan is empty and the containers were never replaced",
    async () => {
      const idsBefore = docker(["ps", "-q", "--no-trunc", "--filter", `label=sparky.owner=${id}`])
        .stdout.trim()
        .split("\n")
        .sort();
      expect(idsBefore).toHaveLength(2);
      const plan = await runEngine(newDir, ["plan", "-input=false", "-no-color", "-out=moves.tfplan"]);
      expect(plan.code).toBe(0);
      const shown = JSON.parse((await runEngine(newDir, ["show", "-json", "moves.tfplan"])).stdout) as {
        resource_changes: { address: string; previous_address?: string; change: { actions: string[] } }[];
      };
      const changes = shown.resource_changes.map((c) => [c.previous_address, c.address, c.change.actions.join(",")]);
      expect(changes.sort()).toEqual(
        [
          ["docker_container.model_container_16CE355B", "docker_container.model", "no-op"],
          ["docker_container.worker_container_1B93AA96", "docker_container.worker", "no-op"],
          ["docker_image.model_image_6B83903E", "docker_image.model", "no-op"],
          ["docker_image.worker_image_9B0E8C72", "docker_image.worker", "no-op"],
          ["docker_network.network", `docker_network.${id}-net`, "no-op"],
          ["docker_volume.volume-scratch", "docker_volume.scratch", "no-op"],
        ].sort(),
      );
      const apply = await runEngine(newDir, ["apply", "-input=false", "-no-color", "moves.tfplan"]);
      expect(apply.code).toBe(0);
      const again = await runEngine(newDir, ["plan", "-input=false", "-no-color", "-detailed-exitcode"]);
      expect({ code: again.code, out: again.code === 0 ? "" : again.stdout.slice(-2000) }).toEqual({ code: 0, out: "" });
      const idsAfter = docker(["ps", "-q", "--no-trunc", "--filter", `label=sparky.owner=${id}`])
        .stdout.trim()
        .split("\n")
        .sort();
      expect(idsAfter).toEqual(idsBefore);
    },
    STEP,
  );
});
