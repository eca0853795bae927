// The whole local system, deployed the way a user deploys it: `just deploy` (tools/deploy.ts) with the
// real OpenTofu engine, the docker provider from the project's mirror and a real Docker engine. Then: health and
// order, every port, every scrape target up in the real Prometheus, zero-change re-plans, a one-service change,
// a removed scrape job, and a destroy that leaves only the volumes marked `keep`.
import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { blueprints } from "../../blueprints";
import type { Project, ProjectInput } from "../../constructs/model";
import { isOneShot } from "../../constructs/model/jobs";
import { promqlReferences } from "../../constructs/model/promql";
import { loadModel } from "../../stacks/load-model";
import { synthesize } from "../../stacks/synthesize";
import { planStack, synthesizedStacks, runEngine, StackPlan } from "../../tools/engine/stacks";
import { containersOf, docker, removeLeftovers, requireDeployPrerequisites } from "../../support/docker";
import { deployEnv, workspace } from "../../support/engine-env";
import { getJson, lines, pollUntil, run } from "../../support/processes";
import { describeE2E } from "./support/describe-e2e";
import { REPO_ROOT } from "./support/toolchain";
import { tcpAnswers } from "../../support/tcp";

const OWNERS = ["local-obs", "dgx-pixels", "sparky"];
const NETWORKS = ["sparky-observability", "dgx-pixels-net", "sparky-net"];
const STACKS = ["local-observability", "dgx-pixels-services", "sparky-services"];
const PROMETHEUS = "http://127.0.0.1:9090";

interface Inspect {
  Name: string;
  State: {
    Running: boolean;
    Status: string;
    ExitCode: number;
    StartedAt: string;
    Health?: { Status: string; Log: { End: string; ExitCode: number }[] };
  };
}

const inspect = (name: string): Inspect => JSON.parse(docker(["inspect", name]).stdout)[0];

/** A service's container: the model's name for it (dgx-pixels keeps the reference's), else `<project>-<service>`. */
const containerOf = (project: Project, service: string) => project.services[service].containerName ?? `${project.id}-${service}`;

/** When a container first reported healthy, from Docker's health log (which keeps the last five probes). */
function firstHealthy(name: string): number {
  const ok = (inspect(name).State.Health?.Log ?? []).filter((l) => l.ExitCode === 0).map((l) => Date.parse(l.End));
  if (ok.length === 0) throw new Error(`${name} has no successful health probe`);
  return Math.min(...ok);
}

const changesOf = (plan: StackPlan) =>
  (plan.json.resource_changes ?? []).filter((c) => !(c.change.actions.length === 1 && ["no-op", "read"].includes(c.change.actions[0])));

/**
 * A project without one service's metrics endpoint, and without the alert rules and dashboard panels that read its
 * series (validation refuses queries of metrics or jobs nothing on the host exposes).
 */
function withoutMetrics(project: Record<string, any>, service: string): void {
  const exposed = new Set<string>(project.services[service].metrics.exposes.map((e: any) => (typeof e === "string" ? e : e.name)));
  const job = `${project.id}-${service}`;
  const readsIt = (expr: string) => {
    const refs = promqlReferences(expr);
    return refs.metrics.some((m) => exposed.has(m)) || refs.jobs.some((j) => j.value === job);
  };
  delete project.services[service].metrics;
  project.alerts = project.alerts
    .map((g: any) => ({ ...g, rules: g.rules.filter((r: any) => !readsIt(r.expr)) }))
    .filter((g: any) => g.rules.length > 0);
  for (const dashboard of Object.values<any>(project.dashboards ?? {}))
    dashboard.panels = dashboard.panels.filter((panel: any) => !(panel.queries ?? []).some((q: any) => readsIt(q.expr)));
}

function editBlueprint(id: string, edit: (project: ProjectInput & Record<string, any>) => void): ProjectInput[] {
  return blueprints.map((bp) => {
    if (bp.id !== id) return bp;
    const copy = structuredClone(bp) as ProjectInput & Record<string, any>;
    edit(copy);
    return copy;
  });
}

