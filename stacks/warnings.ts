// Synth warnings (e.g. a GPU service downgraded on a CPU-only host) look like warnings on every path.
import type { Problem } from "../constructs/model";

export const formatWarning = (w: Problem) => `sparky-infra: warning: ${w.path}: ${w.message}`;

/**
 * The cdktf CLI logs everything its app writes to stderr as `[ERROR] default - …` and prints the app's stdout as
 * it is (@cdktf/commons shell(): stderr chunks go to logger.error, stdout chunks to console.log). Under the CLI
 * (it sets CDKTF_CONTEXT_JSON for the app) warnings therefore go to stdout; everywhere else to stderr.
 */
export function warningStream(env: NodeJS.ProcessEnv): NodeJS.WriteStream {
  return env.CDKTF_CONTEXT_JSON !== undefined ? process.stdout : process.stderr;
}

export function reportWarnings(warnings: readonly Problem[], env: NodeJS.ProcessEnv = process.env): void {
  const stream = warningStream(env);
  for (const w of warnings) stream.write(`${formatWarning(w)}\n`);
}
