// Glob matching for every tool (stack selection, drift ignore entries): one library, one set of rules.
import picomatch from "picomatch";

/**
 * `*` matches any run of characters (dots, slashes and brackets included), `?` exactly one; everything else is
 * literal. Stack names, resource addresses and attribute paths are not file paths, so brackets, braces and a
 * leading `!` mean themselves.
 */
const OPTIONS: picomatch.PicomatchOptions = { bash: true, dot: true, nobracket: true, nobrace: true, noextglob: true, nonegate: true };

const compiled = new Map<string, (text: string) => boolean>();

export function globMatch(glob: string, text: string): boolean {
  let matcher = compiled.get(glob);
  if (!matcher) compiled.set(glob, (matcher = picomatch(glob, OPTIONS)));
  return matcher(text);
}

export function globToRegExp(glob: string): RegExp {
  return picomatch.makeRe(glob, OPTIONS);
}

/** Patterns as typed: several per argument, separated by commas or whitespace ("*-services *-observability"). */
export function splitPatterns(patterns: readonly string[] | string | undefined): string[] {
  const list = typeof patterns === "string" ? [patterns] : (patterns ?? []);
  return list.flatMap((p) => p.split(/[,\s]+/)).filter(Boolean);
}

/** The stacks whose name matches any pattern (every stack when none is given), in their original order. */
export function selectStacks<T extends { name: string }>(stacks: readonly T[], patterns?: readonly string[] | string): T[] {
  const globs = splitPatterns(patterns);
  if (globs.length === 0) return [...stacks];
  return stacks.filter((s) => globs.some((g) => globMatch(g, s.name)));
}

/** Patterns that match none of the stacks (for an error that names them and the stacks there are). */
export function unmatchedPatterns(stacks: readonly { name: string }[], patterns?: readonly string[] | string): string[] {
  return splitPatterns(patterns).filter((g) => !stacks.some((s) => globMatch(g, s.name)));
}