describeE2E("system e2e: just deploy of every services and observability stack on the local engine", () => {
  const ws = workspace("system");
  const out = path.join(ws.dir, "out");
  const secret = `e2e-grafana-${process.pid}-${Date.now()}`;
  let env: NodeJS.ProcessEnv = {};
  let projects: Project[] = [];
  let volumesBefore = new Set<string>();
  let deployed = false;

  const stacksCli = (command: string, extra: string[] = []) =>
    run("node", ["bin/run.js", "tools/deploy.ts", command, "local", ...STACKS, "--yes", "--output", out, ...extra], {
      env,
      timeoutMs: 15 * 60_000,
    });

  const planAll = async (outdir: string) => {
    const stacks = synthesizedStacks(outdir).filter((s) => STACKS.includes(s.name));
    return Promise.all(stacks.map((s) => planStack(s, { env })));
  };

  beforeAll(() => {
    requireDeployPrerequisites();
    const clash = containersOf(OWNERS);
    if (clash.length > 0) throw new Error(`containers from another deploy exist (${clash.join(", ")}); destroy them first`);
    volumesBefore = new Set(lines(docker(["volume", "ls", "-q"]).stdout));
    env = deployEnv({
      SPARKY_CONFIG: ws.configFile,
      SPARKY_TARGET: "local",
      GRAFANA_ADMIN_PASSWORD: secret,
      SPARKY_GH_TOKEN: "e2e-gh-token",
    });
    projects = loadModel(env, REPO_ROOT).projects;
  });

  afterAll(async () => {
    if (deployed) await stacksCli("destroy");
    removeLeftovers(OWNERS, NETWORKS, volumesBefore);
    fs.rmSync(ws.dir, { recursive: true, force: true });
  }, 15 * 60_000);

  test(
    "just deploy brings every container up healthy, dependencies first, and every port answers on 127.0.0.1",
    async () => {
      deployed = true;
      const result = await stacksCli("deploy");
      expect(`${result.code}\n${result.stderr.slice(-3000)}`).toMatch(/^0\n/);
      expect(result.stderr).toMatch(/done [\d.]+ s {2}\(Resources: \d+ added/);

      for (const project of projects) {
        const deployedServices = Object.entries(project.services).filter(([, s]) => !s.profile && !s.planned);
        const ready = ([name, s]: [string, Project["services"][string]]) => {
          const state = inspect(containerOf(project, name)).State;
          return isOneShot(s)
            ? state.Status === "exited" && state.ExitCode === 0
            : state.Running && (!state.Health || state.Health.Status === "healthy");
        };
        await pollUntil(
          `${project.id} services healthy and jobs completed`,
          async () => deployedServices.map(ready),
          (all) => all.every(Boolean),
          180_000,
        );
        for (const [name, service] of deployedServices) {
          for (const dep of service.dependsOn.filter((d) => d.condition === "healthy"))
            expect(Date.parse(inspect(containerOf(project, name)).State.StartedAt)).toBeGreaterThanOrEqual(
              firstHealthy(containerOf(project, dep.service)),
            );
          for (const port of service.ports)
            expect({
              service: `${project.id}/${name}`,
              port: port.host ?? port.container,
              answers: await tcpAnswers(port.host ?? port.container),
            }).toEqual({
              service: `${project.id}/${name}`,
              port: port.host ?? port.container,
              answers: true,
            });
        }
        // Profile services (dgx-pixels' dev container) are not deployed without the profile, planned ones never.
        for (const [name] of Object.entries(project.services).filter(([, s]) => s.profile || s.planned))
          expect(docker(["inspect", containerOf(project, name)]).status).not.toBe(0);
      }
      for (const port of [9090, 3000, 9100, 9400]) expect(await tcpAnswers(port)).toBe(true);
    },
    20 * 60_000,
  );

  test(
    "the real Prometheus reports up == 1 for every generated scrape target",
    async () => {
      const tf = JSON.parse(fs.readFileSync(path.join(out, "stacks/local-observability/cdk.tf.json"), "utf8"));
      const prometheus = Object.values(tf.resource.docker_container as Record<string, any>).find((c) => c.name === "local-obs-prometheus");
      const config = parseYaml(prometheus.upload.find((u: any) => u.file === "/etc/prometheus/prometheus.yml").content);
      const jobs: string[] = config.scrape_configs.map((j: any) => j.job_name).sort();
      expect(jobs).toEqual(
        expect.arrayContaining(["host-node-exporter", "host-dcgm-exporter", "dgx-pixels-comfyui", "dgx-pixels-backend-worker"]),
      );

      const up = await pollUntil(
        "up == 1 for every job",
        async () =>
          Object.fromEntries(
            (await getJson(`${PROMETHEUS}/api/v1/query?query=up`)).data.result.map((r: any) => [r.metric.job, r.value[1]]),
          ),
        (u: Record<string, string>) => jobs.every((j) => u[j] === "1"),
        150_000,
      );
      expect(Object.keys(up).sort()).toEqual(jobs);
      const targets = (await getJson(`${PROMETHEUS}/api/v1/targets?state=active`)).data.activeTargets;
      for (const t of targets) expect(t.scrapeUrl).not.toMatch(/localhost|127\.0\.0\.1/);
      // The DCGM stand-in serves the uploaded counters CSV, and the 19 dgx-pixels rules are loaded.
      expect((await getJson(`${PROMETHEUS}/api/v1/query?query=DCGM_FI_DEV_GPU_TEMP`)).data.result.length).toBeGreaterThan(0);
      const groups = (await getJson(`${PROMETHEUS}/api/v1/rules`)).data.groups;
      expect(groups.filter((g: any) => g.file.endsWith("dgx-pixels.yml")).flatMap((g: any) => g.rules)).toHaveLength(19);
    },
    5 * 60_000,
  );

  test(
    "a second plan on every stack finds nothing to change",
    async () => {
      const plans = await planAll(out);
      expect(plans.map((p) => p.stack).sort()).toEqual([...STACKS].sort());
      for (const plan of plans)
        expect({ stack: plan.stack, changes: changesOf(plan).map((c) => `${c.address}: ${c.change.actions}`) }).toEqual({
          stack: plan.stack,
          changes: [],
        });
    },
    10 * 60_000,
  );

  test(
    "changing one service's config replaces only that service",
    async () => {
      const changed = path.join(ws.dir, "out-changed");
      synthesize({
        env,
        projectRoot: REPO_ROOT,
        outdir: changed,
        projects: editBlueprint(
          "dgx-pixels",
          (p) => (p.services["mcp-server"].env = { ...p.services["mcp-server"].env, LOG_LEVEL: "debug" }),
        ),
      });
      const plans = await planAll(changed);
      const summary = Object.fromEntries(
        plans.map((p) => [p.stack, changesOf(p).map((c) => `${c.address} ${c.change.actions.join("+")}`)]),
      );
      expect(summary).toEqual({
        "local-observability": [],
        "dgx-pixels-services": [expect.stringMatching(/^docker_container\.mcp-server (delete\+create|create\+delete)$/)],
        "sparky-services": [],
      });
      const changedPlan = plans.find((p) => p.stack === "dgx-pixels-services")!;
      const applied = await runEngine(path.dirname(changedPlan.planFile), ["apply", "-input=false", "-no-color", changedPlan.planFile], {
        env,
      });
      expect(`${applied.code}\n${applied.stderr}`).toMatch(/^0\n/);
      expect(
        inspect(
          containerOf(
            projects.find((p) => p.id === "dgx-pixels")!,
            "mcp-server",
          ),
        ).State.Running,
      ).toBe(true);
      for (const plan of await planAll(changed))
        expect({ stack: plan.stack, changes: changesOf(plan).length }).toEqual({ stack: plan.stack, changes: 0 });
    },
    10 * 60_000,
  );

  test(
    "removing a service's metrics endpoint removes its scrape job on the next deploy",
    async () => {
      const without = path.join(ws.dir, "out-without");
      synthesize({
        env,
        projectRoot: REPO_ROOT,
        outdir: without,
        projects: editBlueprint("dgx-pixels", (p) => {
          p.services["mcp-server"].env = { ...p.services["mcp-server"].env, LOG_LEVEL: "debug" };
          withoutMetrics(p, "comfyui");
        }),
      });
      for (const plan of await planAll(without)) {
        if (changesOf(plan).length === 0) continue;
        const applied = await runEngine(path.dirname(plan.planFile), ["apply", "-input=false", "-no-color", plan.planFile], { env });
        expect(`${plan.stack} ${applied.code}\n${applied.stderr}`).toMatch(new RegExp(`^${plan.stack} 0\\n`));
      }
      const targets = await pollUntil(
        "dgx-pixels-comfyui gone, the rest up",
        async () => (await getJson(`${PROMETHEUS}/api/v1/targets?state=active`)).data.activeTargets as any[],
        (ts) => ts.length > 0 && !ts.some((t) => t.labels.job === "dgx-pixels-comfyui") && ts.every((t) => t.health === "up"),
        150_000,
      );
      expect(targets.map((t) => t.labels.job)).not.toContain("dgx-pixels-comfyui");
    },
    10 * 60_000,
  );

  test(
    "just destroy leaves no project container or network, and only the volumes marked keep",
    async () => {
      const result = await stacksCli("destroy");
      expect(`${result.code}\n${result.stderr.slice(-3000)}`).toMatch(/^0\n/);
      deployed = false;
      expect(containersOf(OWNERS)).toEqual([]);
      for (const name of NETWORKS) expect(lines(docker(["network", "ls", "-q", "--filter", `name=^${name}$`]).stdout)).toEqual([]);
      const volumes = new Set(lines(docker(["volume", "ls", "-q"]).stdout));
      for (const project of projects) {
        const mounted = new Set(
          Object.values(project.services)
            .filter((s) => !s.profile && !s.planned)
            .flatMap((s) => s.volumes.flatMap((m) => ("volume" in m ? [m.volume] : []))),
        );
        for (const [name, volume] of Object.entries(project.volumes)) {
          if (!mounted.has(name)) continue;
          const kept = volume.keep && !volume.hostPath;
          expect({ volume: `${project.id}-${name}`, exists: volumes.has(`${project.id}-${name}`) }).toEqual({
            volume: `${project.id}-${name}`,
            exists: kept,
          });
        }
      }
    },
    10 * 60_000,
  );
});
