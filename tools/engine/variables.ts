// Stack inputs come from the environment only: a stack variable named GRAFANA_ADMIN_PASSWORD is fed from the
// environment variable of the same name, as TF_VAR_GRAFANA_ADMIN_PASSWORD, so a secret never touches a file.
import * as fs from "node:fs";
import * as path from "node:path";

/** The parts of a synthesized stack's cdk.tf.json the tools read. */
export interface StackConfig {
  variable?: Record<string, { description?: string; sensitive?: boolean }>;
  terraform?: { required_providers?: Record<string, { source: string }>; backend?: unknown };
  provider?: Record<string, Record<string, unknown>[]>;
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  /** cdktf's and sparky-infra's metadata (a comment to the engine). */
  "//"?: Record<string, unknown>;
  output?: Record<string, { value?: unknown }>;
}

export function readStackConfig(dir: string): StackConfig {
  return JSON.parse(fs.readFileSync(path.join(dir, "cdk.tf.json"), "utf8")) as StackConfig;
}

/** TF_VAR_<name> for each declared variable that the environment holds as <name> (an explicit TF_VAR_ wins). */
export function variablesFromEnvironment(dir: string, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  if (!fs.existsSync(path.join(dir, "cdk.tf.json"))) return {};
  const declared = Object.keys(readStackConfig(dir).variable ?? {});
  return Object.fromEntries(
    declared.filter((name) => env[name] !== undefined && env[`TF_VAR_${name}`] === undefined).map((name) => [`TF_VAR_${name}`, env[name]]),
  );
}
