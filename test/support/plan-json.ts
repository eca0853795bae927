// Synthetic JSON plans in OpenTofu's shape, for unit tests of the analysis, rendering and masking.
import type { PlanJson, ResourceChange } from "../../tools/engine/stacks";

export function change(
  address: string,
  actions: string[],
  before: unknown,
  after: unknown,
  extra: Partial<ResourceChange["change"]> = {},
): ResourceChange {
  const [type, name] = address.split(".");
  return { address, type, name, mode: "managed", change: { actions, before, after, ...extra } };
}

export const plan = (p: Partial<PlanJson> & { prior_state?: unknown }): PlanJson => ({ format_version: "1.2", ...p }) as PlanJson;

/** prior_state of a stack that has been applied (one resource in state). */
export const deployed = { prior_state: { values: { root_module: { resources: [{}] } } } };

/**
 * A stack's one plan, from the half its refresh found (`resource_drift`, `prior_state`) and the half the code would
 * change (`resource_changes`), so each test states the two apart.
 */
export const onePlan = (refresh: PlanJson, changes: PlanJson): PlanJson => ({
  ...changes,
  resource_drift: refresh.resource_drift,
  ...("prior_state" in refresh ? { prior_state: (refresh as { prior_state?: unknown }).prior_state } : {}),
});
