// `just plan-preview [--out dir] [--stacks glob] [--parallel n]`: plan every selected stack and render one
// PR comment (exit 0 no changes, 2 changes, 1 error).
// `just plan-preview apply --from dir [--stacks glob]`: apply exactly the reviewed plans.
import * as path from "node:path";
import { ModelValidationError } from "../constructs/model/validate";
import { REPO_ROOT } from "./engine/toolchain";
import { applyFrom, planPreview } from "./plan-preview/run";

const USAGE = `usage: plan-preview [plan] [--out DIR] [--stacks GLOB[,GLOB]] [--parallel N]
       plan-preview apply --from DIR [--stacks GLOB]`;

function parse(argv: string[]): { command: "plan" | "apply"; flags: Record<string, string> } {
  let command: "plan" | "apply" = "plan";
  const flags: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "plan" || arg === "apply") command = arg;
    else if (arg === "-h" || arg === "--help") {
      process.stdout.write(USAGE + "\n");
      process.exit(0);
    } else if (arg.startsWith("--")) {
      const [key, inline] = arg.slice(2).split("=", 2);
      const value = inline ?? argv[++i];
      if (!["out", "stacks", "parallel", "from"].includes(key) || value === undefined)
        throw new UsageError(`unknown or incomplete option ${arg}`);
      flags[key] = value;
    } else if (arg.trim() !== "") throw new UsageError(`unexpected argument ${arg}`);
  }
  return { command, flags };
}

class UsageError extends Error {}

async function main(): Promise<number> {
  const { command, flags } = parse(process.argv.slice(2));
  const stacks = flags.stacks ? [flags.stacks] : undefined;
  if (command === "apply") {
    if (!flags.from) throw new UsageError("apply needs --from DIR (a plan-preview output directory)");
    const result = await applyFrom({ env: process.env, projectRoot: REPO_ROOT, from: path.resolve(flags.from), stacks });
    for (const o of result.outcomes) process.stdout.write(`${o.stack}: ${o.result}${o.message ? ` (${o.message.split("\n")[0]})` : ""}\n`);
    return result.exitCode;
  }
  const parallel = flags.parallel ? Number(flags.parallel) : 3;
  if (!Number.isInteger(parallel) || parallel < 1) throw new UsageError("--parallel must be a positive integer");
  const result = await planPreview({
    env: process.env,
    projectRoot: REPO_ROOT,
    out: path.resolve(flags.out ?? ".plan-preview"),
    stacks,
    parallel,
  });
  process.stdout.write(result.markdown);
  return result.exitCode;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) process.stderr.write(`plan-preview: ${error.message}\n${USAGE}\n`);
    else if (error instanceof ModelValidationError) process.stderr.write(`${error.message}\n`);
    else process.stderr.write(`plan-preview: ${(error as Error).stack ?? error}\n`);
    process.exit(1);
  },
);
