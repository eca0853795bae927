// Changed attributes of one resource, as the lines a reviewer reads: `+ attr = value`, `- attr = value`,
// `~ attr: before → after`, each value masked and clipped around what changed.
import { Masker, markAt, SENSITIVE } from "../engine/mask";
import { formatPath } from "../engine/paths";

const MAX_VALUE_CHARS = 240;

type Path = (string | number)[];
interface Leaf {
  path: Path;
  before: unknown;
  after: unknown;
  unknown: boolean;
  sensitiveBefore: unknown;
  sensitiveAfter: unknown;
}

/** `+ attr = value`, `- attr = value`, `~ attr: before → after` for every changed leaf; unknowns on one line. */
export function attributeLines(
  change: {
    actions: string[];
    before: unknown;
    after: unknown;
    after_unknown?: unknown;
    before_sensitive?: unknown;
    after_sensitive?: unknown;
  },
  replacePaths: readonly string[],
  masker: Masker,
): string[] {
  const leaves: Leaf[] = [];
  diffWalk(change.before, change.after, change.after_unknown, change.before_sensitive, change.after_sensitive, [], leaves);
  const lines: string[] = [];
  const pending: string[] = [];
  const unset: string[] = [];
  const creating = change.before === null || change.before === undefined;
  for (const leaf of leaves) {
    const name = formatPath(leaf.path);
    const secretByName = leaf.path.some((p) => typeof p === "string" && masker.secretName(p));
    const forces = replacePaths.some(
      (p) => name === p || name.startsWith(p + ".") || name.startsWith(p + "[") || p.startsWith(name + ".") || p.startsWith(name + "["),
    );
    const suffix = forces ? "   # forces replacement" : "";
    const text = (v: unknown, marks: unknown) =>
      secretByName && v !== null && v !== undefined ? SENSITIVE : formatValue(redact(v, marks), masker);
    const show = (v: unknown, marks: unknown) => clip(text(v, marks));
    if (leaf.unknown) {
      if (creating || !forces) pending.push(name);
      else lines.push(`~ ${name}: ${show(leaf.before, leaf.sensitiveBefore)} → (known after apply)${suffix}`);
    } else if (!creating && !forces && (leaf.after === undefined || leaf.after === null)) unset.push(name);
    else if (leaf.before === undefined || leaf.before === null) lines.push(`+ ${name} = ${show(leaf.after, leaf.sensitiveAfter)}${suffix}`);
    else if (leaf.after === undefined || leaf.after === null) lines.push(`- ${name} = ${show(leaf.before, leaf.sensitiveBefore)}${suffix}`);
    else {
      const before = text(leaf.before, leaf.sensitiveBefore);
      const after = text(leaf.after, leaf.sensitiveAfter);
      const from = changedFrom(before, after);
      lines.push(`~ ${name}: ${clip(before, from)} → ${clip(after, from)}${suffix}`);
    }
  }
  if (unset.length > 0) lines.push(`- (no longer set): ${unset.join(", ")}`);
  if (pending.length > 0) lines.push(`${creating ? "+" : "~"} (known after apply): ${pending.join(", ")}`);
  return lines;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isObjectArray = (v: unknown): v is unknown[] => Array.isArray(v) && v.length > 0 && v.every(isObject);
const at = markAt;
const hasMark = (marks: unknown): boolean =>
  marks === true || (Array.isArray(marks) ? marks.some(hasMark) : isObject(marks) ? Object.values(marks).some(hasMark) : false);

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function diffWalk(before: unknown, after: unknown, unknown: unknown, sb: unknown, sa: unknown, path: Path, out: Leaf[]): void {
  if (unknown === true) {
    out.push({ path, before, after: undefined, unknown: true, sensitiveBefore: sb, sensitiveAfter: sa });
    return;
  }
  const emptyish = (v: unknown) => v === undefined || v === null;
  if (isObject(before) || isObject(after)) {
    if ((isObject(before) || emptyish(before)) && (isObject(after) || emptyish(after))) {
      const b = (before ?? {}) as Record<string, unknown>;
      const a = (after ?? {}) as Record<string, unknown>;
      for (const key of [...new Set([...Object.keys(b), ...Object.keys(a), ...(isObject(unknown) ? Object.keys(unknown) : [])])].sort())
        diffWalk(b[key], a[key], at(unknown, key), at(sb, key), at(sa, key), [...path, key], out);
      return;
    }
  }
  if (
    (isObjectArray(before) || isObjectArray(after)) &&
    (Array.isArray(before) || emptyish(before)) &&
    (Array.isArray(after) || emptyish(after))
  ) {
    const b = (before ?? []) as unknown[];
    const a = (after ?? []) as unknown[];
    for (let i = 0; i < Math.max(a.length, b.length); i++) diffWalk(b[i], a[i], at(unknown, i), at(sb, i), at(sa, i), [...path, i], out);
    return;
  }
  const emptyBefore =
    emptyish(before) || (Array.isArray(before) && before.length === 0 && (emptyish(after) || (Array.isArray(after) && after.length === 0)));
  if (emptyish(after) && emptyBefore) return;
  if (Array.isArray(after) && after.length === 0 && emptyish(before)) return;
  if (deepEqual(before, after) && !(hasMark(sb) !== hasMark(sa))) return;
  out.push({ path, before, after, unknown: hasMark(unknown), sensitiveBefore: sb, sensitiveAfter: sa });
}

/** Replaces the parts of a value the plan marks sensitive. */
export function redact(value: unknown, marks: unknown): unknown {
  if (marks === true) return SENSITIVE_TOKEN;
  if (!marks || typeof marks !== "object") return value;
  if (Array.isArray(value)) return value.map((v, i) => redact(v, at(marks, i)));
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redact(v, at(marks, k))]));
  return value;
}

const SENSITIVE_TOKEN = "\u0000sensitive\u0000";

/** The value as masked JSON, uncut. */
function formatValue(value: unknown, masker: Masker): string {
  const masked = maskStrings(value, masker);
  const text = JSON.stringify(masked) ?? "null";
  return text.split(JSON.stringify(SENSITIVE_TOKEN)).join(SENSITIVE).split(JSON.stringify(SENSITIVE_TOKEN).slice(1, -1)).join(SENSITIVE);
}

/** At most MAX_VALUE_CHARS of `text`, starting at `from`. */
function clip(text: string, from = 0): string {
  const start = Math.min(from, text.length);
  const shown = text.slice(start, start + MAX_VALUE_CHARS);
  const rest = text.length - start - shown.length;
  return `${start > 0 ? `(${start} earlier characters) …` : ""}${shown}${rest > 0 ? `… (${rest} more characters)` : ""}`;
}

/**
 * Where both sides of a changed long value are cut from: 0 unless they differ only past what a clip from 0 shows
 * (e.g. a URL deep in a file's content), then shortly before their first difference.
 */
function changedFrom(before: string, after: string): number {
  const context = 60;
  let i = 0;
  while (i < before.length && i < after.length && before[i] === after[i]) i++;
  return i > MAX_VALUE_CHARS - context ? i - context : 0;
}

function maskStrings(value: unknown, masker: Masker, key?: string): unknown {
  if (key !== undefined && masker.secretName(key) && value !== null && typeof value !== "object") return SENSITIVE_TOKEN;
  if (typeof value === "string") return value === SENSITIVE_TOKEN ? value : masker.text(value);
  if (Array.isArray(value)) return value.map((v) => maskStrings(v, masker));
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskStrings(v, masker, k)]));
  return value;
}
