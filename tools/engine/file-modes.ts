// Files that hold secrets are private: state (and its backups), saved plans, reports, and the sockets and
// directories of SSH connections. New ones are private because the tools and the engine run with umask 077;
// older ones (written 0644 before this rule) are tightened when a command next uses them.
import * as fs from "node:fs";
import * as path from "node:path";
import type { SynthesizedStack } from "./stacks";
import { readStackConfig } from "./variables";

/** Owner only: files 0600, directories 0700. */
export const PRIVATE_UMASK = 0o077;

/** Runs `start` (a spawn) with umask 077, so the child and everything it writes inherit it. */
export function withPrivateUmask<T>(start: () => T): T {
  const previous = process.umask(PRIVATE_UMASK);
  try {
    return start();
  } finally {
    process.umask(previous);
  }
}

/** Sets `mode` on `file` when group or others can read it; returns a note for the user when it did. */
function tighten(file: string, mode: number): string | undefined {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(file);
  } catch {
    return undefined;
  }
  if (stat.isSymbolicLink() || (stat.mode & 0o077) === 0) return undefined;
  fs.chmodSync(file, mode);
  return `tightened ${file} from ${(stat.mode & 0o777).toString(8).padStart(4, "0")} to ${mode.toString(8).padStart(4, "0")} (it holds secrets)`;
}

/**
 * The stack's local state file, its backups, its state directory and the saved plans in its directory,
 * made private when they are not. Returns a note per file it changed.
 */
export function tightenStackFiles(stack: Pick<SynthesizedStack, "dir">): string[] {
  const notes: (string | undefined)[] = [];
  const local = (readStackConfig(stack.dir).terraform?.backend as { local?: { path?: unknown } } | undefined)?.local;
  if (typeof local?.path === "string") {
    const state = path.resolve(stack.dir, local.path);
    const dir = path.dirname(state);
    notes.push(tighten(dir, 0o700));
    if (fs.existsSync(dir))
      for (const name of fs.readdirSync(dir))
        if (name === path.basename(state) || name.startsWith(`${path.basename(state)}.`)) notes.push(tighten(path.join(dir, name), 0o600));
  }
  for (const name of fs.existsSync(stack.dir) ? fs.readdirSync(stack.dir) : [])
    if (name.endsWith(".tfplan")) notes.push(tighten(path.join(stack.dir, name), 0o600));
  return notes.filter((n): n is string => n !== undefined);
}
