// Jobs and schedules on the local engine, through `just deploy` (tools/deploy.ts), next to other suites: a host of its
// own name (its observability set is `<id>-obs-*`), its own observability network, range and ports, its own state.
// The model-pull job runs against the stand-in Ollama's pull API after Ollama is healthy and before the worker that
// waits for it; a scheduled job runs under supercronic every 5 seconds and its metrics reach Prometheus; a re-plan
// changes nothing; a job that exits 1 fails the deploy with its log and keeps its dependent from starting, and the
// next deploy runs it again; destroy leaves only the kept volumes. Everything is removed by id afterwards.
import * as fs from "node:fs";
import * as path from "node:path";
import { containersOf, docker, removeLeftovers, requireDeployPrerequisites } from "../../support/docker";
import { deployEnv, workspace } from "../../support/engine-env";
import { uniqueId } from "../../support/fixtures";
import { jobsProject, PULLED_MODEL } from "../../support/jobs-fixture";
import { getJson, lines, pollUntil, run } from "../../support/processes";
import { freePort } from "../../support/tcp";
import { runEngine } from "../../tools/engine/stacks";
import { describeE2E } from "./support/describe-e2e";
import { freeSubnet } from "./support/free-subnet";
import { writeJson } from "./support/tiny-deploy";

const STEP = 4 * 60_000;
const state = (name: string) => JSON.parse(docker(["inspect", name]).stdout)[0].State;

