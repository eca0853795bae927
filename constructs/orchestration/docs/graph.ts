/** Relationships between workstreams and orchestrators that the documents and issues show. */
import type { DomainOrchestrator, Workstream } from "../elements";
import type { OrchestrationPlan } from "../plan";

/** Workstreams whose hard dependencies include `ws` (what it blocks), in model order. */
export function dependentsOf(plan: OrchestrationPlan, ws: Workstream): Workstream[] {
  return plan.workstreams.filter((w) => w.blockers.includes(ws));
}

/** Workstreams that list `ws` as a soft dependency. */
export function softDependentsOf(plan: OrchestrationPlan, ws: Workstream): Workstream[] {
  return plan.workstreams.filter((w) => w.softBlockers.includes(ws));
}

/**
 * Which issue-to-issue number references may be written as Terraform references without creating a cycle.
 * Hard dependencies form a DAG (validation rejects cycles), so "Depends on" links are always safe. Soft
 * dependencies are not checked for cycles against hard ones, so each soft link is added — in workstream-id
 * order, so the result does not depend on model order — only if it keeps the reference graph acyclic;
 * otherwise it is written as plain text. "Blocks" links would point from a dependency to its dependents,
 * which always closes a cycle with "Depends on", so they never carry numbers; GitHub's own back-reference
 * ("mentioned this issue") shows them on the blocker's timeline instead.
 */
export function softReferenceEdges(plan: OrchestrationPlan): Map<string, Set<string>> {
  const refs = new Map<string, Set<string>>(plan.workstreams.map((w) => [w.spec.id, new Set(w.spec.dependsOn)]));
  const reaches = (from: string, to: string): boolean => {
    const seen = new Set<string>();
    const stack = [from];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (node === to) return true;
      if (seen.has(node)) continue;
      seen.add(node);
      stack.push(...(refs.get(node) ?? []));
    }
    return false;
  };
  const soft = new Map<string, Set<string>>();
  for (const ws of [...plan.workstreams].sort((a, b) => a.spec.id.localeCompare(b.spec.id))) {
    const allowed = new Set<string>();
    for (const dep of [...ws.spec.softDependsOn].sort()) {
      if (!refs.has(dep) || reaches(dep, ws.spec.id)) continue;
      refs.get(ws.spec.id)!.add(dep);
      allowed.add(dep);
    }
    soft.set(ws.spec.id, allowed);
  }
  return soft;
}

/** Other orchestrators whose workstreams this orchestrator's workstreams hard-depend on, in model order. */
export function orchestratorDependencies(plan: OrchestrationPlan, o: DomainOrchestrator): DomainOrchestrator[] {
  const ids = new Set(o.workstreams.flatMap((w) => w.blockers.map((b) => b.spec.orchestrator)).filter((id) => id !== o.spec.id));
  return plan.orchestrators.filter((x) => ids.has(x.spec.id));
}

/** The order the meta orchestrator spawns the domains in: each after every domain it hard-depends on. */
export function orchestratorOrder(plan: OrchestrationPlan): DomainOrchestrator[] {
  const done: DomainOrchestrator[] = [];
  const pending = [...plan.orchestrators];
  while (pending.length > 0) {
    const i = pending.findIndex((o) => orchestratorDependencies(plan, o).every((d) => done.includes(d)));
    done.push(...pending.splice(i < 0 ? 0 : i, 1)); // a cross-domain cycle (allowed by the model) falls back to model order
  }
  return done;
}
