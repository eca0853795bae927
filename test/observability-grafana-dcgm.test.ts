// Grafana's and DCGM's part of the observability set, from the model: provisioning (datasource, dashboard folders,
// every panel query against the host's metrics and jobs, Sparky panels only with sparky on the host), the DCGM
// counters CSV, and the synthesized observability stack (admin password only as a sensitive variable, config
// files uploaded into the containers). Prometheus and the alert rules are in observability-prometheus.test.ts.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { blueprints, dgxPixels } from "../blueprints";
import { hostMetricNames } from "../constructs/model/checks/observability";
import { DCGM_COUNTER_GROUPS, DCGM_COUNTERS_PATH, dcgmCounters } from "../constructs/model/dcgm-counters";
import { promqlReferences } from "../constructs/model/promql";
import { dashboards, observabilityFiles, renderDcgmCsv } from "../constructs/observability";
import { synthesize } from "../stacks/synthesize";
import { hostOf, jobsOf } from "./support/resolved-host";
import { readStackConfig } from "../tools/engine/variables";

const ROOT = path.resolve(__dirname, "..");

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
      stacks[stack] = JSON.stringify(readStackConfig(path.join(outdir, "stacks", stack)), null, 2);
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
