// `just lint`: init (from the local mirror) and `validate` every stack in cdktf.out with the pinned engine.
import * as path from "node:path";
import { ensureInitialized, forEachBounded, runEngine, synthesizedStacks } from "./engine/stacks";
import { REPO_ROOT, toolchainStatus } from "./engine/toolchain";

export interface StackValidation {
  stack: string;
  valid: boolean;
  /** Why the stack was not validated (its provider is not in the mirror). */
  skipped?: string;
  diagnostics: string[];
}

/** Providers the mirror lacks, by provider type ("github"), with the reason recorded at setup. */
export function missingProviders(): Map<string, string> {
  const missing = new Map<string, string>();
  for (const [source, status] of Object.entries(toolchainStatus()?.providers ?? {}))
    if (status.status === "missing") missing.set(source.split("/")[1], `${source} ${status.version} is not in the mirror: ${status.note}`);
  return missing;
}

export async function validateStacks(outdir: string): Promise<StackValidation[]> {
  const missing = missingProviders();
  const results = await forEachBounded(synthesizedStacks(outdir), 3, async (stack): Promise<StackValidation> => {
    const provider = [...missing.keys()].find((type) => stack.name.endsWith(`-${type}`));
    if (provider) return { stack: stack.name, valid: false, skipped: missing.get(provider), diagnostics: [] };
    await ensureInitialized(stack.dir);
    const result = await runEngine(stack.dir, ["validate", "-json", "-no-color"]);
    const report = JSON.parse(result.stdout) as { valid: boolean; diagnostics: { severity: string; summary: string; detail?: string }[] };
    return {
      stack: stack.name,
      valid: report.valid,
      diagnostics: report.diagnostics.map((d) => `${d.severity}: ${d.summary}${d.detail ? ` (${d.detail})` : ""}`),
    };
  });
  return results.map((r) => {
    if (r.status === "rejected") throw r.reason;
    return r.value;
  });
}

if (require.main === module) {
  const outdir = process.argv[2] ?? path.join(REPO_ROOT, "cdktf.out");
  validateStacks(outdir).then((results) => {
    for (const r of results)
      process.stdout.write(
        `${r.skipped ? "SKIP" : r.valid ? "ok  " : "FAIL"} ${r.stack}${r.skipped ? `: ${r.skipped}` : ""}\n${r.diagnostics.map((d) => `     ${d}\n`).join("")}`,
      );
    process.exitCode = results.some((r) => !r.valid && !r.skipped) ? 1 : 0;
  });
}
