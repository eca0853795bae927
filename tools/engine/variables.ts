// Stack inputs come from the environment only: a stack variable named GRAFANA_ADMIN_PASSWORD is fed from the
// environment variable of the same name, as TF_VAR_GRAFANA_ADMIN_PASSWORD, so a secret never touches a file.
import * as fs from "node:fs";
import * as path from "node:path";
import { inlineLiterals } from "../../stacks/literal-files";

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

/** Configs read in this process, by stack file: a command reads each stack's many times (variables, names, secrets). */
const readConfigs = new Map<string, { stamp: string; config: StackConfig }>();

/** The stack's config as synthesized, long literals read back from their files (see stacks/literal-files.ts). */
export function readStackConfig(dir: string): StackConfig {
  const file = path.resolve(dir, "cdk.tf.json");
  const { mtimeMs, size, ino } = fs.statSync(file);
  const stamp = `${mtimeMs} ${size} ${ino}`;
  let read = readConfigs.get(file);
  if (read?.stamp !== stamp) {
    read = { stamp, config: inlineLiterals(JSON.parse(fs.readFileSync(file, "utf8")) as StackConfig, dir) };
    readConfigs.set(file, read);
  }
  return structuredClone(read.config); // callers may change their copy
}

/** TF_VAR_<name> for each declared variable that the environment holds as <name> (an explicit TF_VAR_ wins). */
export function variablesFromEnvironment(dir: string, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  if (!fs.existsSync(path.join(dir, "cdk.tf.json"))) return {};
  const declared = Object.keys(readStackConfig(dir).variable ?? {});
  return Object.fromEntries(
    declared.filter((name) => env[name] !== undefined && env[`TF_VAR_${name}`] === undefined).map((name) => [`TF_VAR_${name}`, env[name]]),
  );
}
