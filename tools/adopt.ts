// `just adopt [project...]`: reads each project's existing GitHub objects and writes adoption/<project>.json, the
// committed map from model ids to GitHub ids that synth turns into `import` blocks. It proposes matches; a person
// confirms them by editing the map. Anything it cannot match is listed, never duplicated; re-running is a no-op.
import * as path from "node:path";
import { parseCommandLine } from "./engine/args";
import { runCli } from "./engine/cli";
import { REPO_ROOT } from "./engine/toolchain";
import { adopt } from "./adopt/run";

const USAGE = `usage: adopt [PROJECT...] [--target TARGET] [--dir DIR]
  PROJECT   projects to adopt (default: every project)
  --target  a target of the config (default: SPARKY_TARGET, else the config's defaultTarget)
  --dir     where the maps are written (default: SPARKY_ADOPTION_DIR, else adoption/)`;

const OPTIONS = { target: { type: "string" }, dir: { type: "string" } } as const;

async function main(): Promise<number> {
  const { values, positionals, help } = parseCommandLine(process.argv.slice(2), OPTIONS, USAGE);
  if (help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const env: NodeJS.ProcessEnv = { ...process.env, ...(values.target ? { SPARKY_TARGET: values.target } : {}) };
  const results = await adopt({
    env,
    projectRoot: REPO_ROOT,
    projects: positionals.filter((p) => p.trim() !== ""),
    dir: values.dir ? path.resolve(values.dir) : undefined,
    stderr: process.stderr,
  });
  for (const r of results) {
    process.stdout.write(`${r.project}: ${path.relative(process.cwd(), r.file) || r.file} ${r.outcome}\n`);
    for (const note of r.notes) process.stdout.write(`  ${note}\n`);
  }
  return 0;
}

runCli("adopt", main);
