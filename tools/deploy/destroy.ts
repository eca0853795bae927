// What `destroy` may touch and what it tells the user first. The *-github stacks hold repositories, issues and
// people's work: destroy takes one only when a pattern naming it says "github" (e.g. `sparky-github`,
// `*-github`), never through `*` or no pattern at all.
import { InputError } from "../engine/args";
import { containersOf } from "../engine/docker";
import { isGitHubStack } from "../engine/secrets";
import { globMatch, selectStacks, splitPatterns } from "../engine/select";
import type { SynthesizedStack } from "../engine/stacks";
import { readStackConfig } from "../engine/variables";
import type { PlannedStack } from "./apply";
import { Retirement, retirementText } from "./retire";

export const holdsGitHubWork = (stack: SynthesizedStack) => stack.name.endsWith("-github") || isGitHubStack(stack);

export function destroySelection(all: SynthesizedStack[], patterns: readonly string[], note: (line: string) => void): SynthesizedStack[] {
  const globs = splitPatterns(patterns);
  const matched = selectStacks(all, globs);
  const named = (s: SynthesizedStack) => globs.some((g) => /github/i.test(g) && globMatch(g, s.name));
  const spared = matched.filter((s) => holdsGitHubWork(s) && !named(s));
  const chosen = matched.filter((s) => !spared.includes(s));
  if (spared.length > 0)
    note(
      `destroy: leaving ${spared.map((s) => s.name).join(", ")} alone (repositories, issues and people's work); ` +
        `name a *-github stack to destroy it, e.g. '${spared[0].name}'`,
    );
  if (chosen.length === 0) throw new InputError(`nothing to destroy: no stack other than a *-github one matches ${globs.join(" ") || "*"}`);
  return chosen;
}

/** Named volumes the stack's containers use but the stack does not manage: Docker keeps them on destroy. */
export function keptVolumes(stack: SynthesizedStack): string[] {
  const managed = new Set(Object.values(readStackConfig(stack.dir).resource?.docker_volume ?? {}).map((v) => v.name));
  const used = [...containersOf(stack).values()].flatMap((c) =>
    ((c.config.volumes ?? []) as { volume_name?: string }[]).map((v) => v.volume_name).filter((n): n is string => typeof n === "string"),
  );
  return [...new Set(used)].filter((n) => !managed.has(n)).sort();
}

const destroyedCount = (p: PlannedStack) =>
  (p.plan?.json.resource_changes ?? []).filter((c) => c.mode === "managed" && c.change.actions.includes("delete")).length;

/**
 * The lines shown before anything is destroyed: per stack, how many resources go and which volumes stay; per
 * `*-github` stack, what is archived and what forgotten.
 */
export function destroySummary(
  planned: readonly PlannedStack[],
  retirements: readonly Retirement[] = [],
): { lines: string[]; resources: number } {
  const width = Math.max(...[...planned, ...retirements].map((p) => p.stack.name.length));
  const touched = (r: Retirement) => r.archived.length + r.forgotten.length;
  const resources = planned.reduce((n, p) => n + destroyedCount(p), 0) + retirements.reduce((n, r) => n + touched(r), 0);
  const stacks = planned.length + retirements.length;
  const lines = [`destroy: ${resources} resource${resources === 1 ? "" : "s"} in ${stacks} stack${stacks === 1 ? "" : "s"}:`];
  for (const r of retirements) lines.push(`  ${r.stack.name.padEnd(width)}  ${retirementText(r)}`);
  for (const p of planned) {
    const kept = keptVolumes(p.stack);
    const what = p.error ? "could not be planned" : `${destroyedCount(p)} resource${destroyedCount(p) === 1 ? "" : "s"}`;
    lines.push(
      `  ${p.stack.name.padEnd(width)}  ${what}${kept.length ? `; keeps volume${kept.length === 1 ? "" : "s"} ${kept.join(", ")}` : ""}`,
    );
  }
  return { lines, resources };
}
