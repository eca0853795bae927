// Jobs and schedules on a two-node swarm of local engines (support/swarm-nodes.ts), through `just deploy`: the
// model-pull job runs once Ollama is healthy and the deploy awaits its run; a scheduled job runs under supercronic every
// 5 seconds and Prometheus finds its runs by DNS; a re-plan changes nothing; a job that exits 1 fails the deploy with its
// exit code and log, a diff says the next deploy runs it again, and that deploy replaces it; destroy removes every
// service. The nodes, their namespaces and everything in them are removed by id at the end.
import * as fs from "node:fs";
import * as path from "node:path";
import { LOCAL_IMAGES } from "../../constructs/services/images";
import { requireDeployPrerequisites } from "../../support/docker";
import { deployEnv, workspace } from "../../support/engine-env";
import { jobsProject } from "../../support/jobs-fixture";
import { pollUntil, run } from "../../support/processes";
import { PAIR_TARGET, swarmConfig } from "../../support/swarm-config";
import { fetchInNamespace, startSwarmNodes, SwarmNodes } from "../../support/swarm-nodes";
import { serviceWell, swarmServiceStates } from "../../tools/engine/swarm-tasks";
import { describeE2E } from "./support/describe-e2e";
import { writeJson } from "./support/tiny-deploy";

const STEP = 4 * 60_000;
const ID = "jobs";
const STACKS = ["pair-observability", `${ID}-services`];
const IMAGES = Object.values(LOCAL_IMAGES).filter((i) => i !== LOCAL_IMAGES.postgres);

