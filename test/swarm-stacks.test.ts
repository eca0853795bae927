// The stacks of a cluster target, asserted on what they synthesize: swarm services in the form kreuzwerker/docker
// 3.6.2 reads back, images and volumes on the nodes that need them, secrets and configs as files, the loopback proxy,
// and Prometheus discovering every task by DNS.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { renderProxyConfig, swarmDuration } from "../constructs/swarm";
import { synthesize } from "../stacks/synthesize";
import { PAIR_TARGET, sparkPairConfig } from "../support/swarm-config";
import { REPO_ROOT } from "../tools/engine/toolchain";
import { readStackConfig } from "../tools/engine/variables";

type Json = Record<string, any>;
let stacks: Record<string, Json> = {};
let outdir = "";

beforeAll(() => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), "sparky-swarm-synth-"));
  const config = path.join(outdir, "pair.json");
  fs.writeFileSync(config, JSON.stringify(sparkPairConfig(path.join(outdir, "state"))));
  synthesize({ env: { SPARKY_CONFIG: config, SPARKY_TARGET: PAIR_TARGET }, projectRoot: REPO_ROOT, outdir });
  for (const name of fs.readdirSync(path.join(outdir, "stacks")))
    stacks[name] = readStackConfig(path.join(outdir, "stacks", name));
});
afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

const service = (stack: string, name: string) => stacks[stack].resource.docker_service[name];
const labels = (list: { label: string; value: string }[]) => Object.fromEntries(list.map((l) => [l.label, l.value]));

test("the same stack names as on single hosts, the observability stack named after the cluster", () => {
  expect(Object.keys(stacks).sort()).toEqual([
    "dgx-pixels-github",
    "dgx-pixels-services",
    "pair-observability",
    "sparky-github",
    "sparky-services",
  ]);
});

test("one provider per node a stack reaches: the manager's by default, an alias for another node only where it holds something", () => {
  expect(stacks["dgx-pixels-services"].provider.docker.map((p: Json) => p.alias ?? "default")).toEqual(["default"]);
  expect(stacks["sparky-services"].provider.docker).toEqual([
    { host: "ssh://ubuntu@spark-1", ssh_opts: expect.any(Array) },
    { alias: "spark-2", host: "ssh://ubuntu@spark-2", ssh_opts: expect.any(Array) },
  ]);
  // Ollama runs on sparky's home node only (its models are kept there); the model pull may run on either node, so its
  // image is on both.
  const images = stacks["sparky-services"].resource.docker_image;
  expect(images["ollama_spark-2"]).toMatchObject({ name: "ollama/ollama:0.12.6", platform: "linux/arm64", provider: "docker.spark-2" });
  expect(
    Object.keys(images)
      .filter((k) => k !== "loopback-proxy")
      .sort(),
  ).toEqual(["ollama_spark-2", "pull-model_spark-1", "pull-model_spark-2"]);
  expect(images["pull-model_spark-1"].provider).toBeUndefined();
});