describeE2E("jobs e2e: a one-shot job before its dependents, a schedule under supercronic, a failed job", () => {
  const id = uniqueId("jobs");
  const obs = `${id}-obs`;
  const stacks = `${id}-observability ${id}-services`;
  let ws: ReturnType<typeof workspace>;
  let env: NodeJS.ProcessEnv = {};
  let project: any;
  const ports: Record<string, number> = {};
  let projectsFile = "";
  let destroyed = false;

  const tool = (command: string, extra: string[] = []) =>
    run("node", ["bin/run.js", "tools/deploy.ts", command, "box", stacks, "--output", path.join(ws.dir, "out"), ...extra], {
      env,
      timeoutMs: STEP,
    });
  const prometheus = (query: string) =>
    getJson(`http://127.0.0.1:${ports.prometheus}/api/v1/query?query=${encodeURIComponent(query)}`).then((r) => r.data.result);

  beforeAll(async () => {
    requireDeployPrerequisites();
    const help = docker(["run", "--rm", "sparky-local/standin:dev", "help"]).stdout;
    if (!help.includes("ollama pull"))
      throw new Error("sparky-local/standin:dev predates the jobs stand-ins: run scripts/build-local-images.sh");
    const taken = new Set<number>();
    for (const name of ["ollama", "worker", "prometheus", "grafana", "node-exporter"]) ports[name] = await freePort(taken);
    ws = workspace("jobs");
    project = jobsProject(id, { ports: { ollama: ports.ollama, worker: ports.worker }, fast: true });
    projectsFile = writeJson(ws.dir, "p.json", [project]);
    const config = {
      github: { owner: "acme" },
      hosts: {
        [id]: {
          dockerHost: "unix:///var/run/docker.sock",
          gpus: false,
          arch: process.arch === "arm64" ? "arm64" : "amd64",
          projects: [id],
          observabilityNetwork: { name: obs, ...freeSubnet() },
          observabilityPorts: { prometheus: ports.prometheus, grafana: ports.grafana, "node-exporter": ports["node-exporter"] },
        },
      },
      targets: { box: { hosts: [id], images: "local", state: { backend: "local", directory: ws.stateDir } } },
      defaultTarget: "box",
    };
    env = deployEnv({
      SPARKY_CONFIG: writeJson(ws.dir, "c.json", config),
      SPARKY_PROJECTS: projectsFile,
      GRAFANA_ADMIN_PASSWORD: `e2e-jobs-grafana-${process.pid}`,
    });
  }, STEP);

  afterAll(async () => {
    if (ws && !destroyed) await tool("destroy", ["--yes"]);
    removeLeftovers([id, obs], [`${id}-net`, obs], new Set());
    if (ws) fs.rmSync(ws.dir, { recursive: true, force: true });
  }, STEP);

  test(
    "deploy: Ollama healthy, then the pull job (exit 0, the model on Ollama's volume), then its dependent; the planned service is not deployed",
    async () => {
      const r = await tool("deploy");
      expect(`${r.code}\n${r.stderr.slice(-4000)}`).toMatch(/^0\n/);
      const [ollama, job, worker] = [`${id}-ollama`, `${id}-pull-model`, `${id}-worker`].map(state);
      expect({ status: job.Status, exit: job.ExitCode }).toEqual({ status: "exited", exit: 0 });
      expect(Date.parse(job.StartedAt)).toBeGreaterThan(Date.parse(ollama.StartedAt));
      expect(Date.parse(worker.StartedAt)).toBeGreaterThanOrEqual(Date.parse(job.FinishedAt));
      expect(docker(["logs", `${id}-pull-model`]).stdout).toMatch(/pulling manifest\n[\s\S]*success\n$/);
      const tags = await getJson(`http://127.0.0.1:${ports.ollama}/api/tags`);
      expect(tags.models.map((m: { name: string }) => m.name)).toEqual([`${PULLED_MODEL}:latest`]);
      const project = containersOf([id]).filter((c) => !c.startsWith(`${obs}-`));
      expect(project.sort()).toEqual([`${id}-ollama`, `${id}-pull-model`, `${id}-tick`, `${id}-worker`]);
    },
    STEP,
  );

  test(
    "the scheduled job runs every 5 s under supercronic, and Prometheus has its runs and its generated rules",
    async () => {
      const job = `${id}-tick`;
      const runs = await pollUntil(
        "successful runs of the schedule in Prometheus",
        () => prometheus(`supercronic_successful_executions{job="${job}"}`),
        (result: any[]) => result.length === 1 && Number(result[0].value[1]) >= 2,
        90_000,
        3_000,
      );
      expect(runs[0].metric).toMatchObject({ job, project: id, service: "tick", schedule: "*/5 * * * * * *" });
      expect(await prometheus(`supercronic_failed_executions{job="${job}"}`)).toEqual([]);
      expect(docker(["logs", job]).stderr).toMatch(/standin job: standing in for \\"nu scripts\/pipeline.nu daily\\"[\s\S]*job succeeded/);
      const rules = await getJson(`http://127.0.0.1:${ports.prometheus}/api/v1/rules`);
      const groups = Object.fromEntries(rules.data.groups.map((g: any) => [g.name, g.rules.map((r: any) => r.name)]));
      expect(groups).toEqual({
        later: ["TickDown"],
        [`${id.replace(/-/g, "_")}_tick_schedule`]: ["ScheduledJobFailed", "ScheduledJobMissed", "ScheduledJobDown"],
      });
    },
    STEP,
  );

  test(
    "a second plan changes nothing: just diff, and the engine's own refreshing plan of the services stack",
    async () => {
      const diff = await tool("diff");
      expect(`${diff.code}\n${diff.stdout.slice(-3000)}`).toMatch(/^0\n/);
      expect(diff.stdout).toContain("✅ **No changes** (2)");
      const plan = await runEngine(
        path.join(ws.dir, "out", "stacks", `${id}-services`),
        ["plan", "-detailed-exitcode", "-no-color", "-input=false"],
        {
          env,
        },
      );
      expect(`${plan.code}\n${plan.stdout.slice(-2000)}`).toMatch(/^0\n[\s\S]*No changes\./);
    },
    STEP,
  );

  test(
    "a job that exits 1 fails the deploy with its log, its dependent is never created, and the next deploy runs it again",
    async () => {
      const broken = { ...structuredClone(project) };
      broken.services.migrate = {
        role: "backend",
        kind: "job",
        description: "fails",
        image: { ref: "example/migrate:1.0" },
        command: ["migrate", "--all"],
        env: { STANDIN_JOB_EXIT: "1" },
      };
      broken.services["after-migrate"] = {
        role: "backend",
        description: "waits for migrate",
        image: { ref: "example/worker:1.0" },
        dependsOn: [{ service: "migrate", condition: "completed" }],
      };
      fs.writeFileSync(projectsFile, JSON.stringify([broken]));
      const first = await tool("deploy");
      expect(first.code).toBe(1);
      expect(first.stderr).toContain(`job ${id}-migrate exited with 1`);
      expect(first.stderr).toMatch(
        new RegExp(`sparky-infra: job ${id}-migrate exited with code 1; last log lines:\\n {4}.*standing in for "migrate --all"`),
      );
      expect(first.stderr).toMatch(/\n {4}.*standin job: failing with exit code 1 \(STANDIN_JOB_EXIT\)/);
      expect(containersOf([id])).not.toContain(`${id}-after-migrate`);
      const runOnce = JSON.parse(docker(["inspect", `${id}-migrate`]).stdout)[0].Id;

      const diff = await tool("diff");
      expect(diff.code).toBe(2);
      expect(diff.stdout).toContain(`\`docker_container.migrate\`: job's last run failed (exited (1)); a deploy runs it again`);

      const again = await tool("deploy");
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(new RegExp(`job ${id}-migrate exited with code 1`));
      expect(JSON.parse(docker(["inspect", `${id}-migrate`]).stdout)[0].Id).not.toBe(runOnce);
      expect(containersOf([id])).not.toContain(`${id}-after-migrate`);

      fs.writeFileSync(projectsFile, JSON.stringify([project]));
      const back = await tool("deploy");
      expect(`${back.code}\n${back.stderr.slice(-3000)}`).toMatch(/^0\n/);
      expect(containersOf([id])).not.toContain(`${id}-migrate`);
    },
    STEP,
  );

  test(
    "destroy leaves nothing but the kept volumes (the pulled model, the metrics history, the dashboards)",
    async () => {
      const r = await tool("destroy", ["--yes"]);
      expect(`${r.code}\n${r.stderr.slice(-3000)}`).toMatch(/^0\n/);
      destroyed = true;
      expect(containersOf([id, obs])).toEqual([]);
      expect(lines(docker(["network", "ls", "--format", "{{.Name}}"]).stdout).filter((n) => n.startsWith(id))).toEqual([]);
      const volumes = lines(docker(["volume", "ls", "--format", "{{.Name}}"]).stdout).filter((v) => v.startsWith(`${id}-`));
      expect(volumes.sort()).toEqual([`${id}-obs-grafana-data`, `${id}-obs-prometheus-data`, `${id}-ollama-models`]);
    },
    STEP,
  );
});
