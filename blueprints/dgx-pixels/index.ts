import type { ProjectInput } from "../../constructs/model";
import { alerts } from "./alerts";
import { dashboards } from "./dashboards";
import { decisions } from "./decisions";
import { plan } from "./plan";
import { network, services, volumes } from "./services";

/**
 * dgx-pixels (raibid-labs/dgx-pixels): pixel-art sprite generation on a DGX Spark — SDXL + LoRA behind
 * ComfyUI, a Python ZeroMQ worker, a Rust TUI and a FastMCP bridge to Bevy.
 * Source: /work/shared/reference/dgx-pixels-facts.md (paraphrased). Contradictions in the source and how
 * they were resolved are listed in `decisions`.
 */

export const dgxPixels: ProjectInput = {
  id: "dgx-pixels",
  name: "DGX-Pixels",
  description:
    "Open-source pixel-art sprite generator for game developers, running on one DGX Spark (GB10): SDXL with LoRA styles through ComfyUI, a Python ZeroMQ backend, a Rust ratatui TUI and an MCP bridge that deploys sprites into Bevy.",

  repository: {
    name: "dgx-pixels",
    description:
      "AI pixel-art sprite generation on NVIDIA DGX Spark: SDXL + LoRA via ComfyUI, Rust TUI, ZeroMQ backend, Bevy MCP integration",
    visibility: "public",
    defaultBranch: "main",
    topics: ["dgx-spark", "pixel-art", "sdxl", "lora", "comfyui", "ratatui", "zeromq", "bevy", "mcp", "game-assets"],
    requiredReviews: 1,
    // The check runs of .github/workflows/test.yml are reported under the jobs' display names.
    requiredChecks: ["Rust Tests", "Python Tests", "Nushell Scripts Check"],
    variables: {},
    secrets: [],
  },

  ...plan,
  decisions,
  network,
  services,
  volumes,
  alerts,
  dashboards,
  // A checkout of raibid-labs/dgx-pixels next to sparky-infra, as compose's `..` is the checkout's root.
  sourceRoot: "../dgx-pixels",
};