describeE2E("swarm jobs e2e: a one-shot job awaited by the deploy, a schedule under supercronic, a failed job run again", () => {
  const ws = workspace("swarm-jobs");
  let nodes: SwarmNodes;
  let env: NodeJS.ProcessEnv = {};
  let projectsFile = "";
  const project = jobsProject(ID, { fast: true });

  const tool = (script: string, args: string[]) => run("node", ["bin/run.js", `tools/${script}.ts`, ...args], { env, timeoutMs: STEP });
  const stacksCli = (command: string, extra: string[] = []) =>
    tool("deploy", [command, PAIR_TARGET, ...STACKS, "--output", path.join(ws.dir, "out"), ...extra]);
  const serviceId = (name: string) => nodes.docker(nodes.manager, ["service", "inspect", "--format", "{{.ID}}", name]).stdout.trim();

  beforeAll(async () => {
    requireDeployPrerequisites();
    nodes = await startSwarmNodes({ images: IMAGES });
    const config = swarmConfig({
      manager: { name: nodes.manager.name, dockerHost: nodes.manager.dockerHost, gpus: false },
      worker: { name: nodes.worker.name, dockerHost: nodes.worker.dockerHost, gpus: true, projects: [ID] },
      arch: process.arch === "arm64" ? "arm64" : "amd64",
      stateDir: ws.stateDir,
      quickHealthchecks: true,
    });
    projectsFile = writeJson(ws.dir, "p.json", [project]);
    env = deployEnv({
      SPARKY_CONFIG: writeJson(ws.dir, "c.json", config),
      SPARKY_PROJECTS: projectsFile,
      SPARKY_TARGET: PAIR_TARGET,
      GRAFANA_ADMIN_PASSWORD: `e2e-swarm-jobs-${process.pid}`,
    });
    expect((await tool("cluster-labels", [PAIR_TARGET])).code).toBe(0);
  }, STEP);

  afterAll(async () => {
    await nodes?.destroy();
    fs.rmSync(ws.dir, { recursive: true, force: true });
  }, STEP);

  test(
    "deploy awaits the model pull after Ollama is healthy; the worker and the schedule run",
    async () => {
      const r = await stacksCli("deploy", ["--yes"]);
      expect(`${r.code}\n${r.stderr.slice(-4000)}`).toMatch(/^0\n/);
      const states = swarmServiceStates({ host: nodes.manager.dockerHost }, [
        `${ID}-ollama`,
        `${ID}-pull-model`,
        `${ID}-worker`,
        `${ID}-tick`,
      ]);
      expect(states.map((s) => [s.name, s.job, serviceWell(s)])).toEqual([
        [`${ID}-ollama`, false, true],
        [`${ID}-pull-model`, true, true],
        [`${ID}-worker`, false, true],
        [`${ID}-tick`, false, true],
      ]);
      expect(states[1].lastRun).toMatchObject({ state: "complete", exitCode: 0 });
      const logs = nodes.docker(nodes.manager, ["service", "logs", `${ID}-pull-model`]);
      expect(`${logs.stdout}${logs.stderr}`).toMatch(/success/);
    },
    STEP,
  );

  test(
    "the schedule runs every 5 s under supercronic, and Prometheus finds its runs through Swarm's DNS",
    async () => {
      const query = encodeURIComponent(`supercronic_successful_executions{job="${ID}-tick"}`);
      const runs = await pollUntil(
        "successful runs of the schedule in Prometheus",
        async () => {
          const body = fetchInNamespace(nodes, nodes.manager, `http://127.0.0.1:9090/api/v1/query?query=${query}`);
          return body ? (JSON.parse(body).data.result as { metric: Record<string, string>; value: [number, string] }[]) : [];
        },
        (result) => result.length === 1 && Number(result[0].value[1]) >= 2,
        90_000,
        3_000,
      );
      expect(runs[0].metric).toMatchObject({ project: ID, service: "tick" });
    },
    STEP,
  );

  test(
    "a second plan changes nothing",
    async () => {
      const diff = await stacksCli("diff");
      expect(`${diff.code}\n${diff.stdout.slice(-3000)}`).toMatch(/^0\n/);
      expect(diff.stdout).toContain("✅ **No changes** (2)");
    },
    STEP,
  );

  test(
    "a job that exits 1 fails the deploy with its exit code and log; a diff says so, and the next deploy runs it again",
    async () => {
      const broken = structuredClone(project) as any;
      broken.services.migrate = {
        role: "backend",
        kind: "job",
        description: "fails",
        image: { ref: "example/migrate:1.0" },
        command: ["migrate", "--all"],
        env: { STANDIN_JOB_EXIT: "1" },
      };
      fs.writeFileSync(projectsFile, JSON.stringify([broken]));
      const first = await stacksCli("deploy", ["--yes"]);
      expect(first.code).toBe(1);
      expect(first.stderr).toContain(`${ID}-migrate did not complete; the next deploy runs it again`);
      expect(first.stderr).toMatch(new RegExp(`sparky-infra: job ${ID}-migrate failed \\(exit code 1\\) on node-[ab].*; last log lines:`));
      expect(first.stderr).toMatch(/\n {4}.*standin job: failing with exit code 1 \(STANDIN_JOB_EXIT\)/);
      const once = serviceId(`${ID}-migrate`);

      const diff = await stacksCli("diff");
      expect(diff.code).toBe(2);
      expect(diff.stdout).toContain("`docker_service.migrate`: job's last run failed");

      const again = await stacksCli("deploy", ["--yes"]);
      expect(again.code).toBe(1);
      expect(again.stderr).toContain(`${ID}-migrate did not complete`);
      expect(serviceId(`${ID}-migrate`)).not.toBe(once);

      fs.writeFileSync(projectsFile, JSON.stringify([project]));
      const back = await stacksCli("deploy", ["--yes"]);
      expect(`${back.code}\n${back.stderr.slice(-3000)}`).toMatch(/^0\n/);
      expect(serviceId(`${ID}-migrate`)).toBe("");
    },
    2 * STEP,
  );

  test(
    "destroy removes every service, config and secret",
    async () => {
      const r = await stacksCli("destroy", ["--yes"]);
      expect(`${r.code}\n${r.stderr.slice(-3000)}`).toMatch(/^0\n/);
      for (const kind of ["service", "config", "secret"]) expect(nodes.docker(nodes.manager, [kind, "ls", "-q"]).stdout.trim()).toBe("");
    },
    STEP,
  );
});
