// Markdown that text from the engine or a plan cannot break.

/** A code fence longer than any backtick run inside, so no value can close it early. */
export function fenced(lines: readonly string[], lang: string): string[] {
  const longest = Math.max(2, ...lines.map((l) => Math.max(0, ...(l.match(/`+/g) ?? []).map((m) => m.length))));
  const fence = "`".repeat(longest + 1);
  return [fence + lang, ...lines, fence];
}
