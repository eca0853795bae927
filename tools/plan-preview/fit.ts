// Fitting rendered Markdown into a character budget: fair shares per part, cuts at line boundaries that close
// every open code fence and <details>.

export const joinedLength = (lines: readonly string[]) => lines.reduce((s, l) => s + l.length + 1, 0);

/** Splits `budget` so that small parts keep everything and large parts share the rest equally. */
export function waterFill(sizes: readonly number[], budget: number): number[] {
  const shares = new Array<number>(sizes.length).fill(0);
  const order = sizes.map((s, i) => [s, i] as const).sort((a, b) => a[0] - b[0]);
  let left = budget;
  order.forEach(([size, i], k) => {
    const fair = Math.floor(left / (order.length - k));
    shares[i] = Math.min(size, fair);
    left -= shares[i];
  });
  return shares;
}

/**
 * The longest prefix of `lines` (cut at a line boundary) that fits in `budget` characters once every open code
 * fence and <details> is closed and a note says how much was cut.
 */
export function fitLines(
  lines: readonly string[],
  budget: number,
  what: "stack" | "summary" | "comment",
): { text: string; omitted: number } {
  if (joinedLength(lines) <= budget) return { text: lines.join("\n"), omitted: 0 };
  let fence: string | undefined;
  let depth = 0;
  let used = 0;
  let best = { count: 0, fence: undefined as string | undefined, depth: 0 };
  const closing = (f: string | undefined, d: number, omitted: number) => {
    const note = `_✂️ ${omitted} more line(s) of this ${what === "stack" ? "stack's changes" : what} trimmed._`;
    return [...(f ? [f] : []), "", note, ...Array<string>(d).fill("</details>")];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    used += line.length + 1;
    const m = /^\s*(`{3,}|~{3,})/.exec(line);
    if (fence === undefined && m) fence = m[1];
    else if (fence !== undefined && line.trim().startsWith(fence) && line.trim().replace(/[`~]/g, "") === "") fence = undefined;
    else if (fence === undefined) {
      depth += (line.match(/<details[\s>]/g) ?? []).length;
      depth -= (line.match(/<\/details>/g) ?? []).length;
      depth = Math.max(0, depth);
    }
    const tail = joinedLength(closing(fence, depth, lines.length - i - 1));
    if (used + tail > budget) break;
    best = { count: i + 1, fence, depth };
  }
  const omitted = lines.length - best.count;
  return { text: [...lines.slice(0, best.count), ...closing(best.fence, best.depth, omitted)].join("\n"), omitted };
}
