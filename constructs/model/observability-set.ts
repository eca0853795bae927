import { DCGM_COUNTERS_PATH } from "./dcgm-counters";
import type { HostSpec } from "./deployment";
import type { Project } from "./project";
import { ServiceSchema, ServiceSpec } from "./services";

export { OBSERVABILITY_NETWORK } from "./observability-ports";

/** Owner prefix of the host set's containers: "<host>-obs-prometheus". */
export const observabilityOwner = (hostName: string) => `${hostName}-obs`;

/** Project id of the host's own observability set in scrape job names and labels ("host-prometheus"). */
export const HOST_PROJECT = "host";

/** Metrics of Prometheus itself that the generated dashboards and rules may use. */
export const PROMETHEUS_EXPOSES = [
  "prometheus_build_info",
  "prometheus_tsdb_head_series",
  "prometheus_rule_evaluation_failures_total",
  "prometheus_rule_group_last_duration_seconds",
  "prometheus_target_scrapes_exceeded_sample_limit_total",
];

/** node-exporter series the generated dashboards and rules may use (all served by its default collectors). */
export const NODE_EXPORTER_EXPOSES = [
  "node_memory_MemTotal_bytes",
  "node_memory_MemAvailable_bytes",
  "node_filesystem_avail_bytes",
  "node_filesystem_size_bytes",
  "node_cpu_seconds_total",
  "node_boot_time_seconds",
  "node_load1",
  "node_network_receive_bytes_total",
  "node_network_transmit_bytes_total",
  "node_uname_info",
];

/** The reference compose's healthcheck timings for the set (node-exporter sets no start period). */
const REFERENCE_TIMINGS = { interval: "30s", timeout: "10s", startPeriod: "10s", retries: 3 };

const wgetSpider = (url: string) => ["CMD", "wget", "--spider", "-q", url];

/**
 * The node job keeps the reference's node_(cpu|memory|disk|network|filesystem) series, plus the boot time and load
 * that the health dashboards' uptime and load panels read (the reference's own uptime panel read a series its filter
 * dropped), and node_uname_info, whose nodename names the node on a cluster's dashboards.
 */
export const NODE_KEEP = "node_(cpu|memory|disk|network|filesystem|boot_time|load|uname).*";

/** Memory limits of the set, so a host's memory budget counts it (none is large). */
export const OBSERVABILITY_MEMORY: Readonly<Record<string, string>> = {
  prometheus: "2g",
  grafana: "1g",
  "node-exporter": "256m",
  "dcgm-exporter": "1g",
};

/**
 * Whether the host runs the DCGM exporter: on GPU hosts, and on CPU hosts where a placed project still requests a
 * GPU (a target with allowGpuDowngrade; locally the exporter is a stand-in serving the counters file).
 */
export function hostRunsDcgm(host: HostSpec, projects?: readonly Project[]): boolean {
  if (host.gpus) return true;
  return (projects ?? []).some((p) => host.projects.includes(p.id) && Object.values(p.services).some((s) => s.gpu !== undefined));
}

/**
 * The observability services one host runs for all its projects, as model services, so port collisions and
 * GPU checks treat them like any other service. `projects` (the models of the projects placed on the host)
 * only decides whether a CPU host still gets the DCGM exporter; see hostRunsDcgm.
 */
