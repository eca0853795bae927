import type { OrchestrationInput } from "../../constructs/model";
import { workstreams } from "./workstreams";

const milestones: OrchestrationInput["milestones"] = [
  {
    id: "M0",
    name: "Bootstrap",
    goal: "Cargo workspace, justfile and Nushell automation, a local k3d cluster, images and Ollama running.",
    successMetric: "Every crate builds, the cluster is up and Ollama answers on 11434.",
  },
  {
    id: "M1",
    name: "Pipeline Services",
    goal: "The collector, analyzer, generator and publisher services, built in parallel.",
    successMetric: "Each stage runs on its own against recorded fixtures.",
  },
  {
    id: "M2",
    name: "Orchestration & Event Bus",
    goal: "The orchestrator service and the ZeroMQ event bus that chain the stages.",
    successMetric: "A daily run goes collect → analyze → generate → publish, with bus latency under 1 ms.",
  },
  {
    id: "M3",
    name: "Integration & Packaging",
    goal: "Integration tests, deployment manifests and configuration management.",
    successMetric: "The integration suite passes in CI and the stack deploys locally from config.",
  },
  {
    id: "M4",
    name: "Production",
    goal: "Run Sparky on the DGX with monitoring, alerting, documentation and runbooks.",
    successMetric: "Scheduled reports publish unattended and alerts reach the operator.",
  },
  {
    id: "M5",
    name: "Enhancements",
    goal: "Optional extras: a web dashboard and more content formats.",
    successMetric: "Dashboard and extra formats ship without disturbing the daily pipeline.",
  },
];

const meta: OrchestrationInput["meta"] = {
  name: "Sparky Meta Orchestrator",
  description:
    "Starts the domain orchestrators phase by phase, tracks the 18 issue-sized workstreams on the project board, collects the daily async standups and has the tech lead review each phase gate.",
  agentType: "orchestrator",
  statusCadence: "24h",
};

const orchestrators: OrchestrationInput["orchestrators"] = [
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
];

/** The meta orchestrator's phase gates, one per phase of the guide. */
const gates: NonNullable<OrchestrationInput["gates"]> = [
  {
    id: "gate-0-bootstrap",
    name: "Phase 0 gate: Bootstrap complete",
    owner: "meta",
    from: ["M0"],
    to: ["M1", "M2"],
    after: ["WS-01", "WS-02", "WS-03", "WS-04"],
    criteria: [
      "Workspace builds",
      "justfile and scripts work",
      "k3d cluster up with GPU access",
      "Images build and Ollama serves the model",
    ],
  },
  {
    id: "gate-1-services",
    name: "Phase 1-2 gate: services and bus complete",
    owner: "meta",
    from: ["M1", "M2"],
    to: ["M3"],
    after: ["WS-05", "WS-06", "WS-07", "WS-08", "WS-09", "WS-10"],
    criteria: [
      "All four stage services pass their tests",
      "The orchestrator drives a full run over the event bus",
      "Tech lead review done",
    ],
  },
  {
    id: "gate-2-platform",
    name: "Phase 3 gate: ready for production",
    owner: "meta",
    from: ["M3"],
    to: ["M4"],
    after: ["WS-11", "WS-12", "WS-13"],
    criteria: [
      "Integration suite green in CI",
      "Local deployment works from manifests",
      "Configuration validated at startup",
      "Tech lead review done",
    ],
  },
  {
    id: "gate-3-production",
    name: "Phase 4 gate: production stable",
    owner: "meta",
    from: ["M4"],
    to: ["M5"],
    after: ["WS-14", "WS-15", "WS-16"],
    criteria: ["Scheduled reports publish unattended for a week", "Alerts verified", "Runbooks written", "Tech lead review done"],
  },
];

/** The orchestration plan: the guide's phases as milestones, four domain orchestrators, 18 workstreams and the gates. */
export const plan: Omit<OrchestrationInput, "decisions"> = {
  startDate: "2025-12-08",
  milestones,
  meta,
  orchestrators,
  workstreams,
  gates,
};
