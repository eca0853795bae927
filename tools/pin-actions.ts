// Pins every action of .github/actions-pins.json to the commit of its release, online (needs the GitHub CLI, `gh`,
// logged in): records each SHA in the pins file and rewrites the workflows' `uses:` as `owner/repo@<sha> # vX.Y.Z`.
//   node bin/run.js tools/pin-actions.ts
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { InputError } from "./engine/args";
import { runCli } from "./engine/cli";
import { REPO_ROOT } from "./engine/toolchain";
import { PINS_FILE, readPins, rewriteUses, workflowFiles } from "./ci/pins";

function commitOf(action: string, version: string): string {
  const repo = action.split("/").slice(0, 2).join("/");
  const r = spawnSync("gh", ["api", `repos/${repo}/commits/${version}`, "--jq", ".sha"], { encoding: "utf8", timeout: 60_000 });
  const sha = r.stdout.trim();
  if (r.status !== 0 || !/^[0-9a-f]{40}$/.test(sha))
    throw new InputError(`gh api repos/${repo}/commits/${version} failed: ${r.stderr.trim() || r.stdout.trim()}`);
  return sha;
}

async function main(): Promise<number> {
  const pins = readPins(REPO_ROOT);
  for (const [action, pin] of Object.entries(pins)) {
    pin.sha = commitOf(action, pin.version);
    process.stderr.write(`${action}@${pin.version}: ${pin.sha}\n`);
  }
  const file = path.join(REPO_ROOT, PINS_FILE);
  const comment = (JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>)["//"];
  fs.writeFileSync(file, JSON.stringify({ "//": comment, ...pins }, null, 2) + "\n");
  for (const workflow of workflowFiles(REPO_ROOT)) {
    const full = path.join(REPO_ROOT, workflow);
    fs.writeFileSync(full, rewriteUses(fs.readFileSync(full, "utf8"), pins));
  }
  return 0;
}

runCli("pin-actions", main);
