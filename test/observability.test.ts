import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { blueprints, dgxPixels } from "../blueprints";
import { DEFAULT_CONFIG } from "../config/default-config";
import {
  DeploymentConfigInput,
  DeploymentConfigSchema,
  HostSchema,
  HostSpec,
  Project,
  ProjectInput,
  ProjectSchema,
  ResolvedHost,
} from "../constructs/model";
import { checkObservability, hostMetricNames, observabilityProblems } from "../constructs/model/checks/observability";
import { DCGM_COUNTER_GROUPS, DCGM_COUNTERS_PATH, dcgmCounters } from "../constructs/model/dcgm-counters";
import { hostObservabilityServices } from "../constructs/model/observability-set";
import { promqlReferences } from "../constructs/model/promql";
import { resolveSystem } from "../constructs/model/resolve";
import { dashboards, observabilityFiles, renderDcgmCsv } from "../constructs/observability";
import { synthesize } from "../stacks/synthesize";

const ROOT = path.resolve(__dirname, "..");

/** The resolved host, without validation (the tests look at the problems themselves). */
function hostOf(hostName: string, projects: readonly unknown[] = blueprints, config: DeploymentConfigInput = DEFAULT_CONFIG): ResolvedHost {
  const parsedConfig = DeploymentConfigSchema.parse(structuredClone(config));
  const target = Object.entries(parsedConfig.targets).find(([, t]) => t.hosts.includes(hostName))![0];
  const system = resolveSystem(
    parsedConfig,
    projects.map((p) => ProjectSchema.parse(p)),
    target,
    [],
  );
  return system.hosts.find((h) => h.name === hostName)!;
}

/** The scrape job names of a host. */
const jobsOf = (host: ResolvedHost) => new Set(host.observability.targets.map((t) => `${t.project}-${t.service}`));

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

describe("Grafana provisioning", () => {
  const host = hostOf("local");
  const grafana = observabilityFiles(host).grafana;

  test("datasource points at the Prometheus container with a fixed uid; provider reads the generated folder", () => {
    const ds = parseYaml(grafana.find((f) => f.path === "/etc/grafana/provisioning/datasources/sparky-prometheus.yaml")!.content);
    expect(ds.datasources).toEqual([
      expect.objectContaining({ uid: "sparky-prometheus", type: "prometheus", url: "http://local-obs-prometheus:9090", isDefault: true }),
    ]);
    const provider = parseYaml(grafana.find((f) => f.path === "/etc/grafana/provisioning/dashboards/sparky.yaml")!.content);
    expect(provider.providers.map((p: any) => [p.folder, p.options.path])).toEqual([
      ["Sparky (local)", "/etc/grafana/provisioning/dashboards/sparky"],
      ["DGX-Pixels", "/etc/grafana/provisioning/dashboards/projects/dgx-pixels"],
    ]);
    expect(
      grafana
        .map((f) => f.path)
        .filter((p) => p.endsWith(".json"))
        .sort(),
    ).toEqual([
      "/etc/grafana/provisioning/dashboards/projects/dgx-pixels/dgx-pixels-gpu.json",
      "/etc/grafana/provisioning/dashboards/projects/dgx-pixels/dgx-pixels-health.json",
      "/etc/grafana/provisioning/dashboards/projects/dgx-pixels/dgx-pixels-quality.json",
      "/etc/grafana/provisioning/dashboards/sparky/sparky-gpu.json",
      "/etc/grafana/provisioning/dashboards/sparky/sparky-health.json",
      "/etc/grafana/provisioning/dashboards/sparky/sparky-workloads.json",
    ]);
  });

  test("every panel query uses only metrics a service on the host exposes, and only existing jobs", () => {
    const metrics = hostMetricNames(host);
    const jobs = jobsOf(host);
    let queries = 0;
    for (const f of grafana.filter((g) => g.path.endsWith(".json"))) {
      const dashboard = JSON.parse(f.content);
      for (const panel of dashboard.panels.filter((p: any) => p.type !== "row"))
        for (const target of panel.targets) {
          queries++;
          expect(target.datasource).toEqual({ type: "prometheus", uid: "sparky-prometheus" });
          const refs = promqlReferences(target.expr);
          for (const m of refs.metrics) expect(`${f.path}: ${panel.title}: ${m}: ${metrics.has(m)}`).toMatch(/: true$/);
          for (const j of refs.jobs) expect(`${panel.title}: job ${j.value}: ${jobs.has(j.value)}`).toMatch(/: true$/);
        }
    }
    expect(queries).toBeGreaterThan(40);
  });

  test("Sparky panels appear once a scheduled cadence of it is real, and not while everything it scrapes is planned", () => {
    const titles = (projects: readonly unknown[]) =>
      dashboards(hostOf("local", projects))
        .find((d) => d.uid === "sparky-workloads")!
        .panels.map((p) => p.title);
    const planned = titles(blueprints);
    expect(planned).toEqual(expect.arrayContaining([expect.stringMatching(/^backend-worker: /)]));
    expect(planned.some((t) => /^Sparky|^daily: /.test(t))).toBe(false);
    const sparky = structuredClone(blueprints.find((p) => p.id === "sparky")!) as any;
    delete sparky.services.daily.planned;
    sparky.services.daily.image = { ref: "example/pipeline:1.0" };
    expect(titles([dgxPixels, sparky])).toEqual(
      expect.arrayContaining([
        "Sparky: firing alerts",
        "daily: runs since its scheduler started",
        "daily: mean run time (1d)",
        expect.stringMatching(/^backend-worker: /),
      ]),
    );
  });
});

