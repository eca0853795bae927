import type { OrchestrationInput } from "../../constructs/model";
import * as foundationDomain from "./domains/foundation";
import * as integrationDomain from "./domains/integration";
import * as interfaceDomain from "./domains/interface";
import * as modelDomain from "./domains/model";

/** The four domains, each with its orchestrator, workstreams and gates, in the order the plan lists them. */
const domains = [foundationDomain, modelDomain, interfaceDomain, integrationDomain];

const milestones: OrchestrationInput["milestones"] = [
  {
    id: "M0",
    name: "Foundation & Reproducibility",
    goal: "Document the GB10 hardware, record baseline performance and make the environment reproducible.",
    successMetric: "Ten test images generated end to end, with the environment captured alongside them.",
  },
  {
    id: "M1",
    name: "Core Inference Pipeline",
    goal: "Fast SDXL inference on the single GPU, packaged as reusable ComfyUI workflows.",
    successMetric: "At most 3 s per 1024×1024 image at FP16; at least 15 images/min at batch 8 within 100 GB.",
  },
  {
    id: "M2",
    name: "Interactive TUI",
    goal: "A Rust TUI talking to a Python worker over ZeroMQ, with Sixel previews and side-by-side model comparison.",
    successMetric: "UI reacts within 100 ms and previews work (60 FPS, IPC under 1 ms).",
  },
  {
    id: "M3",
    name: "LoRA Training Pipeline",
    goal: "Train custom LoRA adapters that teach SDXL a pixel-art style.",
    successMetric: "Training converges in 2-4 h and output quality is at least the baseline's.",
  },
  {
    id: "M4",
    name: "Bevy Integration",
    goal: "Drive generation from the Bevy game engine through MCP (FastMCP server plus bevy_brp_mcp).",
    successMetric: "Generated assets deploy automatically and hot-reload within 1 s.",
  },
  {
    id: "M5",
    name: "Production Readiness",
    goal: "Metrics and alerting, Docker Compose packaging, CI/CD and security hardening.",
    successMetric: "95 % uptime across 7 days, p95 latency on target and no high or critical CVEs.",
  },
];

const meta: OrchestrationInput["meta"] = {
  name: "Meta Orchestrator",
  description:
    "Spawns the four domain orchestrators in dependency order (Foundation, then Model and Interface in parallel, then Integration), polls their status, runs the three phase gates and escalates blockers and architecture decisions to the user.",
  agentType: "orchestrator",
  statusCadence: "4h",
};

/** The meta orchestrator's phase gates; each domain's own gates are in its file. */
const metaGates: NonNullable<OrchestrationInput["gates"]> = [
  {
    id: "gate-1-foundation",
    name: "Gate 1: Foundation → Model/Interface",
    owner: "meta",
    from: ["M0"],
    to: ["M1", "M2"],
    after: ["WS-01", "WS-02", "WS-03"],
    criteria: ["Hardware verification complete", "Baselines recorded", "Reproducibility framework working", "Benchmark suite runs"],
    status: "pending",
  },
  {
    id: "gate-2-model-interface",
    name: "Gate 2: Model/Interface → Integration",
    owner: "meta",
    from: ["M1", "M2", "M3"],
    to: ["M4", "M5"],
    after: ["WS-04", "WS-05", "WS-06", "WS-08", "WS-10", "WS-11"],
    criteria: [
      "ComfyUI generates images (M1)",
      "The Rust TUI works, including image preview (M2)",
      "The Python backend is running (M2)",
      "The LoRA training pipeline works (M3)",
    ],
    status: "passed",
  },
  {
    id: "gate-3-integration",
    name: "Gate 3: Integration → Production",
    owner: "meta",
    from: ["M4"],
    to: ["M5"],
    after: ["WS-13", "WS-14", "WS-15"],
    criteria: [
      "Bevy integration over MCP complete (M4)",
      "Asset deployment pipeline working (M4)",
      "Example game uses generated sprites (M4)",
    ],
    status: "passed",
  },
];

/** The orchestration plan: milestones, the meta orchestrator, the four domains and every phase gate. */
export const plan: Omit<OrchestrationInput, "decisions"> = {
  startDate: "2025-11-03",
  milestones,
  meta,
  orchestrators: domains.map((d) => d.orchestrator),
  workstreams: domains.flatMap((d) => d.workstreams),
  gates: [...metaGates, ...domains.flatMap((d) => d.gates)],
};
