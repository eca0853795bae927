import type { ProjectInput } from "../constructs/model";

/**
 * Sparky (raibid-labs/sparky): watches git activity across the raibid-labs organisation and turns it into
 * daily, weekly and monthly blog posts with a local LLM. The plan is the Rust-era one from
 * docs/guides/parallel-issues.md; the services are the planned Rust crates plus Ollama.
 * Source: /work/shared/reference/sparky-facts.md (paraphrased). Choices are listed in `decisions`.
 */

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

export const sparky: ProjectInput = {
  id: "sparky",
  name: "Sparky",
  description:
    "AI-powered development activity monitor for raibid-labs: collects git activity with the gh CLI, summarises it with a local Ollama model and publishes daily digests, weekly reports and monthly reviews to the raibid-labs/docs blog.",

  repository: {
    name: "sparky",
    description: "AI-powered development activity monitor & content generator for raibid-labs (gh CLI + local Ollama, zero API cost)",
    visibility: "public",
    defaultBranch: "main",
    topics: ["ollama", "llm", "github-activity", "nushell", "rust", "zeromq", "blog-automation", "dgx-spark"],
    requiredReviews: 1,
    // Check runs are reported per job; these are ci.yml's job display names plus the always-run policy job.
    requiredChecks: [
      "Test Nushell Scripts",
      "Lint Scripts and Config",
      "Security Checks",
      "Integration Tests",
      "Validate Justfile",
      "CI Summary",
      "Policy Validation",
    ],
    variables: {},
    secrets: [],
  },

  startDate: "2025-12-08",

  milestones: [
    { id: "M0", name: "Bootstrap", goal: "Cargo workspace, justfile and Nushell automation, a local k3d cluster, images and Ollama running.", successMetric: "Every crate builds, the cluster is up and Ollama answers on 11434." },
    { id: "M1", name: "Pipeline Services", goal: "The collector, analyzer, generator and publisher services, built in parallel.", successMetric: "Each stage runs on its own against recorded fixtures." },
    { id: "M2", name: "Orchestration & Event Bus", goal: "The orchestrator service and the ZeroMQ event bus that chain the stages.", successMetric: "A daily run goes collect → analyze → generate → publish, with bus latency under 1 ms." },
    { id: "M3", name: "Integration & Packaging", goal: "Integration tests, deployment manifests and configuration management.", successMetric: "The integration suite passes in CI and the stack deploys locally from config." },
    { id: "M4", name: "Production", goal: "Run Sparky on the DGX with monitoring, alerting, documentation and runbooks.", successMetric: "Scheduled reports publish unattended and alerts reach the operator." },
    { id: "M5", name: "Enhancements", goal: "Optional extras: a web dashboard and more content formats.", successMetric: "Dashboard and extra formats ship without disturbing the daily pipeline." },
  ],

  meta: {
    name: "Sparky Meta Orchestrator",
    description:
      "Starts the domain orchestrators phase by phase, tracks the 18 issue-sized workstreams on the project board, collects the daily async standups and has the tech lead review each phase gate.",
    agentType: "orchestrator",
    statusCadence: "24h",
  },

  orchestrators: [
    {
      id: "bootstrap",
      name: "Bootstrap Orchestrator",
      domain: "Workspace, automation & local infrastructure",
      milestones: ["M0"],
      ownedPaths: ["Cargo.toml", "justfile", "Dockerfile", "scripts/", "scripts/k3s/"],
      agentType: "devops-automator",
      owners: ["@beengud"],
    },
    {
      id: "pipeline",
      name: "Pipeline Orchestrator",
      domain: "Rust services & event bus",
      milestones: ["M1", "M2"],
      ownedPaths: [
        "crates/sparky-common/",
        "crates/sparky-collector/",
        "crates/sparky-analyzer/",
        "crates/sparky-generator/",
        "crates/sparky-publisher/",
        "crates/sparky-orchestrator/",
        "templates/",
      ],
      agentType: "rust-pro",
      owners: ["@beengud"],
    },
    {
      id: "platform",
      name: "Platform Orchestrator",
      domain: "Testing, deployment, configuration, monitoring & docs",
      milestones: ["M3", "M4"],
      ownedPaths: ["tests/", "k8s/", "config/", "monitoring/", ".github/workflows/", "docs/"],
      agentType: "devops-automator",
      owners: ["@beengud"],
    },
    {
      id: "enhancements",
      name: "Enhancements Orchestrator",
      domain: "Dashboard & additional content",
      milestones: ["M5"],
      ownedPaths: ["crates/sparky-dashboard/"],
      agentType: "frontend-developer",
      owners: ["@beengud"],
    },
  ],

  workstreams: [
    {
      id: "WS-01", name: "Cargo Workspace", orchestrator: "bootstrap", milestone: "M0",
      durationDays: { min: 2, max: 2 }, priority: "P0", agentTypes: ["rust-pro"],
      objective: "Create the Cargo workspace with the shared library and one crate per service.",
      deliverables: ["Workspace Cargo.toml", "sparky-common library crate", "Binary crates for orchestrator, collector, analyzer, generator and publisher"],
      acceptanceCriteria: ["cargo build --workspace succeeds", "Each service binary starts and exits cleanly", "Shared message and model types live in sparky-common"],
    },
    {
      id: "WS-02", name: "Justfile & Nushell Automation", orchestrator: "bootstrap", milestone: "M0",
      softDependsOn: ["WS-01"],
      durationDays: { min: 2, max: 2 }, priority: "P0", agentTypes: ["devops-automator"],
      objective: "One justfile entry point over reusable Nushell scripts for build, test, run and deploy.",
      deliverables: ["justfile recipes for build, test, dev, docker, k3d and pipeline", "Nushell scripts under scripts/ with shared lib modules"],
      acceptanceCriteria: ["just --list shows every recipe with a description", "No recipe calls a missing script", "Every .nu file passes nu-check and has the nu shebang"],
    },
    {
      id: "WS-03", name: "Local k3d Cluster", orchestrator: "bootstrap", milestone: "M0",
      durationDays: { min: 1, max: 1 }, priority: "P0", agentTypes: ["devops-automator"],
      objective: "A reproducible local Kubernetes cluster with GPU access for development.",
      deliverables: ["k3d-create and k3d-destroy recipes", "Cluster sparky-local with the sparky namespace"],
      acceptanceCriteria: ["The cluster comes up with one server and two agents", "GPUs are visible to the nodes", "The sparky namespace exists and is labelled for GPU work"],
    },
    {
      id: "WS-04", name: "Docker Images & Ollama", orchestrator: "bootstrap", milestone: "M0",
      dependsOn: ["WS-01", "WS-03"],
      durationDays: { min: 2, max: 2 }, priority: "P0", agentTypes: ["devops-automator"],
      objective: "Container images for every service and a running Ollama with the summarisation model pulled.",
      deliverables: ["Multi-stage Dockerfile with one target per service", "Ollama deployment with a persistent model volume"],
      acceptanceCriteria: ["Each service image builds from its target", "Ollama answers /api/tags on port 11434", "The model survives an Ollama restart"],
    },
    {
      id: "WS-05", name: "Collector Service", orchestrator: "pipeline", milestone: "M1",
      dependsOn: ["WS-01"],
      durationDays: { min: 8, max: 8 }, priority: "P0", agentTypes: ["rust-pro"],
      objective: "Gather commits, merged PRs, issues and releases for active raibid-labs repositories.",
      deliverables: ["sparky-collector crate", "Activity models in sparky-common", "Raw JSON snapshots per run"],
      acceptanceCriteria: ["Daily, weekly and monthly windows are supported", "Commit pagination is handled (not just the first page)", "GitHub rate limits are respected", "Output matches the documented summary fields"],
    },
    {
      id: "WS-06", name: "Analyzer Service", orchestrator: "pipeline", milestone: "M1",
      dependsOn: ["WS-01", "WS-04"],
      durationDays: { min: 8, max: 8 }, priority: "P0", agentTypes: ["rust-pro", "ai-engineer"],
      objective: "Turn collected activity into insights and narrative text through the local Ollama model.",
      deliverables: ["sparky-analyzer crate", "Insight types in sparky-common", "Prompt templates per report mode"],
      acceptanceCriteria: ["Calls Ollama over HTTP, not the CLI", "Prompts respect each mode's target length", "Repository mentions become links", "LLM failures are retried and reported"],
    },
    {
      id: "WS-07", name: "Generator Service", orchestrator: "pipeline", milestone: "M1",
      dependsOn: ["WS-01"], softDependsOn: ["WS-06"],
      durationDays: { min: 8, max: 8 }, priority: "P0", agentTypes: ["rust-pro"],
      objective: "Render daily digests, weekly reports and monthly reviews as Markdown with blog front matter.",
      deliverables: ["sparky-generator crate", "Report templates"],
      acceptanceCriteria: ["Titles and file names follow the documented per-mode formats", "Front matter carries title, description, date, tags and author", "Monthly reviews include a metrics appendix"],
    },
    {
      id: "WS-08", name: "Publisher Service", orchestrator: "pipeline", milestone: "M1",
      dependsOn: ["WS-01"], softDependsOn: ["WS-07"],
      durationDays: { min: 8, max: 8 }, priority: "P0", agentTypes: ["rust-pro"],
      objective: "Commit generated posts into the raibid-labs/docs blog tree and push them.",
      deliverables: ["sparky-publisher crate (git2)", "Dry-run mode"],
      acceptanceCriteria: ["Posts land under content/blog/<year>/<month>/", "A blog index is created when missing", "Commits use the documented message format", "Dry runs change nothing"],
    },
    {
      id: "WS-09", name: "Orchestrator Service", orchestrator: "pipeline", milestone: "M2",
      dependsOn: ["WS-01"], softDependsOn: ["WS-05", "WS-06", "WS-07", "WS-08"],
      durationDays: { min: 10, max: 10 }, priority: "P0", agentTypes: ["rust-pro", "backend-architect"],
      objective: "Coordinate pipeline runs: schedule modes, dispatch stages and track their completion events.",
      deliverables: ["sparky-orchestrator crate", "Command and event messages in sparky-common", "/health and /ready endpoints"],
      acceptanceCriteria: ["Runs daily, weekly and monthly pipelines end to end", "A failed stage fails the run visibly", "Exposes Prometheus metrics for runs and failures"],
    },
    {
      id: "WS-10", name: "ZeroMQ Event Bus", orchestrator: "pipeline", milestone: "M2",
      dependsOn: ["WS-09"],
      durationDays: { min: 5, max: 5 }, priority: "P0", agentTypes: ["rust-pro"],
      objective: "REQ-REP commands and PUB-SUB events between the orchestrator and the stage services.",
      deliverables: ["ZeroMQ transport in sparky-common", "CollectionComplete, AnalysisComplete, GenerationComplete and PublishComplete events"],
      acceptanceCriteria: ["Messages are MessagePack encoded", "Round trips take under 1 ms", "Services reconnect after a restart"],
    },
    {
      id: "WS-11", name: "Integration Tests", orchestrator: "platform", milestone: "M3",
      dependsOn: ["WS-05", "WS-06", "WS-07", "WS-08", "WS-10"],
      durationDays: { min: 10, max: 10 }, priority: "P1", agentTypes: ["devops-automator", "rust-pro"],
      objective: "Exercise the whole pipeline against fixtures in CI.",
      deliverables: ["tests/integration/ suite", "Recorded GitHub fixtures", "CI job running the suite"],
      acceptanceCriteria: ["The placeholder integration job runs real tests", "A full daily run passes against fixtures", "Tests need no network or paid APIs"],
    },
    {
      id: "WS-12", name: "Deployment Manifests", orchestrator: "platform", milestone: "M3",
      dependsOn: ["WS-04", "WS-10"],
      durationDays: { min: 8, max: 8 }, priority: "P1", agentTypes: ["devops-automator"],
      objective: "Deployment definitions for every service and Ollama, with local and production deploy scripts.",
      deliverables: ["Manifests per service plus Ollama with a persistent volume", "deploy-local and deploy-production scripts"],
      acceptanceCriteria: ["just deploy-local brings the stack up", "Every service reports ready", "Ollama keeps its models across redeploys"],
    },
    {
      id: "WS-13", name: "Configuration Management", orchestrator: "platform", milestone: "M3",
      dependsOn: ["WS-10"],
      durationDays: { min: 5, max: 5 }, priority: "P1", agentTypes: ["rust-pro"],
      objective: "Layered TOML configuration (default, development, production) read by every service.",
      deliverables: ["config/ defaults and environment overlays", "Config loading and validation in sparky-common"],
      acceptanceCriteria: ["Every service reads the same config keys", "Invalid config fails at startup with a clear message", "The LLM model is set in one place"],
    },
    {
      id: "WS-14", name: "Production Deployment on DGX", orchestrator: "platform", milestone: "M4",
      dependsOn: ["WS-11", "WS-12", "WS-13"],
      durationDays: { min: 10, max: 10 }, priority: "P0", agentTypes: ["devops-automator"],
      objective: "Run Sparky unattended on the DGX Spark alongside the other projects.",
      deliverables: ["Production deployment scripts and config", "Scheduled daily, weekly and monthly runs"],
      acceptanceCriteria: ["Reports publish on schedule without manual steps", "No port or GPU conflicts with other projects on the host", "Secrets come from the environment, never from files in git"],
    },
    {
      id: "WS-15", name: "Monitoring & Alerting", orchestrator: "platform", milestone: "M4",
      dependsOn: ["WS-12"],
      durationDays: { min: 8, max: 8 }, priority: "P1", agentTypes: ["devops-automator", "infrastructure-maintainer"],
      objective: "Metrics and alerts for the services, the pipeline and Ollama.",
      deliverables: ["Scrape configuration for every service", "Alert rules for availability and pipeline health", "A status dashboard"],
      acceptanceCriteria: ["Every service is scraped", "An alert fires when Ollama or the orchestrator is down", "A missed daily report raises an alert"],
    },
    {
      id: "WS-16", name: "Documentation & Runbooks", orchestrator: "platform", milestone: "M4",
      dependsOn: ["WS-13"], softDependsOn: ["WS-14", "WS-15"],
      durationDays: { min: 10, max: 10 }, priority: "P1", agentTypes: ["devops-automator"],
      objective: "Bring README, docs and contributing guides in line with what is built, with runbooks for operators.",
      deliverables: ["Updated README and docs/", "CONTRIBUTING.md", "Operational runbooks"],
      acceptanceCriteria: ["No links to moved or missing docs", "Every alert has a runbook entry", "Documentation Check passes"],
    },
    {
      id: "WS-17", name: "Web Dashboard", orchestrator: "enhancements", milestone: "M5",
      dependsOn: ["WS-14"],
      durationDays: { min: 10, max: 10 }, priority: "P2", agentTypes: ["frontend-developer", "rust-pro"],
      objective: "An optional web dashboard for activity trends and past reports.",
      deliverables: ["sparky-dashboard crate"],
      acceptanceCriteria: ["Shows activity trends and links to published reports", "Runs without affecting the pipeline"],
    },
    {
      id: "WS-18", name: "Blog & Social Content", orchestrator: "enhancements", milestone: "M5",
      dependsOn: ["WS-07", "WS-14"],
      durationDays: { min: 8, max: 8 }, priority: "P2", agentTypes: ["rust-pro", "ai-engineer"],
      objective: "More content formats: longer blog posts and short social posts from the same data.",
      deliverables: ["Generator modules and templates for blog and social formats"],
      acceptanceCriteria: ["New formats reuse collected data without new API calls", "Formats can be switched on per mode"],
    },
  ],

  gates: [
    {
      id: "gate-0-bootstrap", name: "Phase 0 gate: Bootstrap complete", owner: "meta",
      from: ["M0"], to: ["M1", "M2"], after: ["WS-01", "WS-02", "WS-03", "WS-04"],
      criteria: ["Workspace builds", "justfile and scripts work", "k3d cluster up with GPU access", "Images build and Ollama serves the model"],
    },
    {
      id: "gate-1-services", name: "Phase 1-2 gate: services and bus complete", owner: "meta",
      from: ["M1", "M2"], to: ["M3"], after: ["WS-05", "WS-06", "WS-07", "WS-08", "WS-09", "WS-10"],
      criteria: ["All four stage services pass their tests", "The orchestrator drives a full run over the event bus", "Tech lead review done"],
    },
    {
      id: "gate-2-platform", name: "Phase 3 gate: ready for production", owner: "meta",
      from: ["M3"], to: ["M4"], after: ["WS-11", "WS-12", "WS-13"],
      criteria: ["Integration suite green in CI", "Local deployment works from manifests", "Configuration validated at startup", "Tech lead review done"],
    },
    {
      id: "gate-3-production", name: "Phase 4 gate: production stable", owner: "meta",
      from: ["M4"], to: ["M5"], after: ["WS-14", "WS-15", "WS-16"],
      criteria: ["Scheduled reports publish unattended for a week", "Alerts verified", "Runbooks written", "Tech lead review done"],
    },
  ],

  decisions: [
    "Plan source: docs/guides/parallel-issues.md (the Rust-era 18-issue plan); issue #N becomes WS-NN so all 18 issues, bootstrap included, are workstreams (the guide's own WS1-WS14 labels skip Phase 0).",
    "Milestones M0-M5 are the guide's phases 0-5; Phase 2 overlaps Phase 1 in the guide's day windows but is a separate milestone because the orchestrator needs the stage services' message types.",
    "Durations are the guide's single estimates (min = max); the guide gives no ranges. The hard-dependency schedule comes to 47 days (WS-01 → WS-09 → WS-10 → WS-11 → WS-14 → WS-17), shorter than the guide's ~60 because its phase windows carry slack.",
    "WS-09 (orchestrator) is hard only on WS-01: the guide starts it once #5-#8 have started, not finished, so WS-05..WS-08 are soft; WS-10 (event bus) is hard on WS-09 as the guide says.",
    "WS-11..WS-13 are hard on WS-10 (they run after Phase 2); WS-07 → WS-06 and WS-08 → WS-07 are soft because the guide runs #5-#8 in parallel.",
    "Orchestrators: four domains grouped by phase (bootstrap M0, pipeline M1-M2, platform M3-M4, enhancements M5), following the dgx-pixels pattern the repo adopts; every owner is @beengud as in .github/CODEOWNERS.",
    "requiredChecks are job display names (ci.yml's six jobs plus Phage's 'Policy Validation'): setup-branch-protection.nu names workflows (CI, Documentation Check, Phage Policy Check), which never match check runs; 'Documentation Check' jobs are left out because that workflow only runs when docs change and would block other PRs.",
    "startDate 2025-12-08, the first Monday after v0.1.0 (2025-12-05).",
    "Services are the planned Rust crates (orchestrator, collector, analyzer, generator, publisher) plus Ollama, deployed with Docker on the DGX rather than k3s: the host runs everything through Docker, and the optional dashboard is left out until WS-17 exists.",
    "Ollama image pinned to ollama/ollama:0.12.6 (never latest); the tag was chosen offline as a release with ARM64 CUDA support and should be confirmed against Docker Hub before the first deploy.",
    "Ollama env: only OLLAMA_FLASH_ATTENTION=1 and OLLAMA_KV_CACHE_TYPE=q8_0 from the deployment doc; OLLAMA_GPU_LAYERS and OLLAMA_GPU_MEMORY_FRACTION are not Ollama settings and are dropped.",
    "Ollama healthcheck runs 'ollama list' (the image has no curl), which queries the same /api/tags the probe checks; start period 60s as in the doc's txt2kg pattern.",
    "Ollama has no native /metrics, so it declares no metrics endpoint; the orchestrator polls /api/tags and exports sparky_ollama_up, which OllamaDown uses.",
    "LLM model llama3.2:3b: it is what the working analyze scripts run (switched from qwen2.5-coder for better prose); config/default.toml's qwen2.5-coder:1.5b is only read by collect-v2.nu.",
    "Orchestrator ZeroMQ ports 5555/5556 are published on host ports 5565/5566 because dgx-pixels' backend-worker already holds 5555/5556 on the same DGX.",
    "Each Rust service serves /health, /ready and /metrics on container port 8080; host ports 18080-18084 avoid 8080/8443 (k3d load balancer), 5000 (k3d registry), dgx-pixels (8188, 5555, 5556, 8000, 3001, 8001) and the host observability set (9090, 3000, 9100, 9400).",
    "Images are ghcr.io/raibid-labs/sparky-<service>:0.1.0 (one image per service, matching the per-target multi-stage Dockerfile and tag v0.1.0).",
    "Stage services depend on the orchestrator being healthy; the orchestrator depends on Ollama healthy; a shared 'data' volume (keep) holds raw data, processed data and output under /data/sparky as in the production config example.",
    "GitHub access: collector and publisher read GH_TOKEN from SPARKY_GH_TOKEN on the deploying machine; no token is stored in the blueprint.",
    "Scrape jobs are named '<project>-<service>' (e.g. sparky-orchestrator); metric names in alerts are the ones the services declare in exposes.",
  ],

  network: { name: "sparky-net", subnet: "172.29.0.0/16", gateway: "172.29.0.1" },

  services: {
    ollama: {
      role: "ml",
      description: "Local LLM server (Ollama) that writes the report narratives.",
      image: { ref: "ollama/ollama:0.12.6" },
      hostname: "ollama",
      ports: [{ container: 11434, bind: "127.0.0.1", description: "Ollama HTTP API" }],
      env: { OLLAMA_FLASH_ATTENTION: "1", OLLAMA_KV_CACHE_TYPE: "q8_0" },
      volumes: [{ volume: "ollama-models", target: "/root/.ollama" }],
      gpu: { count: "all", capabilities: ["gpu", "compute", "utility"] },
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

    collector: {
      role: "backend",
      description: "Collects commits, PRs, issues and releases across raibid-labs with the GitHub API.",
      image: image("collector"),
      hostname: "collector",
      ports: [{ container: HTTP_PORT, host: 18081, bind: "127.0.0.1", description: "/health, /ready and /metrics" }],
      env: { ...busEnv, SPARKY_ORG: "raibid-labs", SPARKY_MAX_REPOS: "100" },
      secretEnv: [{ name: "GH_TOKEN", from: "SPARKY_GH_TOKEN" }],
      volumes: [dataMount],
      healthcheck: health,
      dependsOn: afterOrchestrator,
      restart: "unless-stopped",
      securityOpts: ["no-new-privileges:true"],
      metrics: metrics("collector", [
        "sparky_collector_repos_scanned_total",
        "sparky_collector_github_errors_total",
        "sparky_github_rate_limit_remaining",
      ]),
    },

    analyzer: {
      role: "backend",
      description: "Summarises collected activity into insights and narrative with the local LLM.",
      image: image("analyzer"),
      hostname: "analyzer",
      ports: [{ container: HTTP_PORT, host: 18082, bind: "127.0.0.1", description: "/health, /ready and /metrics" }],
      env: { ...busEnv, ...llmEnv },
      volumes: [dataMount],
      healthcheck: health,
      dependsOn: afterOrchestrator,
      restart: "unless-stopped",
      securityOpts: ["no-new-privileges:true"],
      metrics: metrics("analyzer", [
        "sparky_llm_requests_total",
        "sparky_llm_request_failures_total",
        "sparky_llm_request_duration_seconds_bucket",
      ]),
    },

    generator: {
      role: "backend",
      description: "Renders daily, weekly and monthly reports as Markdown blog posts.",
      image: image("generator"),
      hostname: "generator",
      ports: [{ container: HTTP_PORT, host: 18083, bind: "127.0.0.1", description: "/health, /ready and /metrics" }],
      env: { ...busEnv, ...llmEnv },
      volumes: [dataMount],
      healthcheck: health,
      dependsOn: afterOrchestrator,
      restart: "unless-stopped",
      securityOpts: ["no-new-privileges:true"],
      metrics: metrics("generator", ["sparky_reports_generated_total", "sparky_report_generation_failures_total"]),
    },

    publisher: {
      role: "backend",
      description: "Commits generated posts to the raibid-labs/docs blog and pushes them.",
      image: image("publisher"),
      hostname: "publisher",
      ports: [{ container: HTTP_PORT, host: 18084, bind: "127.0.0.1", description: "/health, /ready and /metrics" }],
      env: { ...busEnv, SPARKY_DOCS_REPO: "raibid-labs/docs", SPARKY_AUTO_PUSH: "true" },
      secretEnv: [{ name: "GH_TOKEN", from: "SPARKY_GH_TOKEN" }],
      volumes: [dataMount],
      healthcheck: health,
      dependsOn: afterOrchestrator,
      restart: "unless-stopped",
      securityOpts: ["no-new-privileges:true"],
      metrics: metrics("publisher", [
        "sparky_posts_published_total",
        "sparky_publish_failures_total",
        "sparky_publish_last_success_timestamp_seconds",
      ]),
    },
  },

  volumes: {
    "ollama-models": { keep: true },
    data: { keep: true },
  },

  alerts: [
    {
      name: "sparky_availability",
      interval: "30s",
      rules: [
        {
          alert: "OllamaDown",
          expr: "sparky_ollama_up == 0",
          for: "2m",
          severity: "critical",
          labels: { component: "ollama", category: "availability" },
          summary: "Ollama is not answering",
          description: "The orchestrator's /api/tags probe of Ollama has failed for 2 minutes; analysis and generation cannot run.",
        },
        {
          alert: "OrchestratorDown",
          expr: "up{job=\"sparky-orchestrator\"} == 0",
          for: "2m",
          severity: "critical",
          labels: { component: "orchestrator", category: "availability" },
          summary: "Sparky orchestrator is down",
          description: "Prometheus cannot scrape the orchestrator; no pipeline runs will start.",
        },
        {
          alert: "PipelineServiceDown",
          expr: "up{job=~\"sparky-(collector|analyzer|generator|publisher)\"} == 0",
          for: "5m",
          severity: "warning",
          labels: { component: "pipeline", category: "availability" },
          summary: "Sparky stage {{ $labels.job }} is down",
          description: "{{ $labels.job }} has not been scrapeable for 5 minutes; runs that need it will fail.",
        },
      ],
    },
    {
      name: "sparky_pipeline",
      interval: "1m",
      rules: [
        {
          alert: "PipelineRunFailed",
          expr: "increase(sparky_pipeline_failures_total[1h]) > 0",
          severity: "warning",
          labels: { component: "orchestrator", category: "reliability" },
          summary: "A Sparky pipeline run failed",
          description: "{{ $value }} pipeline run(s) failed in the last hour; check the orchestrator logs.",
        },
        {
          alert: "DailyReportStale",
          expr: "time() - sparky_publish_last_success_timestamp_seconds > 129600",
          for: "30m",
          severity: "warning",
          labels: { component: "publisher", category: "freshness" },
          summary: "No report published for 36 hours",
          description: "The last successful publish was {{ $value | humanizeDuration }} ago; the daily digest is overdue.",
        },
        {
          alert: "LLMHighLatency",
          expr: "histogram_quantile(0.95, sum by (le) (rate(sparky_llm_request_duration_seconds_bucket[15m]))) > 120",
          for: "15m",
          severity: "warning",
          labels: { component: "analyzer", category: "performance" },
          summary: "LLM calls are slow",
          description: "p95 Ollama request time is {{ $value | printf \"%.0f\" }} s over 15 minutes.",
        },
        {
          alert: "LLMRequestFailures",
          expr: "sum(rate(sparky_llm_request_failures_total[15m])) / sum(rate(sparky_llm_requests_total[15m])) > 0.2",
          for: "10m",
          severity: "warning",
          labels: { component: "analyzer", category: "reliability" },
          summary: "More than 20 % of LLM requests failing",
          description: "{{ $value | humanizePercentage }} of Ollama requests failed over the last 15 minutes.",
        },
        {
          alert: "GitHubRateLimitLow",
          expr: "sparky_github_rate_limit_remaining < 100",
          for: "5m",
          severity: "warning",
          labels: { component: "collector", category: "capacity" },
          summary: "GitHub API rate limit nearly exhausted",
          description: "Only {{ $value }} GitHub API requests remain; collection may be incomplete.",
        },
      ],
    },
  ],
};
