// Drift detection CLI (entry: tools/drift.ts): `node bin/run.js tools/drift.ts [--stacks glob] [--json out] [--markdown out]`
//   synthesizes in-process, then per stack a refresh-only plan (out-of-band changes) and a normal plan (code not
//   applied), judged from JSON only. Exit 0 clean, 2 drift, 1 error.
// Reconcile, only when asked: `tools/drift.ts reconcile --restore|--accept [--stacks glob]`.
// Options: --outdir dir (default cdktf.out), --no-synth (use an existing synth), --ignore file
// (default config/drift-ignore.json), --concurrency n (default 8).
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT, toolchainEnv } from "../engine/toolchain";
import { exitCodeFor } from "./analyze";
import { checkDrift, DEFAULT_CONCURRENCY, reconcile } from "./check";
import { loadIgnoreList } from "./ignore";
import { createMasker, secretValuesFrom } from "./mask";
import { renderMarkdown } from "./render";
import { synthesize } from "../../stacks/synthesize";

interface Args {
  command: "check" | "reconcile";
  mode?: "restore" | "accept";
  stacks?: string;
  json?: string;
  markdown?: string;
  outdir: string;
  synth: boolean;
  ignore: string;
  concurrency: number;
}

const USAGE =
  "usage: drift [reconcile --restore|--accept] [--stacks glob] [--json file] [--markdown file] [--outdir dir] [--no-synth] [--ignore file] [--concurrency n]";

export function parseArgs(argv: string[]): Args {
  const args: Args = {
    command: "check",
    outdir: path.join(REPO_ROOT, "cdktf.out"),
    synth: true,
    ignore: path.join(REPO_ROOT, "config", "drift-ignore.json"),
    concurrency: DEFAULT_CONCURRENCY,
  };
  const rest = [...argv];
  if (rest[0] === "reconcile") {
    args.command = "reconcile";
    rest.shift();
  }
  while (rest.length > 0) {
    const flag = rest.shift()!;
    const value = () => {
      const v = rest.shift();
      if (v === undefined || v.startsWith("--")) throw new Error(`${flag} needs a value\n${USAGE}`);
      return v;
    };
    if (flag === "--restore" || flag === "--accept") {
      if (args.mode) throw new Error(`choose one of --restore and --accept\n${USAGE}`);
      args.mode = flag === "--restore" ? "restore" : "accept";
    } else if (flag === "--stacks") args.stacks = value();
    else if (flag === "--json") args.json = value();
    else if (flag === "--markdown") args.markdown = value();
    else if (flag === "--outdir") args.outdir = path.resolve(value());
    else if (flag === "--ignore") args.ignore = path.resolve(value());
    else if (flag === "--concurrency") args.concurrency = Math.max(1, Number.parseInt(value(), 10) || 1);
    else if (flag === "--no-synth") args.synth = false;
    else throw new Error(`unknown argument ${flag}\n${USAGE}`);
  }
  if (args.command === "reconcile" && !args.mode)
    throw new Error(`reconcile needs --restore (apply the code) or --accept (record reality in state)\n${USAGE}`);
  if (args.command === "check" && args.mode) throw new Error(`--restore/--accept only with reconcile\n${USAGE}`);
  return args;
}

export async function main(argv: string[] = process.argv.slice(2)): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    return 1;
  }
  const ignore = loadIgnoreList(args.ignore);
  if (args.synth) {
    const started = Date.now();
    synthesize({ env: toolchainEnv(process.env), projectRoot: REPO_ROOT, outdir: args.outdir });
    process.stderr.write(`drift: synthesized in ${Date.now() - started} ms\n`);
  }
  const options = { outdir: args.outdir, stacks: args.stacks, ignore, concurrency: args.concurrency };
  const masker = createMasker(secretValuesFrom(process.env));
  const write = (file: string | undefined, text: string) => file && fs.writeFileSync(file, masker.text(text));

  if (args.command === "reconcile") {
    const { before, results } = await reconcile(args.mode!, options);
    write(args.json, JSON.stringify({ before, results }, null, 2));
    write(args.markdown, renderMarkdown(before));
    if (results.length === 0) process.stdout.write("nothing to reconcile\n");
    for (const r of results) process.stdout.write(`${r.action} ${r.stack}: ${r.ok ? "applied" : "FAILED"}\n${r.ok ? "" : `${r.output}\n`}`);
    return results.every((r) => r.ok) && before.status !== "error" ? 0 : 1;
  }
  const { imports: _imports, ...report } = await checkDrift(options);
  write(args.json, JSON.stringify(report, null, 2));
  const markdown = renderMarkdown(report);
  write(args.markdown, markdown);
  process.stdout.write(masker.text(markdown));
  return exitCodeFor(report);
}
