import type { ProjectInput } from "../../constructs/model";

const VERSION = "0.1.0";
const image = (service: string) => ({ ref: `ghcr.io/raibid-labs/sparky-${service}:${VERSION}` });

/** Every Rust service serves /health, /ready and /metrics on one HTTP port. */
const HTTP_PORT = 8080;
const health = {
  test: ["CMD", "curl", "-f", `http://localhost:${HTTP_PORT}/health`],
  probe: { http: { port: HTTP_PORT, path: "/health" } },
  interval: "30s",
  timeout: "10s",
  startPeriod: "30s",
  retries: 3,
};
const busEnv = {
  SPARKY_ORCHESTRATOR_ADDR: "tcp://orchestrator:5555",
  SPARKY_EVENTS_ADDR: "tcp://orchestrator:5556",
  RUST_LOG: "info",
};
const llmEnv = { OLLAMA_URL: "http://ollama:11434", SPARKY_LLM_MODEL: "llama3.2:3b" };
const dataMount = { volume: "data", target: "/data/sparky" };
const afterOrchestrator = [{ service: "orchestrator", condition: "healthy" as const }];
const metrics = (component: string, exposes: string[]) => ({
  port: HTTP_PORT,
  path: "/metrics",
  interval: "15s",
  timeout: "10s",
  exposes,
  labels: { component },
});

/**
 * The GitHub token of the stages that call GitHub. sparky's services are its own code: they read the token from the
 * file GH_TOKEN_FILE names when it is set (a swarm mounts it as a Docker secret), else from GH_TOKEN.
 */
const ghToken = [{ name: "GH_TOKEN", from: "SPARKY_GH_TOKEN", file: "GH_TOKEN_FILE" }];

/** A pipeline stage: /health, /ready and /metrics on HTTP_PORT, the shared data volume, started after the orchestrator. */
const stage = (
  name: string,
  hostPort: number,
  description: string,
  s: { env: Record<string, string>; exposes: string[]; secretEnv?: typeof ghToken },
) => ({
  role: "backend" as const,
  description,
  image: image(name),
  hostname: name,
  ports: [{ container: HTTP_PORT, host: hostPort, bind: "127.0.0.1", description: "/health, /ready and /metrics" }],
  env: s.env,
  secretEnv: s.secretEnv ?? [],
  volumes: [dataMount],
  healthcheck: health,
  dependsOn: afterOrchestrator,
  metrics: metrics(name, s.exposes),
});

export const network: ProjectInput["network"] = { name: "sparky-net", subnet: "172.29.0.0/16", gateway: "172.29.0.1" };

export const services: ProjectInput["services"] = {
  ollama: {
    role: "ml",
    description: "Local LLM server (Ollama) that writes the report narratives.",
    image: { ref: "ollama/ollama:0.12.6" },
    hostname: "ollama",
    ports: [{ container: 11434, bind: "127.0.0.1", description: "Ollama HTTP API" }],
    env: { OLLAMA_FLASH_ATTENTION: "1", OLLAMA_KV_CACHE_TYPE: "q8_0" },
    volumes: [{ volume: "ollama-models", target: "/root/.ollama" }],
    gpu: { capabilities: ["gpu", "compute", "utility"] },
    // llama3.2:3b (about 2 GB of weights) with its KV cache and the runtime.
    memory: "8g",
    healthcheck: {
      test: ["CMD", "ollama", "list"],
      probe: { http: { port: 11434, path: "/api/tags" } },
      interval: "30s",
      timeout: "10s",
      startPeriod: "60s",
      retries: 3,
    },
    restart: "unless-stopped",
    securityOpts: ["no-new-privileges:true"],
  },

  orchestrator: {
    role: "backend",
    description: "Schedules and drives pipeline runs over ZeroMQ (commands REQ-REP, events PUB-SUB).",
    image: image("orchestrator"),
    hostname: "orchestrator",
    ports: [
      { container: 5555, host: 5565, bind: "127.0.0.1", description: "ZeroMQ REQ-REP commands" },
      { container: 5556, host: 5566, bind: "127.0.0.1", description: "ZeroMQ PUB-SUB events" },
      { container: HTTP_PORT, host: 18080, bind: "127.0.0.1", description: "/health, /ready and /metrics" },
    ],
    env: { ...llmEnv, RUST_LOG: "info", SPARKY_BIND_ADDRESS: "0.0.0.0:5555", SPARKY_EVENT_PORT: "5556" },
    volumes: [dataMount],
    healthcheck: health,
    dependsOn: [{ service: "ollama", condition: "healthy" }],
    restart: "unless-stopped",
    securityOpts: ["no-new-privileges:true"],
    metrics: metrics("orchestrator", [
      "sparky_pipeline_runs_total",
      "sparky_pipeline_failures_total",
      "sparky_pipeline_duration_seconds_bucket",
      "sparky_pipeline_last_success_timestamp_seconds",
      "sparky_ollama_up",
      "sparky_events_published_total",
    ]),
  },

  collector: stage("collector", 18081, "Collects commits, PRs, issues and releases across raibid-labs with the GitHub API.", {
    env: { ...busEnv, SPARKY_ORG: "raibid-labs", SPARKY_MAX_REPOS: "100" },
    secretEnv: ghToken,
    exposes: ["sparky_collector_repos_scanned_total", "sparky_collector_github_errors_total", "sparky_github_rate_limit_remaining"],
  }),

  analyzer: stage("analyzer", 18082, "Summarises collected activity into insights and narrative with the local LLM.", {
    env: { ...busEnv, ...llmEnv },
    exposes: ["sparky_llm_requests_total", "sparky_llm_request_failures_total", "sparky_llm_request_duration_seconds_bucket"],
  }),

  generator: stage("generator", 18083, "Renders daily, weekly and monthly reports as Markdown blog posts.", {
    env: { ...busEnv, ...llmEnv },
    exposes: ["sparky_reports_generated_total", "sparky_report_generation_failures_total"],
  }),

  publisher: stage("publisher", 18084, "Commits generated posts to the raibid-labs/docs blog and pushes them.", {
    env: { ...busEnv, SPARKY_DOCS_REPO: "raibid-labs/docs", SPARKY_AUTO_PUSH: "true" },
    secretEnv: ghToken,
    exposes: ["sparky_posts_published_total", "sparky_publish_failures_total", "sparky_publish_last_success_timestamp_seconds"],
  }),
};

export const volumes: NonNullable<ProjectInput["volumes"]> = {
  "ollama-models": { keep: true },
  data: { keep: true },
};
