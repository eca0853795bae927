// What a plan without refresh reads besides the state and the live objects: the stack's config files, the values
// of its variables, the engine and the providers. Two such plans with the same inputs, over the same state, plan
// the same; so when the last one changed nothing, the next need not run (see planKnowingState in fingerprint.ts).
// A stack that reads data sources has no such identity: the engine reads them on every plan.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { filesUnder } from "./files";
import { ENGINE_BIN, STATUS_FILE } from "./toolchain";
import { readStackConfig, StackConfig } from "./variables";

/** What the engine writes in a stack directory; none of it is read by a plan without refresh but the lock file. */
const ENGINE_OUTPUT = [/^\.terraform$/, /\.tfplan$/, /\.tfstate(\.backup)?$/];

/**
 * A digest of everything a plan without refresh of this stack reads besides state and live objects, with the
 * variables' values as `env` holds them (digested, never stored); undefined for a stack with data sources.
 */
export function planInputsIdentity(stackDir: string, env: NodeJS.ProcessEnv): string | undefined {
  const config = readStackConfig(stackDir) as StackConfig & { data?: Record<string, unknown> };
  if (Object.keys(config.data ?? {}).length > 0) return undefined;
  const hash = createHash("sha256");
  for (const file of filesUnder(stackDir, (name) => ENGINE_OUTPUT.some((pattern) => pattern.test(name))))
    hash
      .update(`${file}\0`)
      .update(fs.readFileSync(path.join(stackDir, file)))
      .update("\0");
  for (const name of Object.keys(config.variable ?? {}).sort()) {
    const value = env[`TF_VAR_${name}`] ?? env[name];
    hash.update(`${name}=${value === undefined ? "" : createHash("sha256").update(value).digest("hex")}\0`);
  }
  const engine = fs.statSync(ENGINE_BIN);
  hash.update(`${engine.size} ${engine.mtimeMs}\0`).update(fs.existsSync(STATUS_FILE) ? fs.readFileSync(STATUS_FILE) : "");
  return hash.digest("hex");
}
