import type { OrchestrationInput } from "../../../constructs/model";

/**
 * AI/ML inference and training (M1, M3): ComfyUI with SDXL on the GB10, its optimisation, and the LoRA training
 * pipeline with its dataset tools.
 */

export const orchestrator: OrchestrationInput["orchestrators"][number] = {
  id: "model",
  name: "Model Orchestrator",
  domain: "AI/ML inference & training",
  milestones: ["M1", "M3"],
  ownedPaths: [
    "workflows/",
    "setup/",
    "models/",
    "python/training/",
    "python/data/",
    "python/eval/",
    "configs/training/",
    "config/comfyui_config.yaml",
    "docs/eval/",
  ],
  agentType: "ai-engineer",
  owners: ["@raibid-labs/ml"],
};

export const workstreams: OrchestrationInput["workstreams"] = [
  {
    id: "WS-04",
    name: "ComfyUI Setup",
    orchestrator: "model",
    milestone: "M1",
    dependsOn: ["WS-01"],
    softDependsOn: ["WS-02", "WS-03"],
    durationDays: { min: 4, max: 5 },
    priority: "P0",
    agentTypes: ["ai-engineer"],
    objective: "ComfyUI running on ARM64 with SDXL 1.0 loaded at FP16 and answering API calls.",
    deliverables: [
      "ComfyUI install script following the dgx-spark-playbooks pattern",
      "ComfyUI configuration file",
      "ARM compatibility report for ComfyUI and its custom nodes",
      "Base workflow templates in workflows/",
    ],
    acceptanceCriteria: [
      "The server starts and responds to API requests",
      "SDXL 1.0 base loads at FP16",
      "A 512×512 test image renders in under 10 s",
      "All custom nodes work on ARM64",
      "A single SDXL model needs at most 80 GB",
    ],
  },
  {
    id: "WS-05",
    name: "SDXL Inference Optimization",
    orchestrator: "model",
    milestone: "M1",
    dependsOn: ["WS-04"],
    durationDays: { min: 5, max: 7 },
    priority: "P0",
    agentTypes: ["ai-engineer"],
    objective: "Tune SDXL on the GB10 until single images and batches meet the M1 latency, throughput and memory targets.",
    deliverables: [
      "Pixel-art-tuned ComfyUI workflows (single sprite, batch, tileset)",
      "Optimisation write-up with before/after measurements",
      "Unified-memory best-practice guide",
    ],
    acceptanceCriteria: [
      "A 1024×1024 FP16 image at batch 1 takes at most 3 s",
      "Batch 8 delivers at least 15 images per minute",
      "Memory use stays at or below 100 GB",
      "Images are loaded zero-copy, without cudaMemcpy",
      "Batch 8 is at least 2.5× as efficient per image as batch 1",
    ],
  },
  {
    id: "WS-06",
    name: "LoRA Training Pipeline",
    orchestrator: "model",
    milestone: "M3",
    dependsOn: ["WS-05"],
    durationDays: { min: 7, max: 10 },
    priority: "P1",
    agentTypes: ["ai-engineer"],
    objective: "Fine-tune LoRA adapters that give SDXL a consistent pixel-art style, within the Spark's memory and time budget.",
    deliverables: [
      "LoRA trainer (python/training/lora_trainer.py)",
      "Training configurations",
      "Dataset loader with augmentation",
      "Validation and comparison tooling",
      "An example LoRA checkpoint",
    ],
    acceptanceCriteria: [
      "A 50-image dataset trains 3000 steps at FP16 in 4 h or less",
      "Loss converges and is logged",
      "Generated images share a consistent style",
      "The checkpoint is 100 MB or smaller",
      "Training resumes from a checkpoint",
    ],
  },
  {
    id: "WS-07",
    name: "Dataset Tools & Validation",
    orchestrator: "model",
    milestone: "M3",
    dependsOn: ["WS-05"],
    durationDays: { min: 5, max: 6 },
    priority: "P1",
    agentTypes: ["ai-engineer"],
    objective: "Tooling to caption, augment and score pixel-art datasets and outputs, so training and evaluation are measurable.",
    deliverables: [
      "Automatic captioning tool",
      "Pixel-safe augmentation tool",
      "Quality metrics (LPIPS, SSIM, CLIP)",
      "Human evaluation rubric",
      "Dataset collection guide",
    ],
    acceptanceCriteria: [
      "100 images are captioned in under 5 minutes",
      "Augmentation keeps pixel edges sharp (nearest-neighbour only)",
      "Metric values agree with published baselines",
      "The rubric has been tried by 3-5 evaluators",
      "A 50-image example dataset is ready for training",
    ],
  },
];

/** The domain's own gates; the meta orchestrator's are in ../plan.ts. */
export const gates: NonNullable<OrchestrationInput["gates"]> = [
  {
    id: "model-m1-inference-ready",
    name: "M1 Inference Ready",
    owner: "model",
    from: ["M1"],
    to: ["M2", "M3"],
    after: ["WS-04", "WS-05"],
    criteria: [
      "ComfyUI runs on ARM",
      "SDXL 1.0 loads at FP16",
      "At most 3 s per 1024×1024 image",
      "At least 15 images/min at batch 8",
      "Memory use at most 100 GB",
      "Workflow templates tested",
    ],
    status: "pending",
  },
  {
    id: "model-m3-training-ready",
    name: "M3 Training Ready",
    owner: "model",
    from: ["M3"],
    to: ["M2"],
    after: ["WS-06", "WS-07"],
    criteria: [
      "LoRA training pipeline works",
      "50 images train in 4 h or less",
      "Outputs have a consistent style",
      "Captioning, augmentation and validation tools work",
      "An example LoRA checkpoint is produced and tested",
    ],
    status: "pending",
  },
];
