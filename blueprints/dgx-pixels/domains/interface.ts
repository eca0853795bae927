import type { OrchestrationInput } from "../../../constructs/model";

/**
 * UI/UX and client-server communication (M2): the Rust TUI, the ZeroMQ IPC layer, the Python backend worker, Sixel
 * previews and model comparison.
 */

export const orchestrator: OrchestrationInput["orchestrators"][number] = {
  id: "interface",
  name: "Interface Orchestrator",
  domain: "UI/UX & client-server communication",
  milestones: ["M2"],
  ownedPaths: ["rust/", "python/workers/"],
  agentType: "rust-pro",
  owners: ["@raibid-labs/interface"],
};

export const workstreams: OrchestrationInput["workstreams"] = [
  {
    id: "WS-08",
    name: "Rust TUI Core",
    orchestrator: "interface",
    milestone: "M2",
    dependsOn: ["WS-01"],
    softDependsOn: ["WS-04"],
    durationDays: { min: 6, max: 8 },
    priority: "P0",
    agentTypes: ["rust-pro"],
    objective: "A fast ratatui terminal UI with generation, gallery and settings screens, built as the dgx-pixels-tui binary.",
    deliverables: [
      "rust/ crate with the dgx-pixels-tui binary",
      "UI module with generation, gallery and settings screens",
      "Keyboard and mouse event handling",
    ],
    acceptanceCriteria: [
      "Renders at 60 FPS or better on the Spark (frames within 16.6 ms)",
      "Keyboard and mouse navigation respond within 50 ms",
      "Generation, gallery and settings layouts are in place",
      "The release binary is at most 15 MB and the TUI uses at most 50 MB of RAM",
      "Test coverage of at least 80 %",
    ],
  },
  {
    id: "WS-09",
    name: "ZeroMQ IPC Layer",
    orchestrator: "interface",
    milestone: "M2",
    dependsOn: ["WS-08"],
    durationDays: { min: 4, max: 5 },
    priority: "P0",
    agentTypes: ["rust-pro", "backend-architect"],
    objective: "The TUI side of the ZeroMQ protocol: REQ-REP for jobs and PUB-SUB for progress, MsgPack encoded.",
    deliverables: [
      "ZeroMQ client module",
      "Protocol and MsgPack message definitions",
      "Connection handling with automatic reconnect",
      "IPC latency benchmarks",
    ],
    acceptanceCriteria: [
      "REQ-REP round trips take under 1 ms",
      "PUB-SUB delivery takes under 100 µs",
      "Lost connections are re-established automatically",
      "Every message is MsgPack encoded",
      "The ZeroMQ build is verified on ARM64",
    ],
  },
  {
    id: "WS-10",
    name: "Python Backend Worker",
    orchestrator: "interface",
    milestone: "M2",
    dependsOn: ["WS-04", "WS-05"],
    softDependsOn: ["WS-09"],
    durationDays: { min: 5, max: 6 },
    priority: "P0",
    agentTypes: ["python-pro", "ai-engineer"],
    objective: "The asyncio worker that accepts jobs over ZeroMQ, runs them through the ComfyUI API and streams progress back.",
    deliverables: [
      "ZeroMQ server (python/workers/zmq_server.py)",
      "ComfyUI API client",
      "Priority job queue",
      "Generation worker with progress publishing",
    ],
    acceptanceCriteria: [
      "Jobs arrive over REQ-REP",
      "Workflows are submitted to the ComfyUI API",
      "Progress is published over PUB-SUB",
      "Concurrent requests are queued",
      "Errors are handled and the worker recovers cleanly",
    ],
  },
  {
    id: "WS-11",
    name: "Sixel Image Preview",
    orchestrator: "interface",
    milestone: "M2",
    dependsOn: ["WS-08", "WS-10"],
    durationDays: { min: 3, max: 4 },
    priority: "P1",
    agentTypes: ["rust-pro"],
    objective: "Show generated images inside the terminal with Sixel, falling back gracefully where it is unsupported.",
    deliverables: ["Image preview module with scaling", "Terminal capability detection", "ASCII fallback", "Preview benchmarks"],
    acceptanceCriteria: [
      "1024×1024 images are displayed",
      "Sixel rendering takes under 100 ms",
      "Terminal support is detected automatically",
      "Images are accessed zero-copy",
      "Works in Sixel-capable iTerm2, WezTerm and Alacritty",
    ],
  },
  {
    id: "WS-12",
    name: "Side-by-Side Model Comparison",
    orchestrator: "interface",
    milestone: "M2",
    dependsOn: ["WS-10", "WS-11"],
    softDependsOn: ["WS-06"],
    durationDays: { min: 4, max: 5 },
    priority: "P1",
    agentTypes: ["rust-pro", "python-pro"],
    objective: "Generate the same prompt with several models at once and let the user pick the best, recording preferences.",
    deliverables: [
      "Comparison screen in the TUI",
      "Parallel multi-model generation in the worker",
      "Preference tracking",
      "User documentation",
    ],
    acceptanceCriteria: [
      "Two to four models run concurrently",
      "Results appear side by side with labels",
      "The user can vote for the best result",
      "Preferences are stored as JSON (model, prompt, vote)",
      "The whole comparison takes at most 1.5× a single-model run",
    ],
  },
];

/** The domain's own gates; the meta orchestrator's are in ../plan.ts. */
export const gates: NonNullable<OrchestrationInput["gates"]> = [
  {
    id: "interface-m2-core-ready",
    name: "M2 Core Interface Ready",
    owner: "interface",
    from: ["M2"],
    to: ["M4"],
    after: ["WS-08", "WS-09", "WS-10"],
    criteria: [
      "TUI renders at 60 FPS or better",
      "IPC latency under 1 ms",
      "Backend talks to the ComfyUI API",
      "Generation works end to end",
      "The queue handles concurrent jobs",
      "Progress shows in the TUI",
    ],
    status: "pending",
  },
  {
    id: "interface-m2-advanced",
    name: "M2+ Advanced Features",
    owner: "interface",
    from: ["M2"],
    to: ["M4"],
    after: ["WS-11", "WS-12"],
    criteria: [
      "Sixel preview works in capable terminals",
      "Comparison shows 2-4 models",
      "Preferences are saved as JSON",
      "Multi-model generation takes at most 1.5× a single model",
      "UI polish done",
    ],
    status: "pending",
  },
];
