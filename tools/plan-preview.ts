// `just plan-preview [--out dir] [--stacks glob] [--parallel n]`: plan every selected stack and render one
// PR comment (exit 0 no changes, 2 changes, 1 error).
// `just plan-preview apply --from dir [--stacks glob]`: apply exactly the reviewed plans.
// `just plan-preview apply --reviewed changeset.json`: plan again, apply only the reviewed change set (CI on merge).
import * as path from "node:path";
import { InputError, parseCommandLine, positiveInteger, UsageError } from "./engine/args";
import { runCli } from "./engine/cli";
import { REPO_ROOT } from "./engine/toolchain";
import { applyFrom, readChangeSet } from "./plan-preview/apply";
import { runStacks } from "./deploy/run";
import { planPreview } from "./plan-preview/run";

const USAGE = `usage: plan-preview [plan] [--out DIR] [--stacks GLOB[,GLOB]] [--parallel N] [--synthesized DIR]
       plan-preview apply --from DIR [--stacks GLOB]
       plan-preview apply --reviewed CHANGESET.json [--commit SHA] [--stacks GLOB]
  --synthesized  plan the stacks of this synthesized directory (CI: the guard's vetted copy) instead of synthesizing
  --from         apply exactly the saved plans of a plan-preview output directory (sha256-checked)
  --reviewed     plan again and apply only if the change set equals this reviewed one (CI on merge to main);
                 --commit is the commit the reviewed preview must have planned`;

const OPTIONS = {
  out: { type: "string" },
  stacks: { type: "string", multiple: true },
  parallel: { type: "string" },
  from: { type: "string" },
  synthesized: { type: "string" },
  reviewed: { type: "string" },
  commit: { type: "string" },
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
  if (command === "apply" && values.reviewed) return applyReviewedChangeSet(values.reviewed, values.commit, values.stacks);
  if (command === "apply") {
    if (!values.from) throw new UsageError(`apply needs --from DIR (a plan-preview output directory) or --reviewed FILE\n${USAGE}`);
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
    synthesized: values.synthesized,
  });
  process.stdout.write(result.markdown);
  return result.exitCode;
}

/** CI on merge to main: plan from this (trusted) checkout, and apply only what the reviewed change set says. */
function applyReviewedChangeSet(file: string, commit: string | undefined, stacks: string[] | undefined): Promise<number> {
  const reviewed = readChangeSet(path.resolve(file));
  if (commit !== undefined && reviewed.commit !== commit)
    throw new InputError(
      `the reviewed preview planned commit ${reviewed.commit ?? "(unknown)"}, not ${commit}: run the preview on the pull request's last commit and review it`,
    );
  return runStacks("deploy", {
    env: process.env,
    projectRoot: REPO_ROOT,
    outdir: path.resolve(process.env.CDKTF_OUTDIR ?? path.join(REPO_ROOT, "cdktf.out")),
    stacks: stacks ?? [],
    parallel: 4,
    reviewed,
    stdout: (text) => process.stdout.write(text),
    stderr: process.stderr,
  });
}

runCli("plan-preview", main);
