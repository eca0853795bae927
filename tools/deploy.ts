// `just diff|deploy|destroy [target] [stacks] [flags]`: the stacks of a target through the pinned engine.
//   diff     plans and prints the summary a PR comment shows; exit 0 no changes, 2 changes, 1 error
//   deploy   plans, then applies exactly those plans in dependency order; names unhealthy containers on failure
//   destroy  shows what goes (and which volumes stay), asks on a terminal (--yes skips it); never a *-github
//            stack unless a pattern naming it says "github"
import * as path from "node:path";
import * as readline from "node:readline/promises";
import { Duration } from "../constructs/model/common";
import { parseCommandLine, positiveInteger, UsageError } from "./engine/args";
import { runCli } from "./engine/cli";
import { REPO_ROOT } from "./engine/toolchain";
import { runStacks, StacksCommand } from "./deploy/run";

const USAGE = `usage: deploy <diff|deploy|destroy> [TARGET] [STACKS...] [--output DIR] [--parallel N] [--terraform-parallelism N] [--lock-timeout D] [--yes] [--adopt]
  TARGET   a target of the config (default: SPARKY_TARGET, else the config's defaultTarget)
  STACKS   stack name patterns, space- or comma-separated ('*-services *-observability'); default every stack
  --output the synthesized output directory (default: CDKTF_OUTDIR, else cdktf.out)
  --parallel stacks planned at once (default 4)
  --terraform-parallelism resources the engine works on at once per stack (default 10; lower it for a DGX over ssh)
  --lock-timeout how long to wait for a stack's state lock held by another run, e.g. 0s, 30s, 5m (default 60s)
  --yes    destroy without asking (required without a terminal)
  --adopt  diff, deploy: take over containers, networks and volumes named like the stacks' own that another tool
           made (e.g. the compose deployment being migrated); containers are replaced, volumes kept with their data`;

const OPTIONS = {
  output: { type: "string" },
  parallel: { type: "string" },
  "terraform-parallelism": { type: "string" },
  "lock-timeout": { type: "string" },
  yes: { type: "boolean" },
  adopt: { type: "boolean" },
} as const;
const COMMANDS: readonly string[] = ["diff", "deploy", "destroy"];

async function confirm(question: string): Promise<boolean> {
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (await rl.question(question)).trim() === "yes";
  } finally {
    rl.close();
  }
}

function duration(flag: string, value: string | undefined): string | undefined {
  if (value !== undefined && !Duration.safeParse(value).success)
    throw new UsageError(`--${flag} must be a duration like 0s, 30s or 5m, not "${value}"\n${USAGE}`);
  return value;
}

async function main(): Promise<number> {
  const { values, positionals, help } = parseCommandLine(process.argv.slice(2), OPTIONS, USAGE);
  if (help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const [command, target, ...stacks] = positionals;
  if (!command || !COMMANDS.includes(command)) throw new UsageError(`${command ? `unknown command ${command}` : "no command"}\n${USAGE}`);
  const env: NodeJS.ProcessEnv = { ...process.env, ...(target ? { SPARKY_TARGET: target } : {}) };
  return runStacks(command as StacksCommand, {
    env,
    projectRoot: REPO_ROOT,
    outdir: path.resolve(values.output ?? env.CDKTF_OUTDIR ?? path.join(REPO_ROOT, "cdktf.out")),
    stacks: stacks.filter((s) => s.trim() !== ""),
    parallel: positiveInteger("parallel", values.parallel, 4, USAGE),
    parallelism: values["terraform-parallelism"]
      ? positiveInteger("terraform-parallelism", values["terraform-parallelism"], 10, USAGE)
      : undefined,
    lockTimeout: duration("lock-timeout", values["lock-timeout"]),
    yes: values.yes === true,
    adopt: values.adopt === true,
    confirm: process.stdin.isTTY && process.stderr.isTTY ? confirm : undefined,
    stdout: (text) => process.stdout.write(text),
    stderr: process.stderr,
  });
}

runCli(COMMANDS.includes(process.argv[2]) ? process.argv[2] : "deploy", main);
