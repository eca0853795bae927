import { z } from "zod";
import { closestMatch } from "./graph";

/** One thing wrong with the input, located by a dotted path such as `projects.sparky.services.ollama.ports[0]`. */
export interface Problem {
  path: string;
  message: string;
}

export class ModelValidationError extends Error {
  constructor(readonly problems: Problem[]) {
    super(
      `${problems.length} problem${problems.length === 1 ? "" : "s"} in the model:\n` +
        problems.map((p) => `  ${p.path}: ${p.message}`).join("\n"),
    );
    this.name = "ModelValidationError";
  }
}

/** Renders a zod path, naming array elements by their `id` (workstreams.WS-10) where they have one. */
export function formatPath(prefix: string, path: readonly PropertyKey[], root: unknown): string {
  let text = prefix;
  let node: unknown = root;
  for (const key of path) {
    if (typeof key === "number") {
      const element = Array.isArray(node) ? node[key] : undefined;
      const id = element && typeof element === "object" ? (element as { id?: unknown }).id : undefined;
      text += typeof id === "string" && /^[\w.-]+$/.test(id) ? `.${id}` : `[${key}]`;
      node = element;
    } else {
      text += `.${String(key)}`;
      node = node && typeof node === "object" ? (node as Record<string, unknown>)[key as string] : undefined;
    }
  }
  return text;
}

export function shapeProblems(prefix: string, error: z.ZodError, input: unknown): Problem[] {
  return error.issues.map((issue) => ({ path: formatPath(prefix, issue.path, input), message: issue.message }));
}

/** ` (did you mean "x"?)` when a known value is close to `value`, else "". */
export function hintFor(value: string, known: Iterable<string>): string {
  const hint = closestMatch(value, [...known]);
  return hint ? ` (did you mean "${hint}"?)` : "";
}

export function unknownReference(kind: string, value: string, known: Iterable<string>): string {
  return `unknown ${kind} "${value}"${hintFor(value, known)}`;
}

/** Values that occur more than once. */
export function duplicates(values: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const v of values) (seen.has(v) ? repeated : seen).add(v);
  return repeated;
}