test("a swarm service in the form the provider reads back: args, durations, mounts, restart and update policies, DNS round robin", () => {
  const comfyui = service("dgx-pixels-services", "comfyui");
  const spec = comfyui.task_spec.container_spec;
  expect(comfyui.name).toBe("dgx-pixels-comfyui");
  expect(spec.args).toEqual(["python", "main.py", "--listen", "0.0.0.0", "--port", "8188"]);
  expect(spec.command).toBeUndefined();
  expect(spec.healthcheck).toEqual({
    test: ["CMD", "curl", "-f", "http://localhost:8188/system_stats"],
    interval: "30s",
    timeout: "10s",
    start_period: "1m",
    retries: 3,
  });
  expect(spec.stop_grace_period).toBe("30s");
  expect(spec.mounts).toContainEqual({ type: "tmpfs", target: "/dev/shm", read_only: false });
  expect(spec.mounts).toContainEqual({
    type: "volume",
    target: "/workspace/models",
    source: "dgx-pixels-comfyui-models",
    read_only: false,
  });
  expect(comfyui.task_spec.placement.constraints).toEqual(["node.labels.gpu==true", "node.labels.sparky.host==spark-1"]);
  expect(comfyui.task_spec.resources).toEqual({
    limits: { memory_bytes: 80 * 2 ** 30 },
    reservation: { memory_bytes: 80 * 2 ** 30 },
  });
  expect(comfyui.task_spec.restart_policy).toEqual({ condition: "any", delay: "5s", max_attempts: 0, window: "0s" });
  expect(comfyui.update_config).toMatchObject({
    order: "stop-first",
    failure_action: "rollback",
    max_failure_ratio: "0.0",
    monitor: "40s",
  });
  expect(comfyui.endpoint_spec).toEqual({ mode: "dnsrr" });
  expect(comfyui.mode).toEqual({ replicated: { replicas: 1 } });
  expect(comfyui.converge_config).toEqual({ delay: "2s", timeout: "4m40s" });
  expect(comfyui.task_spec.log_driver).toEqual({ name: "json-file", options: { "max-size": "50m", "max-file": "3" } });
});

test("a built image is built on each node that may run it and rolls by its id; a pulled one is pinned by digest", () => {
  const comfyui = service("dgx-pixels-services", "comfyui").task_spec.container_spec;
  expect(comfyui.image).toBe("dgx-pixels-comfyui:latest");
  expect(labels(comfyui.labels)).toMatchObject({ "sparky.image.spark-1": "${docker_image.comfyui_spark-1.image_id}" });
  const built = stacks["dgx-pixels-services"].resource.docker_image["comfyui_spark-1"];
  expect(built.build).toMatchObject({ dockerfile: "docker/Dockerfile.comfyui", platform: "linux/arm64" });
  const ollama = service("sparky-services", "ollama").task_spec.container_spec;
  expect(ollama.image).toBe("${docker_image.ollama_spark-2.repo_digest}");
  expect(Object.keys(labels(ollama.labels))).toEqual(["sparky.owner", "sparky.service", "sparky.role"]);
});

test("secrets are Docker secrets named by their creation time, read through the application's _FILE variable", () => {
  const grafana = service("pair-observability", "grafana").task_spec.container_spec;
  expect(grafana.env.GF_SECURITY_ADMIN_PASSWORD__FILE).toBe("/run/secrets/GF_SECURITY_ADMIN_PASSWORD");
  expect(grafana.env.GF_SECURITY_ADMIN_PASSWORD).toBeUndefined();
  expect(grafana.secrets).toEqual([
    {
      secret_id: "${docker_secret.grafana_GF_SECURITY_ADMIN_PASSWORD.id}",
      secret_name: "${docker_secret.grafana_GF_SECURITY_ADMIN_PASSWORD.name}",
      file_name: "GF_SECURITY_ADMIN_PASSWORD",
    },
  ]);
  expect(stacks["pair-observability"].resource.docker_secret["grafana_GF_SECURITY_ADMIN_PASSWORD"]).toMatchObject({
    name: 'pair-obs-grafana-gf-security-admin-password-${replace(timestamp(), ":", "")}',
    data: "${base64encode(var.GRAFANA_ADMIN_PASSWORD)}",
    lifecycle: { ignore_changes: ["name"], create_before_destroy: true },
  });
  expect(stacks["pair-observability"].variable.GRAFANA_ADMIN_PASSWORD).toMatchObject({ sensitive: true });
});

test("a one-shot job is one task never restarted, labelled as a job, not converged by the provider (the deploy awaits its run)", () => {
  const pull = service("sparky-services", "pull-model");
  expect(pull.mode).toEqual({ replicated: { replicas: 1 } });
  expect(pull.task_spec.restart_policy).toMatchObject({ condition: "none" });
  expect(pull.converge_config).toBeUndefined();
  expect(labels(pull.labels)).toMatchObject({ "sparky.kind": "job" });
  expect(pull.depends_on).toEqual(["docker_service.ollama"]);
  expect(service("sparky-services", "ollama").converge_config).toBeDefined();
});

