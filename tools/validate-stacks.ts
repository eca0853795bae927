// `just lint`: init (from the local mirror) and `validate` every stack in cdktf.out with the pinned engine.
import * as path from "node:path";
import { ensureInitialized, forEachBounded, runEngine, synthesizedStacks } from "./engine/stacks";
import { REPO_ROOT } from "./engine/toolchain";

export interface StackValidation {
  stack: string;
  valid: boolean;
  diagnostics: string[];
}

export async function validateStacks(outdir: string): Promise<StackValidation[]> {
  const results = await forEachBounded(synthesizedStacks(outdir), 3, async (stack): Promise<StackValidation> => {
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
        `${r.valid ? "ok  " : "FAIL"} ${r.stack}\n${r.diagnostics.map((d) => `     ${d}\n`).join("")}`,
      );
    process.exitCode = results.some((r) => !r.valid) ? 1 : 0;
  });
}
