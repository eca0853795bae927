// Prometheus' part of the observability set, from the model: prometheus.yml and the rule files (checked by the real
// promtool), scrape targets and their labels, deterministic rendering; and alert rules checked against what the
// host exposes (unknown metrics and jobs, DCGM series, scrape timeouts, reserved labels, the PromQL reader).
// Grafana, the DCGM counters and the synthesized stack are in observability-grafana-dcgm.test.ts.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { blueprints, dgxPixels } from "../blueprints";
import { DEFAULT_CONFIG } from "../config/default-config";
import { HostSchema, HostSpec, Project, ProjectInput } from "../constructs/model";
import { checkObservability, hostMetricNames, observabilityProblems } from "../constructs/model/checks/observability";
import { hostObservabilityServices } from "../constructs/model/observability-set";
import { promqlReferences } from "../constructs/model/promql";
import { observabilityFiles } from "../constructs/observability";
import { hostOf, jobsOf } from "./support/resolved-host";

const lines = (problems: { path: string; message: string }[]) => problems.map((p) => `${p.path}: ${p.message}`);

/** A copy of a blueprint with one alert expression replaced. */
function withExpr(group: string, alert: string, expr: string): ProjectInput {
  const copy = structuredClone(dgxPixels) as ProjectInput & { alerts: { name: string; rules: { alert: string; expr: string }[] }[] };
  const rule = copy.alerts.find((g) => g.name === group)!.rules.find((r) => r.alert === alert)!;
  rule.expr = expr;
  return copy;
}

function problemsFor(projects: readonly unknown[], hostName = "local"): string[] {
  return lines(observabilityProblems(hostOf(hostName, projects)));
}

