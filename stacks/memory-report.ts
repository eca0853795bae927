// The memory budget of every host that declares its memory, printed at synth next to the warnings (same stream).
import type { ResolvedSystem } from "../constructs/model";
import { formatMiB, memoryBudget } from "../constructs/model/checks/memory";
import { clusterMemoryPlan } from "../constructs/model/checks/cluster-memory";
import { warningStream } from "./warnings";

/** One block per budgeted host: the total against what is available, then each container's limit, largest first. */
export function memoryBudgetLines(system: ResolvedSystem): string[] {
  return system.hosts.flatMap((host) => {
    if (host.cluster) return clusterBudgetLines(host);
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

/**
 * A cluster's budgets: for each node that declares its memory, the tasks of one placement that fits (Swarm may place
 * them otherwise: every placement it chooses respects the reservations, but only this one is proven).
 */
function clusterBudgetLines(host: ResolvedSystem["hosts"][number]): string[] {
  const plan = clusterMemoryPlan(host);
  if (!plan || plan.overflow) return [];
  return plan.nodes.flatMap((n) => {
    if (n.availableMiB === undefined) return [];
    const used = n.tasks.reduce((sum, t) => sum + t.mib, 0);
    const width = Math.max(0, ...n.tasks.map((t) => t.container.length));
    return [
      `sparky-infra: memory budget of node ${n.host} (cluster ${host.name}): ${formatMiB(used)} of ${formatMiB(n.availableMiB)} in a placement that fits`,
      ...n.tasks.map((t) => `  ${t.container.padEnd(width)}  ${formatMiB(t.mib).padStart(8)}`),
    ];
  });
}

export function reportMemoryBudgets(system: ResolvedSystem, env: NodeJS.ProcessEnv = process.env): void {
  const stream = warningStream(env);
  for (const line of memoryBudgetLines(system)) stream.write(`${line}\n`);
}
