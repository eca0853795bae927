// Attribute paths as readers see them in previews, drift reports and ignore entries.

/** `["ports", 0, "external"]` → `ports[0].external`. */
export function formatPath(path: readonly (string | number)[]): string {
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");
}
