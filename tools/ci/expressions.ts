// The functions a synthesized stack calls in its `${...}` and `%{...}` templates. A preview's plan evaluates
// them on the runner, so functions that read the runner's files (file, templatefile, fileset, ...) or strip a
// secret's sensitivity (nonsensitive) would hand a pull request the runner's secrets.

/**
 * Functions a preview may evaluate: pure functions of their arguments. Anything else is refused, including
 * provider-defined functions (`provider::...`).
 */
export const ALLOWED_FUNCTIONS: ReadonlySet<string> = new Set([
  // A swarm's Docker secrets: their data is the base64 of a sensitive variable (the result stays sensitive), and
  // their name carries the time they were created (reads the clock, nothing of the runner's).
  "base64encode",
  "timestamp",
  "can",
  "coalesce",
  "compact",
  "concat",
  "contains",
  "distinct",
  "element",
  "flatten",
  "format",
  "join",
  "jsondecode",
  "jsonencode",
  "keys",
  "length",
  "lookup",
  "lower",
  "merge",
  "replace",
  "sensitive",
  "setunion",
  "split",
  "tolist",
  "tomap",
  "tonumber",
  "toset",
  "tostring",
  "trimspace",
  "try",
  "upper",
  "values",
]);

/** The expressions inside a template string: the text between `${` (or `%{`) and its closing brace. */
export function templateExpressions(text: string): string[] {
  const found: string[] = [];
  for (let i = 0; i < text.length - 1; i++) {
    const opener = text[i] === "$" || text[i] === "%" ? text[i] : "";
    if (!opener || text[i + 1] !== "{") continue;
    if (text[i + 2] === undefined) break;
    // `$${` and `%%{` are escapes for the literal text.
    if (i > 0 && text[i - 1] === opener) {
      i++;
      continue;
    }
    const end = closingBrace(text, i + 2);
    found.push(text.slice(i + 2, end));
    i = end;
  }
  return found;
}

/** Index of the `}` that closes a template opened just before `start` (strings and nested braces skipped). */
function closingBrace(text: string, start: number): number {
  let depth = 1;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === "\\") i++;
    } else if (c === "{") depth++;
    else if (c === "}" && --depth === 0) return i;
  }
  return text.length;
}

/** Names of the functions an expression calls (`name(` outside string literals; `provider::x::y` whole). */
export function calledFunctions(expression: string): string[] {
  const code = expression.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  return [...code.matchAll(/([A-Za-z_][A-Za-z0-9_-]*(?:::[A-Za-z0-9_-]+)*)\s*\(/g)].map((m) => m[1]);
}

/** Every function called anywhere in a JSON value (keys included), with the JSON path where it is called. */
export function functionCalls(value: unknown, path: string[] = []): { path: string; name: string }[] {
  const calls: { path: string; name: string }[] = [];
  const visit = (v: unknown, at: string[]) => {
    if (typeof v === "string") {
      for (const expression of templateExpressions(v))
        for (const name of calledFunctions(expression)) calls.push({ path: at.join("."), name });
    } else if (Array.isArray(v)) v.forEach((x, i) => visit(x, [...at, String(i)]));
    else if (v && typeof v === "object")
      for (const [k, x] of Object.entries(v)) {
        visit(k, at);
        visit(x, [...at, k]);
      }
  };
  visit(value, path);
  return calls;
}