export function hostObservabilityServices(hostName: string, host: HostSpec, projects?: readonly Project[]): Record<string, ServiceSpec> {
  const bind = host.publicObservability && host.publicAddress ? host.publicAddress : "127.0.0.1";
  const published = host.observabilityPorts ?? {};
  const dcgm = hostRunsDcgm(host, projects);
  const services: Record<string, unknown> = {
    prometheus: {
      role: "observability",
      description: `Prometheus for every project on ${hostName}`,
      image: { ref: "prom/prometheus:v2.48.0" },
      command: [
        "--config.file=/etc/prometheus/prometheus.yml",
        "--storage.tsdb.path=/prometheus",
        "--storage.tsdb.retention.time=30d",
        "--storage.tsdb.retention.size=50GB",
        "--web.console.libraries=/usr/share/prometheus/console_libraries",
        "--web.console.templates=/usr/share/prometheus/consoles",
      ],
      // Not --web.enable-lifecycle: a changed config replaces the container (its files are uploaded), so no reload
      // endpoint is needed, and that endpoint would let any container on the shared network stop Prometheus.
      // Its config is uploaded before it starts, which a read-only root filesystem would refuse.
      capDrop: ["ALL"],
      ports: [{ container: 9090, host: published.prometheus, bind, description: "Prometheus UI and API" }],
      volumes: [{ volume: "prometheus-data", target: "/prometheus" }],
      healthcheck: {
        ...REFERENCE_TIMINGS,
        test: wgetSpider("http://localhost:9090/-/healthy"),
        probe: { http: { port: 9090, path: "/-/healthy" } },
      },
      dependsOn: dcgm ? [{ service: "dcgm-exporter", condition: "started" }] : [],
      metrics: { port: 9090, interval: "30s", exposes: PROMETHEUS_EXPOSES, labels: { component: "monitoring" } },
    },
    grafana: {
      role: "observability",
      description: `Grafana dashboards for every project on ${hostName}`,
      image: { ref: "grafana/grafana:10.2.2" },
      ports: [{ container: 3000, host: published.grafana, bind, description: "Grafana UI" }],
      env: {
        GF_SECURITY_ADMIN_USER: "admin",
        GF_USERS_ALLOW_SIGN_UP: "false",
        GF_INSTALL_PLUGINS: "redis-datasource",
        GF_SERVER_ROOT_URL: `http://${bind === "127.0.0.1" ? "localhost" : bind}:${published.grafana ?? 3000}`,
        GF_ANALYTICS_REPORTING_ENABLED: "false",
        GF_ANALYTICS_CHECK_FOR_UPDATES: "false",
      },
      // Grafana reads any setting from the file its `__FILE` variant names (a swarm mounts the password as a secret).
      secretEnv: [{ name: "GF_SECURITY_ADMIN_PASSWORD", from: "GRAFANA_ADMIN_PASSWORD", file: "GF_SECURITY_ADMIN_PASSWORD__FILE" }],
      capDrop: ["ALL"],
      volumes: [{ volume: "grafana-data", target: "/var/lib/grafana" }],
      healthcheck: {
        ...REFERENCE_TIMINGS,
        test: wgetSpider("http://localhost:3000/api/health"),
        probe: { http: { port: 3000, path: "/api/health" } },
      },
      dependsOn: [{ service: "prometheus", condition: "started" }],
    },
    "node-exporter": {
      role: "observability",
      description: `Host metrics of ${hostName}`,
      image: { ref: "prom/node-exporter:v1.7.0" },
      command: ["--path.rootfs=/host", "--collector.filesystem.mount-points-exclude=^/(sys|proc|dev|host|etc)($|/)"],
      ports: [{ container: 9100, host: published["node-exporter"], bind, description: "node metrics" }],
      volumes: [{ hostPath: "/", target: "/host", readOnly: true, propagation: "rslave" }],
      readOnlyRootfs: true,
      capDrop: ["ALL"],
      healthcheck: {
        ...REFERENCE_TIMINGS,
        startPeriod: "0s",
        test: wgetSpider("http://localhost:9100/metrics"),
        probe: { http: { port: 9100, path: "/metrics" } },
      },
      metrics: { port: 9100, exposes: NODE_EXPORTER_EXPOSES, labels: { component: "system", os: "linux" }, keep: NODE_KEEP },
    },
  };
  if (dcgm)
    services["dcgm-exporter"] = {
      role: "observability",
      description: `GPU metrics of ${hostName}`,
      image: { ref: "nvcr.io/nvidia/k8s/dcgm-exporter:3.1.7-3.1.4-ubuntu22.04" },
      ports: [{ container: 9400, host: published["dcgm-exporter"], bind, description: "DCGM metrics" }],
      env: { DCGM_EXPORTER_LISTEN: ":9400", DCGM_EXPORTER_KUBERNETES: "false", DCGM_EXPORTER_COLLECTORS: DCGM_COUNTERS_PATH },
      gpu: { capabilities: ["gpu", "utility"] },
      healthcheck: {
        ...REFERENCE_TIMINGS,
        test: ["CMD", "curl", "-f", "http://localhost:9400/metrics"],
        probe: { http: { port: 9400, path: "/metrics" } },
      },
      // Its series are the fields of the counters file (dcgm-counters.ts), uploaded to DCGM_COUNTERS_PATH.
      metrics: {
        port: 9400,
        exposes: [],
        labels: { component: "gpu" },
        relabel: [
          { from: "gpu", to: "gpu_id", regex: "(\\d+)", replacement: "gpu_${1}" },
          { from: "UUID", to: "gpu_uuid" },
        ],
      },
    };
  for (const [name, memory] of Object.entries(OBSERVABILITY_MEMORY))
    if (services[name]) (services[name] as { memory?: string }).memory = memory;
  return Object.fromEntries(Object.entries(services).map(([name, s]) => [name, ServiceSchema.parse(s)]));
}

/** Volumes of the host set; metrics history and dashboards survive a destroy. */
export const OBSERVABILITY_VOLUMES = { "prometheus-data": { keep: true }, "grafana-data": { keep: true } } as const;
