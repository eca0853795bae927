// The reviewed ignore list (config/drift-ignore.json): known, accepted differences that must not raise drift.
// Every entry names its stacks, resources and attribute (globs) and says why; unknown keys are errors.
import * as fs from "node:fs";
import * as path from "node:path";
import { z } from "zod";
import { InputError } from "../engine/args";
import { globMatch } from "../engine/select";

export const IgnoreEntrySchema = z.strictObject({
  /** Stack name glob, e.g. "*-github". */
  stack: z.string().min(1),
  /** Resource address glob, e.g. "github_repository.*". */
  address: z.string().min(1),
  /** Attribute path (glob); "labels" also covers "labels[0].value"; "*" covers everything, deletion included. */
  attribute: z.string().min(1),
  /** Why this difference is accepted: reviewed in the pull request that adds it. */
  reason: z.string().trim().min(10, "give a reason (at least 10 characters) a reviewer can check"),
});

export const IgnoreFileSchema = z.strictObject({
  $schema: z.string().optional(),
  ignore: z.array(IgnoreEntrySchema),
});

export type IgnoreEntry = z.infer<typeof IgnoreEntrySchema>;

export class IgnoreListError extends InputError {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(
      `${file}: ${problems.length} problem${problems.length === 1 ? "" : "s"} in the drift ignore list:\n${problems.map((p) => `  ${p}`).join("\n")}`,
    );
  }
}

/** Validates an ignore file's parsed content; throws IgnoreListError naming each bad path (e.g. `ignore[2].reason`). */
export function parseIgnoreList(input: unknown, file = "config/drift-ignore.json"): IgnoreEntry[] {
  const result = IgnoreFileSchema.safeParse(input);
  if (result.success) return result.data.ignore;
  throw new IgnoreListError(
    file,
    result.error.issues.map((i) => {
      const where = i.path.map((p, n) => (typeof p === "number" ? `[${p}]` : `${n === 0 ? "" : "."}${String(p)}`)).join("") || "(root)";
      return `${where}: ${i.message}`;
    }),
  );
}

/** The reviewed list of a checkout: drift checks read it, and so do deploy and diff when they judge a refresh. */
export const defaultIgnoreFile = (projectRoot: string): string => path.join(projectRoot, "config", "drift-ignore.json");

export function loadIgnoreList(file: string): IgnoreEntry[] {
  if (!fs.existsSync(file)) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new IgnoreListError(file, [`(root): not valid JSON: ${(e as Error).message}`]);
  }
  return parseIgnoreList(parsed, file);
}

/** True when `attribute` (an entry's path glob) covers `path`, itself or anything under it. */
export function attributeCovers(attribute: string, path: string): boolean {
  if (attribute === "*" || globMatch(attribute, path)) return true;
  // Ancestors of the path: "labels" covers "labels[0].value".
  for (let i = path.length - 1; i > 0; i--) if ((path[i] === "." || path[i] === "[") && globMatch(attribute, path.slice(0, i))) return true;
  return false;
}

/** The first entry covering (stack, address, attribute path); `path` undefined means the whole resource. */
export function findIgnore(entries: readonly IgnoreEntry[], stack: string, address: string, path?: string): IgnoreEntry | undefined {
  return entries.find(
    (e) =>
      globMatch(e.stack, stack) &&
      globMatch(e.address, address) &&
      (path === undefined ? e.attribute === "*" : attributeCovers(e.attribute, path)),
  );
}