describe("observability config generated from the model", () => {
  const host = hostOf("local");
  const rendered = observabilityFiles(host);
  const file = (service: string, p: string) => rendered[service].find((f) => f.path === p)!.content;

  test("both blueprints on one host: the model has no observability problems, on the local and the dgx host", () => {
    expect(problemsFor(blueprints, "local")).toEqual([]);
    expect(problemsFor(blueprints, "dgx")).toEqual([]);
  });

  test("promtool accepts the generated prometheus.yml (with its rule files) and every rule file", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sparky-prom-"));
    try {
      for (const f of rendered.prometheus) {
        const out = path.join(dir, f.path);
        fs.mkdirSync(path.dirname(out), { recursive: true });
        // Rule files are referenced by absolute container paths; point them into the temp tree.
        fs.writeFileSync(out, f.content.replaceAll("/etc/prometheus/", `${dir}/etc/prometheus/`));
      }
      const config = spawnSync("promtool", ["check", "config", path.join(dir, "etc/prometheus/prometheus.yml")], { encoding: "utf8" });
      expect(config.error).toBeUndefined();
      expect(config.stdout + config.stderr).toContain("SUCCESS: 1 rule files found");
      expect(config.status).toBe(0);
      // Sparky's deployed services expose no metrics and it has no rules of its own (see its decisions).
      const ruleFiles = fs.readdirSync(path.join(dir, "etc/prometheus/rules")).sort();
      expect(ruleFiles).toEqual(["dgx-pixels.yml"]);
      const rules = spawnSync("promtool", ["check", "rules", ...ruleFiles.map((f) => path.join(dir, "etc/prometheus/rules", f))], {
        encoding: "utf8",
      });
      expect(rules.stdout).toContain("SUCCESS: 19 rules found");
      expect(rules.status).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("prometheus.yml: 15s global, external labels, rule files, no alerting section", () => {
    const config = parseYaml(file("prometheus", "/etc/prometheus/prometheus.yml"));
    expect(config.global).toEqual({
      scrape_interval: "15s",
      scrape_timeout: "10s",
      evaluation_interval: "15s",
      external_labels: { host: "local", arch: "amd64", managed_by: "sparky-infra" },
    });
    expect(config.rule_files).toEqual(["/etc/prometheus/rules/dgx-pixels.yml"]);
    expect(config.alerting).toBeUndefined();
  });

  test("scrape targets: container names on the shared network, never localhost; project/service/role labels; ComfyUI every 30s", () => {
    const config = parseYaml(file("prometheus", "/etc/prometheus/prometheus.yml"));
    const jobs: Record<string, any> = Object.fromEntries(config.scrape_configs.map((j: any) => [j.job_name, j]));
    expect(Object.keys(jobs)).toEqual(
      expect.arrayContaining([
        "host-prometheus",
        "host-node-exporter",
        "host-dcgm-exporter",
        "dgx-pixels-comfyui",
        "dgx-pixels-backend-worker",
      ]),
    );
    for (const job of config.scrape_configs) {
      for (const sc of job.static_configs) {
        for (const target of sc.targets) expect(target).not.toMatch(/localhost|127\.0\.0\.1|0\.0\.0\.0/);
        const [project, service] = [sc.labels.project, sc.labels.service];
        expect(job.job_name).toBe(`${project}-${service}`);
        expect(sc.labels.role).toMatch(/^(ml|backend|mcp|observability|dev)$/);
        expect(sc.targets).toHaveLength(1);
        const container =
          project === "host"
            ? `local-obs-${service}`
            : host.projects.find((p) => p.project.id === project)!.services[service].containerName;
        expect(sc.targets[0]).toMatch(new RegExp(`^${container}:\\d+$`));
      }
    }
    expect(jobs["dgx-pixels-comfyui"].scrape_interval).toBe("30s");
    expect(jobs["dgx-pixels-comfyui"].static_configs[0].targets).toEqual(["dgx-pixels-comfyui:8188"]);
    expect(jobs["dgx-pixels-backend-worker"].scrape_interval).toBe("15s");
    expect(jobs["dgx-pixels-backend-worker"].static_configs[0].labels).toEqual({
      component: "backend",
      language: "python",
      project: "dgx-pixels",
      service: "backend-worker",
      role: "backend",
    });
  });

  test("rule files carry group interval, for, severity, extra labels and both annotations", () => {
    const doc = parseYaml(file("prometheus", "/etc/prometheus/rules/dgx-pixels.yml"));
    expect(doc.groups.map((g: any) => [g.name, g.interval, g.rules.length])).toEqual([
      ["gpu_critical", "30s", 7],
      ["generation_pipeline", "1m", 5],
      ["system_resources", "1m", 3],
      ["zeromq_communication", "30s", 2],
      ["comfyui_integration", "1m", 2],
    ]);
    const temp = doc.groups[0].rules.find((r: any) => r.alert === "GPUHighTemperature");
    expect(temp).toEqual({
      alert: "GPUHighTemperature",
      expr: "DCGM_FI_DEV_GPU_TEMP > 85",
      for: "5m",
      labels: { severity: "warning", category: "thermal", component: "gpu", project: "dgx-pixels" },
      annotations: { summary: expect.any(String), description: expect.any(String) },
    });
    expect(doc.groups[0].rules.find((r: any) => r.alert === "GPUXIDErrors").for).toBeUndefined();
  });

  test("rendering is deterministic: the same model gives the same bytes", () => {
    const again = observabilityFiles(hostOf("local"));
    expect(again).toEqual(rendered);
    for (const files of Object.values(rendered)) for (const f of files) expect(f.content).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:/);
  });
});

describe("alert rules are checked against what the host exposes", () => {
  test("an unknown metric is a model error with the rule's path and the closest name", () => {
    expect(problemsFor([withExpr("gpu_critical", "GPUHighTemperature", "DCGM_FI_DEV_GPU_TMP > 85"), blueprints[1]])).toEqual([
      'projects.dgx-pixels.alerts.gpu_critical.GPUHighTemperature.expr: unknown metric "DCGM_FI_DEV_GPU_TMP" (did you mean "DCGM_FI_DEV_GPU_TEMP"?)',
    ]);
  });

  test("an unknown job is a model error", () => {
    expect(problemsFor([withExpr("comfyui_integration", "ComfyUIDown", 'up{job="dgx-pixels-comfyiu"} == 0'), blueprints[1]])).toEqual([
      'projects.dgx-pixels.alerts.comfyui_integration.ComfyUIDown.expr: unknown job "dgx-pixels-comfyiu" (did you mean "dgx-pixels-comfyui"?)',
    ]);
    expect(
      problemsFor([withExpr("comfyui_integration", "ComfyUIDown", 'up{job=~"dgx-pixels-(nothing|none)"} == 0'), blueprints[1]]),
    ).toEqual([
      expect.stringMatching(
        /^projects\.dgx-pixels\.alerts\.comfyui_integration\.ComfyUIDown\.expr: job matcher =~"dgx-pixels-\(nothing\|none\)" matches no scrape job/,
      ),
    ]);
  });

  test("a metric exposed only by a service that is removed from the model becomes an error", () => {
    const copy = structuredClone(dgxPixels) as any;
    delete copy.services["backend-worker"].metrics;
    const problems = problemsFor([copy, blueprints[1]]);
    expect(problems).toContain(
      'projects.dgx-pixels.alerts.zeromq_communication.HighZMQMessageQueue.expr: unknown metric "zmq_message_queue_depth"',
    );
  });

  test("DCGM series exist on GPU hosts and on CPU hosts running downgraded GPU workloads, not on a plain CPU host", () => {
    const cpu: HostSpec = HostSchema.parse({
      dockerHost: "unix:///var/run/docker.sock",
      sshOpts: [],
      gpus: false,
      arch: "amd64",
      projects: ["sparky"],
      observabilityNetwork: { subnet: "172.30.0.0/24", gateway: "172.30.0.1" },
      publicObservability: false,
    });
    expect(hostObservabilityServices("cpu", cpu)["dcgm-exporter"]).toBeUndefined();
    const local = hostOf("local");
    expect(local.observability.services["dcgm-exporter"]).toBeDefined();
    expect(hostMetricNames(local).has("DCGM_FI_DEV_GPU_TEMP")).toBe(true);
    const onlyRule: Project = {
      ...local.projects[0].project,
      dashboards: [],
      alerts: [
        {
          name: "g",
          interval: "1m",
          rules: [{ alert: "Hot", expr: "DCGM_FI_DEV_GPU_TEMP > 1", severity: "info", labels: {}, summary: "s", description: "d" }],
        },
      ],
    };
    const bare = hostOf("cpu", [], {
      ...DEFAULT_CONFIG,
      hosts: { cpu: { ...cpu, projects: [] } },
      targets: { cpu: { hosts: ["cpu"] } },
      defaultTarget: "cpu",
    });
    expect(lines(checkObservability(onlyRule, hostMetricNames(bare), jobsOf(bare), "projects.x"))).toEqual([
      'projects.x.alerts.g.Hot.expr: unknown metric "DCGM_FI_DEV_GPU_TEMP"',
    ]);
  });

  test("scrape timeout longer than the interval, and reserved labels, are model errors", () => {
    const copy = structuredClone(dgxPixels) as any;
    copy.services.comfyui.metrics.timeout = "45s";
    copy.services.comfyui.metrics.labels = { project: "x" };
    expect(problemsFor([copy, blueprints[1]])).toEqual([
      "projects.dgx-pixels.services.comfyui.metrics.timeout: 45s is longer than the scrape interval 30s",
      'projects.dgx-pixels.services.comfyui.metrics.labels.project: "project" is set by the scrape job itself; choose another label name',
    ]);
  });

  test("the PromQL reader finds metrics and job matchers, not functions, keywords, labels or durations", () => {
    expect(promqlReferences('histogram_quantile(0.95, sum by (le, workflow) (rate(x_bucket{job="a-b", le!="1"}[5m]))) > 10')).toEqual({
      metrics: ["x_bucket"],
      jobs: [{ op: "=", value: "a-b" }],
    });
    expect(
      promqlReferences("sum(rate(a_total[5m])) / on(job) group_left(instance) sum(rate(b_total[5m] offset 1h)) > bool 0.1 or vector(0)")
        .metrics,
    ).toEqual(["a_total", "b_total"]);
    expect(promqlReferences("time() - node_boot_time_seconds > 1e3").metrics).toEqual(["node_boot_time_seconds"]);
    expect(promqlReferences('{__name__="up", job=~"x.*"}')).toEqual({ metrics: ["up"], jobs: [{ op: "=~", value: "x.*" }] });
  });
});
