// Paths and environment of the project-local engine and providers (installed by scripts/setup-toolchain.sh)
// and the local Docker images (built by scripts/build-local-images.sh), shared by tools and tests.
import { existsSync, readFileSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";

/** The checkout this code runs from, found by its package.json (works from sources and from .build bundles). */
export const REPO_ROOT = findRepoRoot(__dirname);

function findRepoRoot(start: string): string {
  for (let dir = start; dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === "sparky-infra") return dir;
  }
  throw new Error(`no sparky-infra checkout above ${start}`);
}
export const TOOLCHAIN_DIR = join(REPO_ROOT, ".toolchain");
/** The engine binary (OpenTofu); pass as TERRAFORM_BINARY_NAME to cdktf. */
export const ENGINE_BIN = join(TOOLCHAIN_DIR, "bin", "tofu");
/** CLI config: filesystem mirror only, no network installs. */
export const CLI_CONFIG = join(TOOLCHAIN_DIR, "tofurc");
export const STATUS_FILE = join(TOOLCHAIN_DIR, "status.json");

export interface ToolchainStatus {
  platform: string;
  /** Where the providers come from: built offline from vendored source archives, or downloaded by `init`. */
  providerSource: "archives" | "registry";
  tofu: { version: string; path: string };
  providers: Record<string, { version: string; status: "pinned"; from: string }>;
}

/** Contents of .toolchain/status.json, or undefined when setup has not run. */
export function toolchainStatus(): ToolchainStatus | undefined {
  if (!existsSync(STATUS_FILE)) return undefined;
  return JSON.parse(readFileSync(STATUS_FILE, "utf8")) as ToolchainStatus;
}

export function engineAvailable(): boolean {
  return existsSync(ENGINE_BIN) && existsSync(CLI_CONFIG) && toolchainStatus() !== undefined;
}

const KEEP_TF_VARS = new Set(["TF_LOG", "TF_LOG_PATH", "TF_LOG_CORE", "TF_LOG_PROVIDER"]);

/**
 * Environment for child processes (tofu, cdktf), and the one definition of what `source scripts/toolchain-env.sh`
 * sets: the machine's TF_* variables removed (they change what the engine does: CLI args, workspace, registry
 * tokens), except the logging ones and the caller's TF_VAR_* inputs; then TF_INPUT=0 (a missing input is an
 * error, never a prompt hidden behind a progress display), TF_CLI_CONFIG_FILE, TERRAFORM_BINARY_NAME,
 * CHECKPOINT_DISABLE, SPARKY_TOOLCHAIN_DIR, and .toolchain/bin first on PATH (once).
 */
export function toolchainEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(base)) {
    if (k.startsWith("TF_") && !KEEP_TF_VARS.has(k) && !k.startsWith("TF_VAR_")) continue;
    env[k] = v;
  }
  const bin = join(TOOLCHAIN_DIR, "bin");
  env.TF_INPUT = "0";
  env.TF_CLI_CONFIG_FILE = CLI_CONFIG;
  env.TERRAFORM_BINARY_NAME = ENGINE_BIN;
  env.CHECKPOINT_DISABLE = "1";
  env.SPARKY_TOOLCHAIN_DIR = TOOLCHAIN_DIR;
  env.PATH = [bin, ...(base.PATH ?? "").split(delimiter).filter((p) => p && p !== bin)].join(delimiter);
  return env;
}
