import { isOneShot, isScheduled } from "../model";
import type { ProbeSpec, ResolvedBuild, ResolvedService, ResolvedServiceSpec } from "../model";
import { DCGM_COUNTERS_PATH } from "../model/dcgm-counters";

/** What the container actually runs on a given target. */
export interface ResolvedImage {
  name: string;
  /** Built from the project's checkout (the context is an absolute directory of the deploying machine). */
  build?: ResolvedBuild;
  /** Replaces the production healthcheck command (stand-ins cannot run it). */
  healthcheckTest?: string[];
  /** Added to the container's env, e.g. to tell a stand-in which ports and metrics to serve. */
  env: Record<string, string>;
  /** Replaces the production command when the image needs other arguments. */
  command?: string[];
  /** A scheduled job: the command line its crontab runs in this image. */
  jobCommand?: string[];
  /** A scheduled job whose image still needs supercronic added (a production image). */
  addScheduler?: boolean;
}

export type ImageSet = "production" | "local";

export function productionImage({ spec, build }: Pick<ResolvedService, "spec" | "build">): ResolvedImage {
  const image: ResolvedImage = "ref" in spec.image ? { name: spec.image.ref, env: {} } : { name: spec.image.tag, build, env: {} };
  return isScheduled(spec) ? { ...image, jobCommand: spec.command ?? [], addScheduler: true } : image;
}

/** Tags built by scripts/build-local-images.sh from Debian packages and a static stand-in binary. */
export const LOCAL_IMAGES = {
  prometheus: "sparky-local/prometheus:dev",
  nodeExporter: "sparky-local/node-exporter:dev",
  standin: "sparky-local/standin:dev",
  postgres: "sparky-local/postgres:dev",
  /** Debian's HAProxy: the loopback proxy of a swarm's services (constructs/swarm/loopback-proxy.ts). */
  haproxy: "sparky-local/haproxy:dev",
  scheduler: "sparky-local/scheduler:dev",
} as const;

/** The stand-in's own commands (images/standin): `ollama pull` speaks Ollama's pull API, `job` stands in for any run. */
const STANDIN = "/bin/standin";

/** Where Ollama keeps its models when OLLAMA_MODELS is unset (it runs as root: /root/.ollama/models). */
const OLLAMA_MODELS = "/root/.ollama/models";

const probeUrl = (probe: ProbeSpec): string =>
  "http" in probe ? `http://127.0.0.1:${probe.http.port}${probe.http.path}` : `tcp://127.0.0.1:${probe.tcp.port}`;

/**
 * Local images for machines that cannot pull: the real Prometheus, node-exporter and PostgreSQL from Debian, and a
 * stand-in that serves the service's ports, health endpoints and declared metrics for everything else.
 */
export function localImage(spec: ResolvedServiceSpec): ResolvedImage {
  const reference = "ref" in spec.image ? spec.image.ref : spec.image.tag;
  const repository = reference.split("@")[0].replace(/:[^/]+$/, "");
  const ollama = repository === "ollama" || repository.endsWith("/ollama");
  // A scheduled job: supercronic, a shell and the stand-in, which runs in place of the job's command.
  if (isScheduled(spec)) return { name: LOCAL_IMAGES.scheduler, env: {}, jobCommand: [STANDIN, "job", ...(spec.command ?? [])] };
  // A one-shot job: Ollama's `pull` against the stand-in Ollama, or the stand-in's job that reports what it runs.
  if (isOneShot(spec))
    return {
      name: LOCAL_IMAGES.standin,
      env: {},
      command: ollama && spec.command?.[0] === "pull" ? ["ollama", ...spec.command] : ["job", ...(spec.command ?? [])],
    };
  const probe = spec.healthcheck?.probe;
  const healthcheckTest = probe ? ["CMD", "/bin/probe", probeUrl(probe)] : undefined;

  if (repository.endsWith("prometheus")) return { name: LOCAL_IMAGES.prometheus, healthcheckTest, env: {} };
  if (repository.endsWith("node-exporter")) return { name: LOCAL_IMAGES.nodeExporter, healthcheckTest, env: {} };
  // Same POSTGRES_* environment contract as the official image (images/postgres/entrypoint).
  if (repository === "postgres" || repository.endsWith("/postgres")) return { name: LOCAL_IMAGES.postgres, healthcheckTest, env: {} };

  const httpPorts = new Set<number>();
  if (probe && "http" in probe) httpPorts.add(probe.http.port);
  if (spec.metrics) httpPorts.add(spec.metrics.port);
  const tcpPorts = spec.ports.map((p) => p.container).filter((p) => !httpPorts.has(p));
  if (probe && "tcp" in probe && !tcpPorts.includes(probe.tcp.port)) tcpPorts.push(probe.tcp.port);
  return {
    name: LOCAL_IMAGES.standin,
    healthcheckTest,
    // The stand-in's own entrypoint serves everything; production commands (python3 -m ...) do not exist in it.
    command: [],
    env: {
      STANDIN_HTTP_PORTS: [...httpPorts].sort((a, b) => a - b).join(","),
      STANDIN_TCP_PORTS: [...new Set(tcpPorts)].sort((a, b) => a - b).join(","),
      STANDIN_METRICS: (spec.metrics?.exposes ?? []).join(","),
      // The DCGM exporter's stand-in serves the uploaded counters file as its /metrics (a malformed CSV makes it exit).
      ...(repository.endsWith("dcgm-exporter") ? { STANDIN_METRICS_FILE: DCGM_COUNTERS_PATH } : {}),
      // Ollama's stand-in answers its pull and tags API, recording pulls where Ollama keeps its models.
      ...(ollama ? { STANDIN_OLLAMA_MODELS: spec.env.OLLAMA_MODELS ?? OLLAMA_MODELS } : {}),
    },
  };
}

export function resolveImage(imageSet: ImageSet, service: Pick<ResolvedService, "spec" | "build">): ResolvedImage {
  return imageSet === "local" ? localImage(service.spec) : productionImage(service);
}
