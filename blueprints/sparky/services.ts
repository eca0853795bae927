import type { ProjectInput } from "../../constructs/model";

/** The model the working analyze scripts run (`ollama run llama3.2`) and `just pull-model` pulls. */
const MODEL = "llama3.2";
const OLLAMA_IMAGE = "ollama/ollama:0.12.6";
/** How the pipeline and the planned services reach Ollama: its service name on the project network. */
const OLLAMA_HOST = "http://ollama:11434";
const afterModel = [
  { service: "ollama", condition: "healthy" as const },
  { service: "pull-model", condition: "completed" as const },
];

/**
 * A planned Rust service of docs/guides/parallel-issues.md: the image `just docker-build-service` would tag, once the
 * Cargo workspace (WS-01), its own crate and the multi-stage Dockerfile (WS-04) exist. None of them does yet.
 */
const crate = (
  name: string,
  workstream: string,
  description: string,
  dependsOn: { service: string; condition: "healthy" | "completed" }[] = [],
) => ({
  role: "backend" as const,
  description,
  image: { ref: `sparky-${name}:latest` },
  dependsOn,
  planned: {
    waitsFor: `the sparky-${name} crate (${workstream}) in the Cargo workspace (WS-01) and the multi-stage Dockerfile (WS-04)`,
    workstreams: ["WS-01", workstream, "WS-04"],
  },
});

/**
 * One cadence of the working Nushell pipeline (`pipeline.nu <mode>`: collect, then analyze with `ollama run`), then
 * `publish.nu <mode>` to the raibid-labs/docs blog. Planned: no image packages the scripts with nu, gh and the ollama
 * CLI yet.
 */
const cadence = (mode: string, cron: string, description: string) => ({
  role: "backend" as const,
  kind: "job" as const,
  description,
  image: { ref: "ghcr.io/raibid-labs/sparky:0.1.0" },
  command: ["sh", "-c", `nu scripts/pipeline.nu ${mode} && nu scripts/publish.nu ${mode}`],
  schedule: { cron, timezone: "UTC" },
  workingDir: "/sparky",
  env: { OLLAMA_HOST },
  secretEnv: [{ name: "GH_TOKEN", from: "SPARKY_GH_TOKEN" }],
  volumes: [
    { volume: "data", target: "/sparky/data" },
    { volume: "output", target: "/sparky/output" },
  ],
  dependsOn: afterModel,
  planned: {
    waitsFor: "an image with the Nushell scripts, nu, gh and the ollama CLI (WS-04 Docker images); raibid-labs/sparky has no Dockerfile",
    workstreams: ["WS-04", "WS-14"],
  },
});

export const network: ProjectInput["network"] = { name: "sparky-net", subnet: "172.29.0.0/16", gateway: "172.29.0.1" };

export const services: ProjectInput["services"] = {
  ollama: {
    role: "ml",
    description: "Local LLM server (Ollama) that writes the report narratives.",
    image: { ref: OLLAMA_IMAGE },
    hostname: "ollama",
    ports: [{ container: 11434, bind: "127.0.0.1", description: "Ollama HTTP API" }],
    env: { OLLAMA_FLASH_ATTENTION: "1", OLLAMA_KV_CACHE_TYPE: "q8_0" },
    volumes: [{ volume: "ollama-models", target: "/root/.ollama" }],
    gpu: { capabilities: ["gpu", "compute", "utility"] },
    // llama3.2 (the 3B model, about 2 GB of weights) with its KV cache and the runtime.
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

  "pull-model": {
    role: "backend",
    kind: "job",
    description: `Pulls ${MODEL} into Ollama's kept model volume before anything uses it, as the sparky justfile's pull-model recipe does; pulling a model that is there only verifies it.`,
    image: { ref: OLLAMA_IMAGE },
    command: ["pull", MODEL],
    env: { OLLAMA_HOST },
    memory: "512m",
    dependsOn: [{ service: "ollama", condition: "healthy" }],
  },

  daily: cadence("daily", "0 0 * * *", "Daily digest: the last 24 hours of raibid-labs activity, summarised and published."),
  weekly: cadence("weekly", "0 8 * * 1", "Weekly report (This Week in raibid-labs), every Monday at 08:00."),
  monthly: cadence("monthly", "0 9 1 * *", "Monthly review with a metrics appendix, on the 1st at 09:00."),

  orchestrator: crate(
    "orchestrator",
    "WS-09",
    "Schedules and drives pipeline runs over ZeroMQ (REQ-REP commands on 5555, PUB-SUB events on 5556).",
  ),
  collector: crate("collector", "WS-05", "Collects commits, merged PRs, issues and releases across raibid-labs."),
  analyzer: crate("analyzer", "WS-06", "Summarises collected activity into insights and narrative with the local LLM.", afterModel),
  generator: crate("generator", "WS-07", "Renders daily, weekly and monthly reports as Markdown blog posts.", afterModel),
  publisher: crate("publisher", "WS-08", "Commits generated posts to the raibid-labs/docs blog and pushes them."),
};

export const volumes: NonNullable<ProjectInput["volumes"]> = {
  "ollama-models": { keep: true },
  data: { keep: true },
  output: { keep: true },
};
