// What a JSON plan (`tofu show -json`) changes: per-resource actions and per-stack counts.
import { DELETE_CLOSES } from "../../constructs/github/ownership";
import { formatPath } from "../engine/paths";
import type { PlanJson, ResourceChange } from "../engine/stacks";

/** "close": a delete whose provider keeps the object (integrations/github closes an issue). */
export type ChangeKind = "create" | "update" | "delete" | "close" | "replace" | "forget" | "no-op" | "read";

export interface Counts {
  add: number;
  change: number;
  destroy: number;
  replace: number;
  import: number;
  move: number;
  forget: number;
  close: number;
}

export interface PlannedChange {
  address: string;
  kind: ChangeKind;
  importing: boolean;
  movedFrom?: string;
  reason?: string;
  replacePaths: string[];
  rc: ResourceChange;
}

export interface PlanSummary {
  counts: Counts;
  /** Resources that change (no-ops only when imported or moved), in plan order. */
  changes: PlannedChange[];
  /** Objects changed outside the engine since the last apply that this plan acts on or depends on. */
  drift: string[];
  outputChanges: string[];
  hasChanges: boolean;
  errored: boolean;
}

export function kindOf(actions: readonly string[]): ChangeKind {
  const a = [...actions].sort().join(",");
  if (a === "create,delete") return "replace";
  if (a === "create" || a === "delete" || a === "update" || a === "read" || a === "forget") return a;
  if (a === "create,forget") return "replace";
  return "no-op";
}

export function summarizePlan(plan: PlanJson): PlanSummary {
  const counts: Counts = { add: 0, change: 0, destroy: 0, replace: 0, import: 0, move: 0, forget: 0, close: 0 };
  const changes: PlannedChange[] = [];
  for (const rc of plan.resource_changes ?? []) {
    const actionKind = kindOf(rc.change.actions);
    const kind: ChangeKind = actionKind === "delete" && DELETE_CLOSES.includes(rc.type) ? "close" : actionKind;
    const importing = Boolean(rc.change.importing);
    const movedFrom = rc.previous_address && rc.previous_address !== rc.address ? rc.previous_address : undefined;
    if ((kind === "no-op" || kind === "read") && !importing && !movedFrom) continue;
    if (kind === "read" && rc.mode === "data" && !importing && !movedFrom) continue;
    if (kind === "create") counts.add++;
    if (kind === "update") counts.change++;
    if (kind === "delete") counts.destroy++;
    if (kind === "replace") counts.replace++;
    if (kind === "forget") counts.forget++;
    if (kind === "close") counts.close++;
    if (importing) counts.import++;
    if (movedFrom) counts.move++;
    changes.push({
      address: rc.address,
      kind,
      importing,
      movedFrom,
      reason: rc.action_reason,
      replacePaths: (rc.change.replace_paths ?? []).map(formatPath),
      rc,
    });
  }
  const drift = (plan.resource_drift ?? [])
    .filter((d) => kindOf(d.change.actions) !== "no-op" && driftMatters(plan, d))
    .map((d) => d.address);
  const outputChanges = Object.entries(plan.output_changes ?? {})
    .filter(([, c]) => !c.actions.every((a) => a === "no-op"))
    .map(([name]) => name);
  return {
    counts,
    changes,
    drift,
    outputChanges,
    hasChanges: changes.length > 0 || outputChanges.length > 0,
    errored: plan.errored === true,
  };
}

const REASONS: Record<string, string> = {
  replace_because_cannot_update: "an attribute cannot be updated in place",
  replace_because_tainted: "the object is tainted",
  replace_by_request: "replacement was requested (-replace)",
  replace_by_triggers: "replace_triggered_by changed",
  delete_because_no_resource_config: "no longer in the configuration",
  delete_because_no_module: "its module is no longer in the configuration",
  delete_because_wrong_repetition: "count/for_each was removed or added",
  delete_because_count_index: "its count index is out of range",
  delete_because_each_key: "its for_each key is gone",
  delete_because_no_move_target: "its moved target does not exist",
  read_because_config_unknown: "the configuration is not known yet",
  read_because_dependency_pending: "a dependency has pending changes",
};

/** Human reason, with the engine's action_reason and the attributes forcing a replacement. */
export function describeReason(change: Pick<PlannedChange, "reason" | "replacePaths" | "kind">): string {
  const parts: string[] = [];
  if (change.reason) parts.push(`${REASONS[change.reason] ?? change.reason} (\`${change.reason}\`)`);
  if (change.replacePaths.length > 0) parts.push(`forced by ${change.replacePaths.map((p) => `\`${p}\``).join(", ")}`);
  if (parts.length === 0)
    parts.push(change.kind === "delete" || change.kind === "close" ? "removed from the configuration" : "no reason given by the engine");
  return parts.join("; ");
}

/**
 * Like the engine's own plan output, a drifted object is worth a reviewer's attention only when this plan changes
 * it, or when a changed attribute of it feeds a planned change (relevant_attributes). Refresh noise, such as a
 * re-read ETag, is neither. Plans without relevant_attributes (older engines) keep every drifted object.
 */
function driftMatters(plan: PlanJson, drifted: ResourceChange): boolean {
  if (!plan.relevant_attributes) return true;
  if ((plan.resource_changes ?? []).some((rc) => rc.address === drifted.address && kindOf(rc.change.actions) !== "no-op")) return true;
  const before = (drifted.change.before ?? {}) as Record<string, unknown>;
  const after = (drifted.change.after ?? {}) as Record<string, unknown>;
  const changed = (key: string) => JSON.stringify(before[key]) !== JSON.stringify(after[key]);
  return plan.relevant_attributes.some(
    (r) => r.resource === drifted.address && (r.attribute.length === 0 || (typeof r.attribute[0] === "string" && changed(r.attribute[0]))),
  );
}
