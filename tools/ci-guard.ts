// The preview guard (trusted code only: CI runs it from the base branch's checkout).
//   ci-guard check --synthesized DIR --out DIR   checks a pull request's synthesized stacks against the pinned
//        providers and the trusted list ($SPARKY_TRUSTED_ENDPOINTS) and copies what passed into a fresh DIR
//   ci-guard trusted-list                        prints the trusted list of this checkout's stacks (for the
//        protected Environment's SPARKY_TRUSTED_ENDPOINTS variable); SPARKY_TARGET picks the target
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { InputError, parseCommandLine, UsageError } from "./engine/args";
import { runCli } from "./engine/cli";
import { synthesizedStacks } from "./engine/stacks";
import { REPO_ROOT, toolchainEnv, toolchainStatus } from "./engine/toolchain";
import { synthesize } from "../stacks/synthesize";
import { guardStacks, ProviderPins, writeVetted } from "./ci/guard";
import { parseTrustedList, TRUSTED_LIST_VARIABLE, trustedListOf } from "./ci/trusted";

const USAGE = `usage: ci-guard check --synthesized DIR --out DIR
       ci-guard trusted-list`;
const OPTIONS = { synthesized: { type: "string" }, out: { type: "string" } } as const;

/** The trusted toolchain's pinned providers (scripts/setup-toolchain.sh records them in .toolchain/status.json). */
function installedPins(): ProviderPins {
  const status = toolchainStatus();
  if (!status) throw new InputError("the pinned toolchain is not installed: run scripts/setup-toolchain.sh first");
  return Object.fromEntries(Object.entries(status.providers).map(([source, p]) => [source, p.version]));
}

async function main(): Promise<number> {
  const { values, positionals, help } = parseCommandLine(process.argv.slice(2), OPTIONS, USAGE);
  if (help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const [command, ...extra] = positionals;
  if (extra.length > 0) throw new UsageError(`unexpected argument ${extra[0]}\n${USAGE}`);
  if (command === "trusted-list") {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "sparky-trusted-list-"));
    try {
      synthesize({ env: toolchainEnv(process.env), projectRoot: REPO_ROOT, outdir });
      const list = trustedListOf(
        synthesizedStacks(outdir),
        (stack, file) => path.relative(REPO_ROOT, path.dirname(path.resolve(stack.dir, file))) || ".",
      );
      process.stdout.write(`${JSON.stringify(list)}\n`);
      return 0;
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  }
  if (command !== "check") throw new UsageError(`${command ? `unknown command ${command}` : "no command"}\n${USAGE}`);
  if (!values.synthesized || !values.out) throw new UsageError(`check needs --synthesized DIR and --out DIR\n${USAGE}`);
  const out = path.resolve(values.out);
  const stacks = guardStacks({
    synthesized: path.resolve(values.synthesized),
    trusted: parseTrustedList(process.env[TRUSTED_LIST_VARIABLE]),
    pins: installedPins(),
    projectRoot: REPO_ROOT,
    plannedIn: out,
  });
  writeVetted(stacks, out);
  process.stderr.write(`ci-guard: ${stacks.length} stack(s) passed: ${stacks.map((s) => s.name).join(", ")}; vetted copy in ${out}\n`);
  return 0;
}

runCli("ci-guard", main);
