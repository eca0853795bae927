// The engine's environment for deploys from suites and benchmarks, and scratch workspaces with their own config and state.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DEFAULT_CONFIG } from "../config/default-config";
import type { DeploymentConfigInput } from "../constructs/model";
import { toolchainEnv } from "../tools/engine/toolchain";

/**
 * The engine's environment for the github provider against the emulator: none of the machine's GitHub settings
 * (token, owner, base URL, app credentials) and no TF_LOG noise on stderr; `extra` on top.
 */
export function githubProviderEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...toolchainEnv(), TF_IN_AUTOMATION: "1", TF_INPUT: "0" };
  for (const k of [
    "GITHUB_TOKEN",
    "GITHUB_OWNER",
    "GITHUB_ORGANIZATION",
    "GITHUB_BASE_URL",
    "GITHUB_APP_ID",
    "GITHUB_APP_INSTALLATION_ID",
    "GITHUB_APP_PEM_FILE",
    "TF_LOG",
  ])
    delete env[k];
  return { ...env, ...extra };
}

/** A scratch directory with a deployment config whose state lives inside it. */
export function workspace(prefix: string, edit: (config: any) => void = () => {}): { dir: string; configFile: string; stateDir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `sparky-${prefix}-`));
  const stateDir = path.join(dir, "state");
  const config = structuredClone(DEFAULT_CONFIG) as DeploymentConfigInput & Record<string, any>;
  config.targets.local.state = { backend: "local", directory: stateDir };
  edit(config);
  const configFile = path.join(dir, "sparky.config.json");
  fs.writeFileSync(configFile, JSON.stringify(config, null, 2));
  return { dir, configFile, stateDir };
}

/** The engine environment plus a value for every sensitive variable a synthesized stack declares. */
export function deployEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...toolchainEnv(), ...extra };
}

export function variablesOf(stackDir: string): string[] {
  return Object.keys(JSON.parse(fs.readFileSync(path.join(stackDir, "cdk.tf.json"), "utf8")).variable ?? {});
}
