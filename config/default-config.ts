import type { DeploymentConfigInput } from "../constructs/model";

/**
 * Used when there is no sparky.config.json: both blueprints on the local Docker engine with locally built
 * images, and a `dgx` target for the real Spark. Needs no credentials to synthesize.
 */
export const DEFAULT_CONFIG: DeploymentConfigInput = {
  github: { owner: "raibid-labs" },
  hosts: {
    local: {
      dockerHost: "unix:///var/run/docker.sock",
      gpus: false,
      arch: "amd64",
      projects: ["dgx-pixels", "sparky"],
    },
    dgx: {
      dockerHost: "ssh://ubuntu@dgx-spark",
      gpus: true,
      arch: "arm64",
      projects: ["dgx-pixels", "sparky"],
      // 128 GB of unified memory, shared by CPU and GPU; the OS, Docker and page cache keep 8g of it.
      memory: { total: "128g", reserve: "8g" },
    },
  },
  targets: {
    local: {
      description: "This machine's Docker engine with locally built stand-in images; GPU requests are dropped.",
      hosts: ["local"],
      images: "local",
      allowGpuDowngrade: true,
    },
    dgx: {
      description: "The DGX Spark over SSH with production images; state on the DGX's state server (`dgx-state`), shared with CI.",
      hosts: ["dgx"],
      images: "production",
      state: { backend: "pg", server: "dgx" },
    },
  },
  defaultTarget: "local",
};
