// `just plan-preview [--out dir] [--stacks glob] [--parallel n]`: plan every selected stack and render one
// PR comment (exit 0 no changes, 2 changes, 1 error).
// `just plan-preview apply --from dir [--stacks glob]`: apply exactly the reviewed plans.
import * as path from "node:path";
import { parseCommandLine, positiveInteger, UsageError } from "./engine/args";
import { runCli } from "./engine/cli";
import { REPO_ROOT } from "./engine/toolchain";
import { applyFrom, planPreview } from "./plan-preview/run";

const USAGE = `usage: plan-preview [plan] [--out DIR] [--stacks GLOB[,GLOB]] [--parallel N]
       plan-preview apply --from DIR [--stacks GLOB]`;

const OPTIONS = {
  out: { type: "string" },
  stacks: { type: "string", multiple: true },
  parallel: { type: "string" },
  from: { type: "string" },
} as const;

async function main(): Promise<number> {
  const { values, positionals, help } = parseCommandLine(process.argv.slice(2), OPTIONS, USAGE);
  if (help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const [command = "plan", ...extra] = positionals.filter((p) => p.trim() !== "");
  if (command !== "plan" && command !== "apply") throw new UsageError(`unexpected argument ${command}\n${USAGE}`);
  if (extra.length > 0) throw new UsageError(`unexpected argument ${extra[0]}\n${USAGE}`);
  if (command === "apply") {
    if (!values.from) throw new UsageError(`apply needs --from DIR (a plan-preview output directory)\n${USAGE}`);
    const result = await applyFrom({ env: process.env, projectRoot: REPO_ROOT, from: path.resolve(values.from), stacks: values.stacks });
    for (const o of result.outcomes) process.stdout.write(`${o.stack}: ${o.result}${o.message ? ` (${o.message.split("\n")[0]})` : ""}\n`);
    return result.exitCode;
  }
  const result = await planPreview({
    env: process.env,
    projectRoot: REPO_ROOT,
    out: path.resolve(values.out ?? ".plan-preview"),
    stacks: values.stacks,
    parallel: positiveInteger("parallel", values.parallel, 3, USAGE),
    progress: process.stderr,
  });
  process.stdout.write(result.markdown);
  return result.exitCode;
}

runCli("plan-preview", main);
