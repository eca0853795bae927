// The pinned third-party actions: one list (.github/actions-pins.json), every `uses:` of the workflows and the
// composite actions checked against it, and the rewrite that pins them to commit SHAs (tools/pin-actions.ts).
import * as fs from "node:fs";
import * as path from "node:path";

export const PINS_FILE = path.join(".github", "actions-pins.json");

export interface Pin {
  /** The exact release, e.g. v4.2.2. */
  version: string;
  /** The release's commit, once a maintainer pinned it online. */
  sha?: string;
}

export function readPins(root: string): Record<string, Pin> {
  const json = JSON.parse(fs.readFileSync(path.join(root, PINS_FILE), "utf8")) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(json).filter(([k]) => k !== "//")) as Record<string, Pin>;
}

/** The workflow and composite action files, relative to the root. */
export function workflowFiles(root: string): string[] {
  const dirs = [
    path.join(".github", "workflows"),
    ...fs.readdirSync(path.join(root, ".github", "actions")).map((a) => path.join(".github", "actions", a)),
  ];
  return dirs.flatMap((d) =>
    fs
      .readdirSync(path.join(root, d))
      .filter((f) => /\.ya?ml$/.test(f))
      .map((f) => path.join(d, f)),
  );
}

export interface Use {
  file: string;
  line: number;
  action: string;
  ref: string;
  /** The `# vX.Y.Z` comment after a SHA. */
  comment?: string;
}

const USES = /^\s*(?:-\s+)?uses:\s*([^@\s#]+)@([^\s#]+)(?:\s+#\s*(\S+))?\s*$/;

/** Every `uses: owner/repo@ref` of a third-party action (local `./` actions are this repository's). */
export function usesOf(root: string, file: string): Use[] {
  return fs
    .readFileSync(path.join(root, file), "utf8")
    .split("\n")
    .flatMap((text, i) => {
      const m = USES.exec(text);
      return m && !m[1].startsWith("./") ? [{ file, line: i + 1, action: m[1], ref: m[2], comment: m[3] }] : [];
    });
}

/** What a `uses:` must say for a pin: `@version`, or `@sha # version` once pinned to a SHA. */
export const pinnedRef = (pin: Pin) => (pin.sha ? `${pin.sha} # ${pin.version}` : pin.version);

/** Problems with one `uses:`, each naming the file, line and the fix. */
export function checkUse(use: Use, pins: Record<string, Pin>): string | undefined {
  const pin = pins[use.action];
  const where = `${use.file}:${use.line}: ${use.action}@${use.ref}`;
  if (!pin) return `${where}: not in ${PINS_FILE}; add it there at an exact release`;
  const actual = use.comment ? `${use.ref} # ${use.comment}` : use.ref;
  return actual === pinnedRef(pin) ? undefined : `${where}: must be ${use.action}@${pinnedRef(pin)} (${PINS_FILE})`;
}

/** The workflow text with every pinned action's `uses:` written as its pin says. */
export function rewriteUses(text: string, pins: Record<string, Pin>): string {
  return text
    .split("\n")
    .map((line) => {
      const m = USES.exec(line);
      const pin = m && pins[m[1]];
      return pin ? line.replace(/uses:.*$/, `uses: ${m[1]}@${pinnedRef(pin)}`) : line;
    })
    .join("\n");
}
