import type { OrchestrationInput } from "../../../constructs/model";

/**
 * Infrastructure and baselines (M0): what the DGX Spark really is, a reproducible environment and the benchmarks
 * later milestones compare against.
 */

export const orchestrator: OrchestrationInput["orchestrators"][number] = {
  id: "foundation",
  name: "Foundation Orchestrator",
  domain: "Infrastructure & baselines",
  milestones: ["M0"],
  ownedPaths: ["repro/", "bench/", "docs/hardware.md", "docs/topology.txt", "docs/adr/"],
  agentType: "devops-automator",
  owners: ["@raibid-labs/infra"],
};

export const workstreams: OrchestrationInput["workstreams"] = [
  {
    id: "WS-01",
    name: "Hardware Baselines",
    orchestrator: "foundation",
    milestone: "M0",
    status: "done",
    issueKeys: ["PIXELS-001", "PIXELS-002"],
    dependsOn: [],
    durationDays: { min: 3, max: 4 },
    priority: "P0",
    agentTypes: ["devops-automator"],
    objective:
      "Verify and record what the DGX Spark really is (GB10, 128 GB unified memory, ARM CPU) so every later target is measured against facts.",
    deliverables: [
      "Hardware verification script under repro/",
      "bench/baselines/hardware_baseline.json",
      "docs/hardware.md updated to the measured hardware",
      "Topology and memory notes (docs/topology.txt)",
    ],
    acceptanceCriteria: [
      "The script records GPU model, memory, CUDA and driver versions, CPU, RAM and topology",
      "The baseline JSON contains nvidia-smi, lscpu, free and storage output",
      "Hardware docs describe the real machine (GB10, unified 128 GB, aarch64) with no TBD left",
      "The script exits 0 on success and finishes within 30 s",
      "Storage reads reach at least 8 GB/s",
    ],
  },
  {
    id: "WS-02",
    name: "Reproducibility Framework",
    orchestrator: "foundation",
    milestone: "M0",
    status: "done",
    issueKeys: ["PIXELS-003", "PIXELS-004", "PIXELS-005"],
    dependsOn: ["WS-01"],
    durationDays: { min: 4, max: 5 },
    priority: "P0",
    agentTypes: ["devops-automator"],
    objective: "A pinned container environment that anyone can rebuild on the Spark and that proves itself with an end-to-end smoke test.",
    deliverables: [
      "Dockerfile on a pinned NGC PyTorch base",
      "Run script that captures the environment and runs the smoke test",
      "Pinned requirements and install script",
      "Environment snapshots in bench/baselines/env_*.json",
    ],
    acceptanceCriteria: [
      "The image builds on the ARM64 DGX Spark",
      "The run script generates 10 test images end to end",
      "The environment JSON records git SHA, CUDA, cuDNN, NCCL and Python package versions",
      "The smoke test completes in under 5 minutes",
      "Every dependency is available for ARM64",
    ],
  },
  {
    id: "WS-03",
    name: "Benchmark Suite",
    orchestrator: "foundation",
    milestone: "M0",
    status: "done",
    issueKeys: ["PIXELS-006", "PIXELS-007", "PIXELS-008"],
    dependsOn: ["WS-01"],
    durationDays: { min: 3, max: 4 },
    priority: "P1",
    agentTypes: ["devops-automator", "performance-benchmarker"],
    objective: "Repeatable throughput, GPU telemetry, I/O and unified-memory benchmarks whose results later milestones compare against.",
    deliverables: [
      "GPU throughput benchmark (batch 1/4/8)",
      "DCGM telemetry capture script",
      "Storage I/O test",
      "Unified-memory profiler",
      "JSON results in bench/baselines/",
    ],
    acceptanceCriteria: [
      "Throughput runs report images/s, p95 latency and peak memory",
      "DCGM capture covers utilisation, power, temperature and memory bandwidth",
      "Sustained I/O of at least 8 GB/s is demonstrated",
      "The profiler accounts for CPU and GPU use of the unified memory",
      "Every result is exported as JSON",
    ],
  },
];

/** The domain's own gates; the meta orchestrator's are in ../plan.ts. */
export const gates: NonNullable<OrchestrationInput["gates"]> = [
  {
    id: "foundation-complete",
    name: "Foundation Complete",
    owner: "foundation",
    from: ["M0"],
    to: ["M1", "M2"],
    after: ["WS-01", "WS-02", "WS-03"],
    criteria: [
      "WS-01: verification script runs, baseline JSON stored in bench/baselines/, hardware.md updated",
      "WS-01: GB10, 128 GB unified memory and ARM CPU verified",
      "WS-02: Dockerfile builds on ARM and the run script produces 10 images",
      "WS-02: environment JSON complete and smoke test under 5 minutes",
      "WS-03: throughput, DCGM, I/O and memory benchmarks work, with baselines documented and exported as JSON",
    ],
    status: "pending",
  },
];
