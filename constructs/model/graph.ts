/** Directed graph helpers shared by workstream and service dependency checks. */
export type Edges = ReadonlyMap<string, readonly string[]>;

/**
 * Every elementary cycle reachable by depth-first search, each reported once, starting at its
 * smallest node so the message is stable: ["WS-02", "WS-05", "WS-02"].
 */
export function findCycles(nodes: readonly string[], edges: Edges): string[][] {
  const state = new Map<string, "visiting" | "done">();
  const stack: string[] = [];
  const seen = new Set<string>();
  const cycles: string[][] = [];

  const visit = (node: string): void => {
    state.set(node, "visiting");
    stack.push(node);
    for (const next of edges.get(node) ?? []) {
      if (!edges.has(next) && !nodes.includes(next)) continue; // unknown references are reported elsewhere
      if (state.get(next) === "visiting") {
        const cycle = stack.slice(stack.indexOf(next));
        const start = cycle.indexOf([...cycle].sort()[0]);
        const rotated = [...cycle.slice(start), ...cycle.slice(0, start)];
        const key = rotated.join(">");
        if (!seen.has(key)) {
          seen.add(key);
          cycles.push([...rotated, rotated[0]]);
        }
      } else if (!state.has(next)) {
        visit(next);
      }
    }
    stack.pop();
    state.set(node, "done");
  };

  for (const node of nodes) if (!state.has(node)) visit(node);
  return cycles;
}

/** Kahn's algorithm; ties resolved by the input order so results are deterministic. Assumes no cycles. */
export function topologicalOrder(nodes: readonly string[], edges: Edges): string[] {
  const remaining = new Map(nodes.map((n) => [n, (edges.get(n) ?? []).filter((d) => nodes.includes(d)).length]));
  const dependents = new Map<string, string[]>(nodes.map((n) => [n, []]));
  for (const n of nodes) for (const d of edges.get(n) ?? []) dependents.get(d)?.push(n);
  const order: string[] = [];
  const ready = nodes.filter((n) => remaining.get(n) === 0);
  while (ready.length > 0) {
    const node = ready.shift()!;
    order.push(node);
    for (const dependent of dependents.get(node) ?? []) {
      const left = remaining.get(dependent)! - 1;
      remaining.set(dependent, left);
      if (left === 0) ready.push(dependent);
    }
  }
  return order;
}

/** Edit distance where swapping two neighbouring characters counts as one edit ("modle" → "model"). */
export function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.length][b.length];
}

export function closestMatch(value: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(value.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best !== undefined && bestDistance <= Math.max(1, Math.floor(value.length / 4)) ? best : undefined;
}
