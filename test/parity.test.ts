// The production target's two stacks read like the reference compose, plus documented decisions only. Both stacks
// are synthesized for the dgx target (with the dev profile, so the dev container is compared too), then every field
// the reference sets is compared with what the stacks render: each difference must be listed below with the
// decision that explains it, and every listed difference must still exist.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { DEFAULT_CONFIG } from "../config/default-config";
import { blueprints } from "../blueprints";
import { durationSeconds, sizeInMiB } from "../constructs/model";
import { synthesize } from "../stacks/synthesize";
import { REPO_ROOT } from "../tools/engine/toolchain";
import * as reference from "./fixtures/reference/dgx-pixels-compose";
import type { ReferenceService } from "./fixtures/reference/dgx-pixels-compose";
import { readStackConfig } from "../tools/engine/variables";

/** Differences, by `<where>.<field>`, and the decisions (their "Differs from compose (…)" tag or opening words) that explain them. */
const DECIDED: Record<string, string[]> = {
  ...Object.fromEntries(
    ["comfyui", "backend-worker", "mcp-server", "dgx-pixels-dev", "dcgm-exporter", "prometheus", "grafana", "node-exporter"].map((s) => [
      `${s}.ports`,
      ["Differs from compose (ports)"],
    ]),
  ),
  "comfyui.gpu": ["Differs from compose (gpu)"],
  "backend-worker.gpu": ["Differs from compose (gpu)"],
  "comfyui.memory": ["Differs from compose (memory)"],
  "backend-worker.memory": ["Differs from compose (memory)"],
  "mcp-server.memory": ["Differs from compose (memory)"],
  "comfyui.stopGrace": ["Differs from compose (runtime)"],
  "backend-worker.stopGrace": ["Differs from compose (runtime)"],
  "comfyui.shmSize": ["Differs from compose (shm)"],
  "comfyui.volumes": ["Differs from compose (shm)"],
  "dgx-pixels-dev.volumes": ["Differs from compose (shm)"],
  "comfyui.networks": ["Differs from compose (networks)"],
  "backend-worker.networks": ["Differs from compose (networks)"],
  ...Object.fromEntries(
    ["dcgm-exporter", "prometheus", "grafana", "node-exporter"].flatMap((s) => [
      [`${s}.containerName`, ["Differs from compose (observability set)"]],
      [`${s}.networks`, ["Differs from compose (observability set)"]],
      [`${s}.securityOpt`, ["Differs from compose (runtime)"]],
      [`${s}.memory`, ["Differs from compose (observability memory)"]],
    ]),
  ),
  "prometheus.dependsOn": ["Differs from compose (observability set)"],
  "prometheus.command": ["Differs from compose (prometheus)"],
  "grafana.environment.GF_SECURITY_ADMIN_PASSWORD": ["Differs from compose (grafana)"],
  "dcgm-exporter.environment.DCGM_EXPORTER_COLLECTORS": ["Differs from compose (config files)"],
  "dcgm-exporter.volumes": ["Differs from compose (config files)"],
  "prometheus.volumes": ["Differs from compose (config files)", "Differs from compose (observability set)"],
  "grafana.volumes": ["Differs from compose (config files)", "Differs from compose (observability set)"],
  "volumes.dgx-pixels-prometheus-data": ["Differs from compose (observability set)"],
  "volumes.dgx-pixels-grafana-data": ["Differs from compose (observability set)"],
  "prometheus.yml.externalLabels": ["Differs from compose (prometheus.yml)"],
  "prometheus.yml.alertmanagers": ["Differs from compose (prometheus.yml)"],
  "prometheus.yml.ruleFiles": ["Differs from compose (prometheus.yml)"],
  ...Object.fromEntries(
    ["dcgm", "dgx-pixels-backend", "comfyui", "node", "prometheus"].map((j) => [`job.${j}.target`, ["Scrape jobs are named"]]),
  ),
  "job.dcgm.labels": ["Scrape relabelling as in prometheus.yml"],
  "job.dcgm.relabel": ["Scrape relabelling as in prometheus.yml"],
  "job.node.relabel": ["The node job's keep filter"],
  "job.zmq-worker": ["prometheus.yml's zmq-worker job"],
  "alert.ComfyUIDown.expr": ["Scrape jobs are named"],
  "alert.DiskSpaceLow.expr": ["DiskSpaceLow/DiskSpaceCritical"],
  "alert.DiskSpaceCritical.expr": ["DiskSpaceLow/DiskSpaceCritical"],
  "dashboard.dgx-pixels-health.Backend Status": ["Scrape jobs are named"],
  "dashboard.dgx-pixels-health.ComfyUI Status": ["Scrape jobs are named"],
  "dashboard.dgx-pixels-health.DCGM Exporter Status": ["Scrape jobs are named"],
  "dashboard.dgx-pixels-health.Disk Space Usage": ["DiskSpaceLow/DiskSpaceCritical"],
};

