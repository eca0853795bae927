// Drift detection CLI (entry: tools/drift.ts): `node bin/run.js tools/drift.ts [--stacks glob] [--json out] [--markdown out]`
//   synthesizes in-process, then per stack one normal plan, whose refresh shows the out-of-band changes
//   (resource_drift) and whose changes the code not applied, judged from JSON only. Exit 0 clean, 2 drift, 1 error.
// Reconcile, only when asked: `tools/drift.ts reconcile --restore|--accept [--stacks glob]`; a restore that
// destroys or replaces anything is refused (with the list) unless --allow-destroy is given.
// Options: --outdir dir (default cdktf.out), --no-synth (use an existing synth), --ignore file
// (default config/drift-ignore.json), --concurrency n (default 8).
import * as fs from "node:fs";
import * as path from "node:path";
import { parseCommandLine, positiveInteger, UsageError } from "../engine/args";
import { prepareStacks } from "../engine/prepare";
import { withStateServers } from "../engine/state-server";
import { REPO_ROOT } from "../engine/toolchain";
import { exitCodeFor } from "./analyze";
import { checkDrift, DEFAULT_CONCURRENCY, reconcile } from "./check";
import { defaultIgnoreFile, loadIgnoreList } from "./ignore";
import { renderMarkdown } from "./render";

interface Args {
  command: "check" | "reconcile";
  mode?: "restore" | "accept";
  allowDestroy: boolean;
  stacks?: string;
  json?: string;
  markdown?: string;
  outdir: string;
  synth: boolean;
  ignore: string;
  concurrency: number;
  help: boolean;
}

const USAGE =
  "usage: drift [reconcile --restore [--allow-destroy]|--accept] [--stacks glob] [--json file] [--markdown file] [--outdir dir] [--no-synth] [--ignore file] [--concurrency n]";

const OPTIONS = {
  restore: { type: "boolean" },
  accept: { type: "boolean" },
  "allow-destroy": { type: "boolean" },
  stacks: { type: "string" },
  json: { type: "string" },
  markdown: { type: "string" },
  outdir: { type: "string" },
  "no-synth": { type: "boolean" },
  ignore: { type: "string" },
  concurrency: { type: "string" },
} as const;

export function parseArgs(argv: string[]): Args {
  const { values, positionals, help } = parseCommandLine(argv, OPTIONS, USAGE);
  const [command = "check", ...extra] = positionals;
  if (command !== "check" && command !== "reconcile") throw new UsageError(`unknown argument ${command}\n${USAGE}`);
  if (extra.length > 0) throw new UsageError(`unexpected argument ${extra[0]}\n${USAGE}`);
  if (values.restore && values.accept) throw new UsageError(`choose one of --restore and --accept\n${USAGE}`);
  const mode = values.restore ? "restore" : values.accept ? "accept" : undefined;
  if (command === "reconcile" && !mode && !help)
    throw new UsageError(`reconcile needs --restore (apply the code) or --accept (record reality in state)\n${USAGE}`);
  if (command === "check" && mode) throw new UsageError(`--restore/--accept only with reconcile\n${USAGE}`);
  if (values["allow-destroy"] && mode !== "restore") throw new UsageError(`--allow-destroy only with reconcile --restore\n${USAGE}`);
  return {
    command,
    mode,
    allowDestroy: values["allow-destroy"] === true,
    stacks: values.stacks,
    json: values.json,
    markdown: values.markdown,
    outdir: path.resolve(values.outdir ?? path.join(REPO_ROOT, "cdktf.out")),
    synth: !values["no-synth"],
    ignore: path.resolve(values.ignore ?? defaultIgnoreFile(REPO_ROOT)),
    concurrency: positiveInteger("concurrency", values.concurrency, DEFAULT_CONCURRENCY, USAGE),
    help,
  };
}

export async function main(argv: string[] = process.argv.slice(2)): Promise<number> {
  const args = parseArgs(argv);
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const ignore = loadIgnoreList(args.ignore);
  const started = Date.now();
  // Synthesis (unless --no-synth), stack selection and the secrets check, before any engine run.
  const { env, masker, selected } = prepareStacks({
    env: process.env,
    projectRoot: REPO_ROOT,
    outdir: args.outdir,
    stacks: args.stacks,
    synth: args.synth,
  });
  if (args.synth) process.stderr.write(`drift: synthesized in ${Date.now() - started} ms\n`);
  const options = { outdir: args.outdir, stacks: args.stacks, ignore, concurrency: args.concurrency, env };
  const write = (file: string | undefined, text: string) => file && fs.writeFileSync(file, masker.text(text));
  return withStateServers(
    selected,
    env,
    (line) => process.stderr.write(`${line}\n`),
    async () => {
      if (args.command === "reconcile") {
        const { before, results } = await reconcile(args.mode!, { ...options, allowDestroy: args.allowDestroy });
        write(args.json, JSON.stringify({ before, results }, null, 2));
        write(args.markdown, renderMarkdown(before));
        if (results.length === 0) process.stdout.write("nothing to reconcile\n");
        for (const r of results)
          process.stdout.write(`${r.action} ${r.stack}: ${r.ok ? "applied" : "FAILED"}\n${r.ok ? "" : `${r.output}\n`}`);
        return results.every((r) => r.ok) && before.status !== "error" ? 0 : 1;
      }
      const { imports: _imports, ...report } = await checkDrift(options);
      write(args.json, JSON.stringify(report, null, 2));
      const markdown = renderMarkdown(report);
      write(args.markdown, markdown);
      process.stdout.write(masker.text(markdown));
      return exitCodeFor(report);
    },
  );
}
