// Attribute comparison as the SDKv2 providers (docker, github) see it, shared by drift analysis and the refresh skip.

export const isEmptyish = (v: unknown): boolean =>
  v === null ||
  v === undefined ||
  v === "" ||
  v === 0 ||
  v === false ||
  (Array.isArray(v) && v.length === 0) ||
  (typeof v === "object" && v !== null && !Array.isArray(v) && Object.keys(v).length === 0);

/**
 * Equality as the SDKv2 providers (docker, github) see it: an unset value and its type's zero value ("", 0,
 * false, [], {}) are the same, so a first refresh that turns `null` into `[]` is not drift.
 */
export function semanticEqual(a: unknown, b: unknown): boolean {
  if (isEmptyish(a) && isEmptyish(b)) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => semanticEqual(x, b[i]));
  if (a && b && typeof a === "object" && typeof b === "object" && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((k) => semanticEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return a === b;
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/**
 * Attribute-level differences between two objects, descending into objects and equal-length lists of objects;
 * lists of scalars and lists that changed length are reported whole. Paths where `unknown` is true are skipped.
 */
export function diffAttributes(
  before: unknown,
  after: unknown,
  unknown: unknown = undefined,
  segments: (string | number)[] = [],
): { segments: (string | number)[]; before: unknown; after: unknown }[] {
  if (unknown === true) return [];
  if (semanticEqual(before, after)) return [];
  if (isRecord(before) && isRecord(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => diffAttributes(before[k], after[k], isRecord(unknown) ? unknown[k] : undefined, [...segments, k]));
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length && before.every(isRecord) && after.every(isRecord))
    return before.flatMap((b, i) => diffAttributes(b, after[i], Array.isArray(unknown) ? unknown[i] : undefined, [...segments, i]));
  return [{ segments, before, after }];
}
