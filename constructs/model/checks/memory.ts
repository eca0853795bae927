import { sizeInMiB } from "../common";
import type { Problem } from "../problems";
import type { ResolvedHost, ResolvedService } from "../resolved";

/** One container's share of a host's memory. */
export interface MemoryShare {
  /** Where the service is declared, e.g. `projects.dgx-pixels.services.comfyui`. */
  path: string;
  container: string;
  /** Its memory limit in MiB; undefined when it has none (nothing bounds it). */
  limitMiB?: number;
  /** A GPU or ML service: on a budgeted host it must declare a limit. */
  heavy: boolean;
}

/** What a host's declared memory holds: every service the target places on it, the host's observability set included. */
export interface MemoryBudget {
  host: string;
  totalMiB: number;
  reserveMiB: number;
  /** total − reserve: what the containers' limits may add up to. */
  availableMiB: number;
  /** Sum of the limits. */
  committedMiB: number;
  /** Largest limit first; services without a limit last. */
  shares: MemoryShare[];
}

const share = (path: string, s: ResolvedService): MemoryShare => ({
  path,
  container: s.containerName,
  limitMiB: s.spec.memory ? sizeInMiB(s.spec.memory) : undefined,
  heavy: s.spec.gpu !== undefined || s.spec.role === "ml",
});

/**
 * The budget of a host that declares its memory (undefined for one that does not, e.g. a developer machine): the
 * projects' services in the profiles the target deploys and the observability set, against total less the reserve.
 */
export function memoryBudget(host: ResolvedHost): MemoryBudget | undefined {
  const memory = host.spec.memory;
  if (!memory) return undefined;
  const shares = [
    ...host.projects.flatMap((p) => Object.entries(p.services).map(([name, s]) => share(`projects.${p.project.id}.services.${name}`, s))),
    ...Object.entries(host.observability.services).map(([name, s]) => share(`hosts.${host.name}.observability.${name}`, s)),
  ].sort((a, b) => (b.limitMiB ?? -1) - (a.limitMiB ?? -1) || a.container.localeCompare(b.container));
  const totalMiB = sizeInMiB(memory.total);
  const reserveMiB = sizeInMiB(memory.reserve);
  return {
    host: host.name,
    totalMiB,
    reserveMiB,
    availableMiB: totalMiB - reserveMiB,
    committedMiB: shares.reduce((sum, s) => sum + (s.limitMiB ?? 0), 0),
    shares,
  };
}

/** "100g", "1.5g", "512m": the shortest exact-enough form of a size in MiB. */
export function formatMiB(mib: number): string {
  if (mib >= 1024) return `${Number((mib / 1024).toFixed(1))}g`;
  return `${mib}m`;
}

/**
 * On a host that declares its memory, every GPU or ML service needs a limit, and the limits must fit in what the
 * reserve leaves: an over-commit is refused, naming the host, the total and the biggest consumers.
 */
export function checkMemoryBudget(host: ResolvedHost, problems: Problem[]): void {
  const budget = memoryBudget(host);
  if (!budget) return;
  for (const s of budget.shares)
    if (s.heavy && s.limitMiB === undefined)
      problems.push({
        path: `${s.path}.memory`,
        message: `a GPU or ML service on host "${host.name}" needs a memory limit (the host's memory is budgeted: config.hosts.${host.name}.memory)`,
      });
  if (budget.committedMiB <= budget.availableMiB) return;
  const biggest = budget.shares
    .filter((s) => s.limitMiB !== undefined)
    .slice(0, 3)
    .map((s) => `${s.container} ${formatMiB(s.limitMiB!)}`);
  problems.push({
    path: `config.hosts.${host.name}.memory`,
    message:
      `host "${host.name}" is over-committed: memory limits total ${formatMiB(budget.committedMiB)}, but only ` +
      `${formatMiB(budget.availableMiB)} is available (${formatMiB(budget.totalMiB)} less ${formatMiB(budget.reserveMiB)} reserved); ` +
      `biggest: ${biggest.join(", ")}. Lower a limit, leave a profile out of the target, or place a project on another host`,
  });
}