describe("DCGM counters", () => {
  test("41 counters in 7 groups, rendered in the exporter's CSV format", () => {
    expect(DCGM_COUNTER_GROUPS.map((g) => [g.name, g.counters.length])).toEqual([
      ["gpu_utilization", 6],
      ["memory_metrics", 6],
      ["power_thermal", 7],
      ["performance", 8],
      ["errors", 7],
      ["compute", 4],
      ["process", 3],
    ]);
    expect(dcgmCounters()).toHaveLength(41);
    const csv = renderDcgmCsv();
    const fields = csv.split("\n").filter((l) => l.trim() !== "" && !l.startsWith("#"));
    expect(fields).toHaveLength(41);
    for (const line of fields) expect(line).toMatch(/^DCGM_FI_[A-Z0-9_]+, (gauge|counter|label), [^,\n][^\n]*$/);
    expect(fields).toContain("DCGM_FI_DEV_GPU_UTIL, gauge, GPU utilization (in %).");
    expect(new Set(fields.map((l) => l.split(",")[0])).size).toBe(41);
  });
});

describe("synthesized observability stack", () => {
  const secret = `grafana-secret-${process.pid}-${Date.now()}`;
  let outdir: string;
  let stacks: Record<string, string>;

  beforeAll(() => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), "sparky-obs-synth-"));
    const env = { GRAFANA_ADMIN_PASSWORD: secret, TF_VAR_GRAFANA_ADMIN_PASSWORD: secret };
    synthesize({ env, projectRoot: ROOT, outdir });
    stacks = {};
    for (const stack of fs.readdirSync(path.join(outdir, "stacks")))
      stacks[stack] = fs.readFileSync(path.join(outdir, "stacks", stack, "cdk.tf.json"), "utf8");
  });
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test("the Grafana admin password never appears in synthesized output; it is a sensitive variable", () => {
    const walk = (dir: string): string[] =>
      fs
        .readdirSync(dir, { withFileTypes: true })
        .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
    for (const f of walk(outdir)) expect(fs.readFileSync(f, "utf8").includes(secret)).toBe(false);
    const tf = JSON.parse(stacks["local-observability"]);
    expect(tf.variable.GRAFANA_ADMIN_PASSWORD).toEqual(expect.objectContaining({ sensitive: true }));
    const grafana = Object.values(tf.resource.docker_container as Record<string, any>).find((c) => c.name === "local-obs-grafana");
    expect(grafana.env).toEqual(
      expect.arrayContaining([
        "GF_USERS_ALLOW_SIGN_UP=false",
        "GF_ANALYTICS_REPORTING_ENABLED=false",
        "GF_INSTALL_PLUGINS=redis-datasource",
        "GF_SECURITY_ADMIN_PASSWORD=${var.GRAFANA_ADMIN_PASSWORD}",
      ]),
    );
    expect(grafana.env.filter((e: string) => e.startsWith("GF_SECURITY_ADMIN_PASSWORD="))).toHaveLength(1);
  });

  test("config files are uploads into the containers; the local DCGM stand-in serves the uploaded CSV", () => {
    const tf = JSON.parse(stacks["local-observability"]);
    const containers = Object.values(tf.resource.docker_container as Record<string, any>);
    const byName = (n: string) => containers.find((c) => c.name === n);
    const uploads = (n: string) =>
      byName(n)
        .upload.map((u: any) => u.file)
        .sort();
    expect(uploads("local-obs-prometheus")).toEqual(["/etc/prometheus/prometheus.yml", "/etc/prometheus/rules/dgx-pixels.yml"]);
    expect(uploads("local-obs-grafana")).toHaveLength(8);
    expect(uploads("local-obs-dcgm-exporter")).toEqual([DCGM_COUNTERS_PATH]);
    expect(byName("local-obs-dcgm-exporter").env).toContain(`STANDIN_METRICS_FILE=${DCGM_COUNTERS_PATH}`);
    expect(byName("local-obs-dcgm-exporter").upload[0].content).toBe(renderDcgmCsv());
  });
});