test("a scraped service joins the cluster's observability network by name, fixed at creation; its own network replaces it", () => {
  const backend = service("dgx-pixels-services", "backend-worker");
  expect(backend.task_spec.networks_advanced).toEqual([
    { name: "${docker_network.dgx-pixels-net.id}", aliases: ["backend-worker"] },
    { name: "sparky-observability" },
  ]);
  expect(backend.lifecycle).toEqual({
    ignore_changes: ["task_spec[0].networks_advanced"],
    replace_triggered_by: ["docker_network.dgx-pixels-net"],
  });
  expect(stacks["dgx-pixels-services"].resource.docker_network["dgx-pixels-net"]).toMatchObject({ driver: "overlay", attachable: true });
});

test("the cluster's monitoring: per-node exporters as global services named after their node, configs as Docker configs", () => {
  const nodeExporter = service("pair-observability", "node-exporter");
  expect(nodeExporter.mode).toEqual({ global: true });
  expect(nodeExporter.converge_config).toBeUndefined();
  expect(nodeExporter.task_spec.container_spec.hostname).toBe("{{.Node.Hostname}}");
  expect(nodeExporter.task_spec.container_spec.mounts).toEqual([
    { type: "bind", source: "/", target: "/host", read_only: true, bind_options: { propagation: "rslave" } },
  ]);
  const prometheus = service("pair-observability", "prometheus").task_spec.container_spec;
  expect(prometheus.configs.map((c: Json) => c.file_name)).toEqual([
    "/etc/prometheus/prometheus.yml",
    "/etc/prometheus/rules/dgx-pixels.yml",
  ]);
  const configs = stacks["pair-observability"].resource.docker_config;
  const config = configs["prometheus_etc-prometheus-prometheus-yml"];
  expect(config.name).toMatch(/^pair-obs-prometheus-[0-9a-f]{16}$/);
  expect(config.lifecycle).toEqual({ create_before_destroy: true });
  const yml = parseYaml(Buffer.from(config.data, "base64").toString("utf8"));
  const comfyui = yml.scrape_configs.find((j: Json) => j.job_name === "dgx-pixels-comfyui");
  expect(comfyui.dns_sd_configs).toEqual([{ names: ["tasks.dgx-pixels-comfyui"], type: "A", port: 8188, refresh_interval: "15s" }]);
  expect(comfyui.relabel_configs).toContainEqual({ target_label: "project", replacement: "dgx-pixels" });
  expect(yml.scrape_configs.every((j: Json) => j.static_configs === undefined)).toBe(true);
});

test("loopback ports are published by one proxy container on the manager, on 127.0.0.1 only", () => {
  const proxy = stacks["pair-observability"].resource.docker_container["loopback-proxy"];
  expect(proxy.name).toBe("pair-obs-loopback-proxy");
  expect(proxy.provider).toBeUndefined();
  expect(proxy.ports.map((p: Json) => `${p.ip}:${p.external}->${p.internal}`)).toEqual([
    "127.0.0.1:9090->9090",
    "127.0.0.1:3000->3000",
    "127.0.0.1:9100->9100",
    "127.0.0.1:9400->9400",
  ]);
  expect(proxy.networks_advanced).toEqual([{ name: "${docker_network.sparky-observability.name}" }]);
  expect(proxy.upload[0].content).toContain("server-template task 1-1 pair-obs-prometheus:9090 resolvers swarm init-addr none check");
  expect(Object.values(stacks["pair-observability"].resource.docker_service).every((s: any) => !s.endpoint_spec.ports)).toBe(true);
});

test("durations as docker_service reads them back", () => {
  expect(["30s", "60s", "90s", "3600s", "0s"].map(swarmDuration)).toEqual(["30s", "1m", "1m30s", "1h", "0s"]);
  expect(renderProxyConfig([])).toMatch(/^# Generated by sparky-infra.*\nresolvers swarm\n  nameserver docker 127\.0\.0\.11:53/s);
});
