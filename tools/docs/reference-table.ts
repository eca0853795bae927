// Markdown reference tables generated from the zod model's JSON Schema: one row per field, with its type, default,
// and the description the schema carries (`.describe(...)` in constructs/model), so the README can't fall behind.

interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema | boolean;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  required?: string[];
  default?: unknown;
  description?: string;
  format?: string;
}

export interface ReferenceRow {
  path: string;
  type: string;
  required: boolean;
  default?: string;
  description: string;
}

function typeOf(schema: JsonSchema): string {
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(" | ");
  if (schema.anyOf) return [...new Set(schema.anyOf.map(typeOf))].join(" | ");
  if (schema.type === "array") return `${schema.items ? typeOf(schema.items) : "any"}[]`;
  if (schema.type === "object" && schema.additionalProperties && typeof schema.additionalProperties === "object") return "map";
  return (Array.isArray(schema.type) ? schema.type.join(" | ") : schema.type) ?? "any";
}

const leaf = (schema: JsonSchema) =>
  !schema.properties && !(schema.type === "array" && schema.items?.properties) && !schema.anyOf?.some((s) => s.properties);

/** Rows for every documented field below `schema`, depth first, in declaration order. */
export function referenceRows(schema: JsonSchema, path = "", required = true): ReferenceRow[] {
  const rows: ReferenceRow[] = [];
  if (path && (schema.description || leaf(schema)))
    rows.push({
      path,
      type: typeOf(schema),
      required,
      default: schema.default === undefined ? undefined : JSON.stringify(schema.default),
      description: schema.description ?? "",
    });
  for (const [key, child] of Object.entries(schema.properties ?? {}))
    rows.push(...referenceRows(child, path ? `${path}.${key}` : key, (schema.required ?? []).includes(key)));
  if (schema.additionalProperties && typeof schema.additionalProperties === "object")
    rows.push(...nested(schema.additionalProperties, `${path}.<name>`));
  if (schema.type === "array" && schema.items) rows.push(...nested(schema.items, `${path}[]`));
  for (const branch of schema.anyOf ?? []) if (branch.properties) rows.push(...nested(branch, path));
  return mergeSamePath(rows);
}

const nested = (schema: JsonSchema, path: string) =>
  referenceRows({ ...schema, description: undefined }, path).filter((r) => r.path !== path);

/** Union branches document the same field twice (e.g. both state backends' `backend`): one row, types joined. */
function mergeSamePath(rows: ReferenceRow[]): ReferenceRow[] {
  const byPath = new Map<string, ReferenceRow>();
  for (const row of rows) {
    const seen = byPath.get(row.path);
    if (!seen) byPath.set(row.path, { ...row });
    else {
      if (!seen.type.split(" | ").includes(row.type)) seen.type = `${seen.type} | ${row.type}`;
      if (row.description && !seen.description.includes(row.description))
        seen.description = seen.description ? `${seen.description}; or ${row.description}` : row.description;
    }
  }
  return [...byPath.values()];
}

const cell = (text: string) => text.replace(/\n/g, " ").replace(/\|/g, "\\|");

export function markdownTable(head: string[], rows: string[][]): string {
  return [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.map(cell).join(" | ")} |`)].join(
    "\n",
  );
}

export function referenceTable(rows: ReferenceRow[]): string {
  return markdownTable(
    ["field", "type", "default", "meaning"],
    rows.map((r) => [`\`${r.path}\``, r.type, r.default !== undefined ? `\`${r.default}\`` : r.required ? "required" : "", r.description]),
  );
}
