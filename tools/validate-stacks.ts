// `just lint`: init (from the local mirror) and `validate` every stack in cdktf.out with the pinned engine.
//   node bin/run.js tools/validate-stacks.ts [--outdir DIR]
import * as path from "node:path";
import { parseCommandLine, UsageError } from "./engine/args";
import { runCli } from "./engine/cli";
import { ensureInitialized, forEachBounded, runEngine, synthesizedStacks } from "./engine/stacks";
import { REPO_ROOT } from "./engine/toolchain";

export interface StackValidation {
  stack: string;
  valid: boolean;
  diagnostics: string[];
}

export async function validateStacks(outdir: string): Promise<StackValidation[]> {
  const results = await forEachBounded(synthesizedStacks(outdir), 3, async (stack): Promise<StackValidation> => {
    // A static check: no state is read, so no state server is needed either.
    await ensureInitialized(stack.dir, { withoutState: true });
    const result = await runEngine(stack.dir, ["validate", "-json", "-no-color"], { withoutState: true });
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

const USAGE = "usage: validate-stacks [--outdir DIR]   (default: cdktf.out)";

async function main(): Promise<number> {
  const { values, positionals, help } = parseCommandLine(process.argv.slice(2), { outdir: { type: "string" } } as const, USAGE);
  if (help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (positionals.length > 1) throw new UsageError(`unexpected argument ${positionals[1]}\n${USAGE}`);
  const results = await validateStacks(path.resolve(values.outdir ?? positionals[0] ?? path.join(REPO_ROOT, "cdktf.out")));
  for (const r of results)
    process.stdout.write(`${r.valid ? "ok  " : "FAIL"} ${r.stack}\n${r.diagnostics.map((d) => `     ${d}\n`).join("")}`);
  return results.some((r) => !r.valid) ? 1 : 0;
}

if (require.main === module) runCli("validate-stacks", main);
