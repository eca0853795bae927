/**
 * A deliberately crude PromQL reader: enough to find the metric names and `job` matchers an expression uses, so
 * the model can reject a typo before promtool or Prometheus ever see it. It is not a parser; promtool remains the
 * authority on syntax.
 */

export interface JobMatcher {
  op: "=" | "!=" | "=~" | "!~";
  value: string;
}

export interface PromqlReferences {
  metrics: string[];
  jobs: JobMatcher[];
}

const KEYWORDS = new Set([
  "by",
  "without",
  "on",
  "ignoring",
  "group_left",
  "group_right",
  "offset",
  "bool",
  "and",
  "or",
  "unless",
  "atan2",
  "inf",
  "nan",
  "start",
  "end",
]);

const STRING = /"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g;

export function promqlReferences(expr: string): PromqlReferences {
  const jobs: JobMatcher[] = [];
  const metrics: string[] = [];

  // Label matcher blocks: collect job matchers and __name__ equality, then drop the block.
  const MATCHER = /([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`)/g;
  let text = expr.replace(/\{([^{}]*)\}/g, (_block, inner: string) => {
    for (const m of inner.matchAll(MATCHER)) {
      const value = unquote(m[3]);
      if (m[1] === "job") jobs.push({ op: m[2] as JobMatcher["op"], value });
      if (m[1] === "__name__" && m[2] === "=") metrics.push(value);
    }
    return " ";
  });
  text = text
    .replace(STRING, " ") // strings outside matchers (label_replace arguments and the like)
    .replace(/\[[^\]]*\]/g, " ") // range and subquery selectors: [5m], [1h:1m]
    .replace(/\boffset\s+-?[0-9a-z]+/g, " ")
    .replace(/@\s*[0-9.]+/g, " ")
    // Grouping label lists: sum by (le, job), on(instance), group_left(a, b).
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, " ")
    .replace(/\b0x[0-9a-fA-F]+\b|(?<![\w:])\d+(\.\d+)?([eE][+-]?\d+)?(?![\w:])|(?<![\w:])\.\d+/g, " ");

  for (const m of text.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const name = m[0];
    const after = text.slice(m.index! + name.length);
    if (/^\s*\(/.test(after)) continue; // function or aggregation call
    if (KEYWORDS.has(name.toLowerCase())) continue;
    metrics.push(name);
  }
  return { metrics: [...new Set(metrics)], jobs };
}

function unquote(literal: string): string {
  const body = literal.slice(1, -1);
  return literal.startsWith("`") ? body : body.replace(/\\(.)/g, "$1");
}
