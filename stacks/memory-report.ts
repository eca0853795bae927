// The memory budget of every host that declares its memory, printed at synth next to the warnings (same stream).
import type { ResolvedSystem } from "../constructs/model";
import { formatMiB, memoryBudget } from "../constructs/model/checks/memory";
import { warningStream } from "./warnings";

/** One block per budgeted host: the total against what is available, then each container's limit, largest first. */
export function memoryBudgetLines(system: ResolvedSystem): string[] {
  return system.hosts.flatMap((host) => {
    const budget = memoryBudget(host);
    if (!budget) return [];
    const width = Math.max(...budget.shares.map((s) => s.container.length));
    return [
      `sparky-infra: memory budget of host ${host.name}: ${formatMiB(budget.committedMiB)} of ${formatMiB(budget.availableMiB)} ` +
        `committed (${formatMiB(budget.totalMiB)} less ${formatMiB(budget.reserveMiB)} reserved)`,
      ...budget.shares.map(
        (s) => `  ${s.container.padEnd(width)}  ${s.limitMiB === undefined ? "no limit" : formatMiB(s.limitMiB).padStart(8)}`,
      ),
    ];
  });
}

export function reportMemoryBudgets(system: ResolvedSystem, env: NodeJS.ProcessEnv = process.env): void {
  const stream = warningStream(env);
  for (const line of memoryBudgetLines(system)) stream.write(`${line}\n`);
}
