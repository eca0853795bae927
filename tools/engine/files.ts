import * as fs from "node:fs";
import * as path from "node:path";

/** Every file under `dir` (relative paths, sorted), leaving out the entries `skip` names (a skipped directory whole). */
export function filesUnder(dir: string, skip: (name: string, relative: string) => boolean, under = ""): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(dir, under), { withFileTypes: true })) {
    const relative = path.join(under, entry.name);
    if (skip(entry.name, relative)) continue;
    if (entry.isDirectory()) out.push(...filesUnder(dir, skip, relative));
    else out.push(relative);
  }
  return out.sort();
}