/** The blueprint's bind mounts live under /srv/dgx-pixels on the DGX, where compose wrote `..` (and PROJECT_ROOT). */
const ROOT = "/srv/dgx-pixels";
const BIND_PATHS = "Differs from compose (bind paths)";
const dgxPixels = blueprints.find((b) => b.id === "dgx-pixels")!;
const fromRoot = (text: string) => text.split(ROOT).join("..");

type Tf = { resource: Record<string, Record<string, any>> };

function synthDgx(): Record<string, Tf> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sparky-parity-"));
  try {
    // The dev profile is compared too; with it the Spark's memory budget is over-committed (checked elsewhere), so this
    // copy of the config declares no memory.
    const config = structuredClone(DEFAULT_CONFIG) as any;
    config.targets.dgx.profiles = ["dev"];
    delete config.hosts.dgx.memory;
    fs.writeFileSync(path.join(dir, "config.json"), JSON.stringify(config));
    synthesize({ env: { SPARKY_TARGET: "dgx", SPARKY_CONFIG: path.join(dir, "config.json") }, projectRoot: REPO_ROOT, outdir: dir });
    return Object.fromEntries(
      ["dgx-pixels-services", "dgx-observability"].map((s) => [
        s,
        readStackConfig(path.join(dir, "stacks", s)) as Tf,
      ]),
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const envOf = (list: string[] = []) => Object.fromEntries(list.map((e) => [e.slice(0, e.indexOf("=")), e.slice(e.indexOf("=") + 1)]));
const size = (mib: number | undefined) => (mib === undefined ? undefined : `${mib}MiB`);
const refSize = (text: string | undefined) => (text === undefined ? undefined : `${sizeInMiB(text)}MiB`);
const seconds = (d: string) => durationSeconds(d.replace(/(\d+)m0s$/, "$1m"));
const oneLine = (expr: string) => expr.replace(/\s+/g, " ").trim();

/** What the reference's fields mean after the NVIDIA runtime read the device request: its capabilities as env. */
function effectiveReference(ref: ReferenceService) {
  const caps = ref.gpu?.capabilities.filter((c) => c !== "gpu").join(",");
  const environment: Record<string, string> = { ...(caps ? { NVIDIA_DRIVER_CAPABILITIES: caps } : {}), ...ref.environment };
  return { ...ref, environment, gpu: ref.gpu ? `${ref.gpu.count}:${environment.NVIDIA_DRIVER_CAPABILITIES ?? ""}` : undefined };
}

/** The same fields, read from a synthesized container. */
function rendered(tf: Tf, key: string, networks: Record<string, string>) {
  const c = tf.resource.docker_container[key];
  const image = tf.resource.docker_image[key];
  const containers = tf.resource.docker_container;
  const env = envOf(c.env);
  const hc = c.healthcheck;
  return {
    containerName: c.name,
    hostname: c.hostname,
    aliases: c.networks_advanced[0].aliases,
    image: image.name,
    dockerfile: image.build?.dockerfile,
    ports: c.ports.map((p: any) => `${p.ip}:${p.external}:${p.internal}`),
    gpu: c.gpus ? `all:${env.NVIDIA_DRIVER_CAPABILITIES ?? ""}` : undefined,
    environment: env,
    command: c.command,
    workingDir: c.working_dir,
    dependsOn: Object.fromEntries(
      (c.depends_on ?? []).map((d: string) => [d.split(".")[1], containers[d.split(".")[1]].wait ? "healthy" : "started"]),
    ),
    volumes: [
      ...c.volumes.map((v: any) => `${fromRoot(v.volume_name ?? v.host_path)}:${v.container_path}:${v.read_only ? "ro" : "rw"}`),
      ...c.mounts.map((m: any) => `${m.source}:${m.target}:${m.read_only ? "ro" : "rw"},${m.bind_options.propagation}`),
    ],
    healthcheck: {
      test: hc.test,
      interval: seconds(hc.interval),
      timeout: seconds(hc.timeout),
      retries: hc.retries,
      startPeriod: seconds(hc.start_period),
    },
    restart: c.restart,
    securityOpt: c.security_opts ?? [],
    memory: size(c.memory),
    shmSize: size(c.shm_size),
    stopGrace: c.destroy_grace_seconds,
    interactive: c.tty === true && c.stdin_open === true ? true : undefined,
    networks: c.networks_advanced.map((n: any) => networks[n.name] ?? n.name),
  };
}

function compareService(name: string, ref: ReferenceService, ours: ReturnType<typeof rendered>, diffs: Set<string>): void {
  const r = effectiveReference(ref);
  const expected: Record<string, unknown> = {
    containerName: r.containerName,
    hostname: r.hostname,
    aliases: [name],
    image: r.image,
    dockerfile: r.dockerfile,
    ports: r.ports,
    gpu: r.gpu,
    command: r.command,
    workingDir: r.workingDir,
    dependsOn: r.dependsOn,
    volumes: r.volumes,
    healthcheck: {
      ...r.healthcheck,
      interval: seconds(r.healthcheck.interval),
      timeout: seconds(r.healthcheck.timeout),
      startPeriod: seconds(r.healthcheck.startPeriod),
    },
    restart: r.restart,
    securityOpt: r.securityOpt,
    memory: refSize(r.memory),
    shmSize: refSize(r.shmSize),
    stopGrace: 10, // compose's default stop_grace_period
    interactive: r.interactive,
    networks: r.networks,
  };
  for (const [field, value] of Object.entries(expected))
    if (JSON.stringify(value) !== JSON.stringify((ours as Record<string, unknown>)[field])) diffs.add(`${name}.${field}`);
  for (const key of new Set([...Object.keys(r.environment), ...Object.keys(ours.environment)]))
    if (r.environment[key] !== ours.environment[key]) diffs.add(`${name}.environment.${key}`);
}

describe("the dgx target's stacks against the reference compose", () => {
  const stacks = synthDgx();
  const services = stacks["dgx-pixels-services"];
  const observability = stacks["dgx-observability"];
  const networks = {
    "${docker_network.dgx-pixels-net.name}": "dgx-pixels-net",
    "${docker_network.sparky-observability.name}": "sparky-observability",
  };
  const upload = (file: string) =>
    observability.resource.docker_container.prometheus.upload
      .concat(observability.resource.docker_container.grafana.upload)
      .find((u: any) => u.file === file).content as string;
  const diffs = new Set<string>();

  test("services, volumes and network: every difference is decided", () => {
    for (const [name, ref] of Object.entries(reference.APP_SERVICES)) compareService(name, ref, rendered(services, name, networks), diffs);
    for (const [name, ref] of Object.entries(reference.OBSERVABILITY_SERVICES))
      compareService(name, ref, rendered(observability, name, networks), diffs);
    const ours: Record<string, { device?: string }> = Object.fromEntries(
      Object.entries(dgxPixels.volumes ?? {}).map(([n, v]) => [
        `dgx-pixels-${n}`,
        v.hostPath ? { device: v.hostPath.replace(ROOT, "${PROJECT_ROOT}") } : {},
      ]),
    );
    for (const v of Object.values(observability.resource.docker_container).flatMap((c: any) => c.volumes ?? []))
      if (v.volume_name) ours[v.volume_name] = {};
    for (const [name, v] of Object.entries(reference.VOLUMES))
      if (JSON.stringify(ours[name]) !== JSON.stringify(v)) diffs.add(`volumes.${name}`);
    const network = Object.values(services.resource.docker_network)[0] as any;
    expect({ name: network.name, subnet: network.ipam_config[0].subnet }).toEqual(reference.NETWORK);
  });

  test("prometheus.yml and its scrape jobs: every difference is decided", () => {
    const config = parseYaml(upload("/etc/prometheus/prometheus.yml"));
    const g = reference.PROMETHEUS_GLOBAL;
    expect([config.global.scrape_interval, config.global.scrape_timeout, config.global.evaluation_interval]).toEqual([
      g.scrapeInterval,
      g.scrapeTimeout,
      g.evaluationInterval,
    ]);
    if (JSON.stringify(config.global.external_labels) !== JSON.stringify(g.externalLabels)) diffs.add("prometheus.yml.externalLabels");
    if (!config.alerting) diffs.add("prometheus.yml.alertmanagers");
    if (JSON.stringify(config.rule_files) !== JSON.stringify(g.ruleFiles)) diffs.add("prometheus.yml.ruleFiles");
    const JOBS: Record<string, string | undefined> = {
      dcgm: "host-dcgm-exporter",
      "dgx-pixels-backend": "dgx-pixels-backend-worker",
      comfyui: "dgx-pixels-comfyui",
      node: "host-node-exporter",
      prometheus: "host-prometheus",
      "zmq-worker": undefined,
    };
    for (const [refName, ref] of Object.entries(reference.SCRAPE_JOBS)) {
      const job = config.scrape_configs.find((j: any) => j.job_name === JOBS[refName]);
      if (!job) {
        diffs.add(`job.${refName}`);
        continue;
      }
      const sc = job.static_configs[0];
      const relabel = (job.metric_relabel_configs ?? []).map((r: any) =>
        r.action === "keep"
          ? `keep:${r.regex}`
          : [`${r.source_labels[0]}→${r.target_label}`, r.regex, r.replacement].filter(Boolean).join(" "),
      );
      const ours = {
        target: sc.targets[0],
        interval: job.scrape_interval,
        timeout: job.scrape_timeout,
        path: job.metrics_path,
        labels: Object.fromEntries(Object.keys(ref.labels).map((k) => [k, sc.labels[k]])),
        honorLabels: job.honor_labels === true,
        relabel,
      };
      for (const [field, value] of Object.entries(ref))
        if (JSON.stringify(value) !== JSON.stringify((ours as Record<string, unknown>)[field])) diffs.add(`job.${refName}.${field}`);
    }
  });

  test("alert rules: every difference is decided", () => {
    const groups = parseYaml(upload("/etc/prometheus/rules/dgx-pixels.yml")).groups;
    expect(groups.map((x: any) => [x.name, x.interval])).toEqual(reference.ALERT_GROUPS.map((x) => [x.name, x.interval]));
    for (const group of reference.ALERT_GROUPS) {
      const rules = groups.find((x: any) => x.name === group.name).rules;
      expect(rules.map((r: any) => r.alert)).toEqual(group.rules.map((r) => r[0]));
      for (const [alert, expr, forDuration, severity, component, category] of group.rules) {
        const rule = rules.find((r: any) => r.alert === alert);
        expect([alert, rule.for, rule.labels.severity, rule.labels.component, rule.labels.category]).toEqual([
          alert,
          forDuration,
          severity,
          component,
          category,
        ]);
        if (oneLine(rule.expr) !== expr) diffs.add(`alert.${alert}.expr`);
      }
    }
  });

  test("dashboards: every difference is decided", () => {
    for (const [uid, ref] of Object.entries(reference.DASHBOARDS)) {
      const d = JSON.parse(upload(`/etc/grafana/provisioning/dashboards/projects/dgx-pixels/${uid}.json`));
      expect([d.title, d.refresh, d.tags, d.time.from]).toEqual([ref.title, ref.refresh, ref.tags, ref.time]);
      expect(d.templating.list.map((v: any) => `${v.name}=${v.definition}`)).toEqual(ref.variables);
      expect(d.panels.map((p: any) => [p.title, p.type])).toEqual(ref.panels.map(([title, type]) => [title, type]));
      for (const [title, , queries] of ref.panels) {
        const panel = d.panels.find((p: any) => p.title === title);
        if (JSON.stringify(panel.targets.map((t: any) => t.expr)) !== JSON.stringify(queries)) diffs.add(`dashboard.${uid}.${title}`);
      }
    }
  });

  test("the differences found are exactly the decided ones, and each names a decision of the blueprint", () => {
    const decisions = dgxPixels.decisions ?? [];
    expect([...diffs].sort()).toEqual(Object.keys(DECIDED).sort());
    for (const [key, tags] of Object.entries({ ...DECIDED, "bind paths (compared as compose wrote them)": [BIND_PATHS] }))
      for (const tag of tags) expect({ key, decided: decisions.some((d) => d.startsWith(tag)) }).toEqual({ key, decided: true });
  });
});
