import type { ProjectInput } from "../../constructs/model";
import { decisions } from "./decisions";
import { plan } from "./plan";
import { network, services, volumes } from "./services";

/**
 * Sparky (raibid-labs/sparky): watches git activity across the raibid-labs organisation and turns it into
 * daily, weekly and monthly blog posts with a local LLM. The plan is the Rust-era one from
 * docs/guides/parallel-issues.md. What the repository supports today is deployed (Ollama and the model its scripts pull);
 * the Rust services and the scheduled pipeline are planned until their code and images exist.
 * Source: /work/shared/reference/sparky-facts.md (paraphrased). Choices are listed in `decisions`.
 */

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

  ...plan,
  decisions,
  network,
  services,
  volumes,
};
