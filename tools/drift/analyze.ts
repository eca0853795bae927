// Pure drift analysis of one stack from its JSON plan: what its refresh found (reality vs state, `resource_drift`)
// and what the code would change (code vs reality, `resource_changes`). Nothing here looks at exit codes or
// provider types.
import type { Ownership } from "../../constructs/github/ownership";
import { createMasker, Masker, sensitiveAt } from "../engine/mask";
import { formatPath } from "../engine/paths";
import { diffAttributes, semanticEqual } from "../engine/attributes";

export { diffAttributes, semanticEqual };
import type { PlanJson, ResourceChange } from "../engine/stacks";
import { findIgnore, IgnoreEntry } from "./ignore";

export interface AttributeChange {
  path: string;
  before: unknown;
  after: unknown;
}

export interface DriftedResource {
  address: string;
  type: string;
  /**
   * changed: attributes differ; deleted: the object is gone; replaced: gone, and another object took its name;
   * stopped: a container that must run is not running (found by inspecting it, never by refreshing it: see check.ts);
   * failed: a one-shot job whose run failed (found the same way; a deploy or restore runs it again).
   */
  kind: "changed" | "deleted" | "replaced" | "stopped" | "failed";
  /** before = last applied (state), after = reality. */
  attributes: AttributeChange[];
  /** Id of the object that now holds the name (kind "replaced"). */
  occupant?: string;
}

export interface UnappliedChange {
  address: string;
  type: string;
  actions: string[];
  /** before = reality, after = code (unknown values omitted). */
  attributes: AttributeChange[];
}

export interface IgnoredDifference {
  address: string;
  path: string;
  reason: string;
}

export type StackStatus = "clean" | "drift" | "undeployed" | "error";

export interface StackReport {
  stack: string;
  status: StackStatus;
  /** Out-of-band changes: reality ≠ state. */
  drift: DriftedResource[];
  /** Changes the code would make that drift does not explain. */
  unapplied: UnappliedChange[];
  /** Normal-plan changes that only undo drift (a restore would apply them). */
  explainedByDrift: string[];
  ignored: IgnoredDifference[];
  error?: string;
  /** sha256 of the plan the report was made from. */
  planSha256?: string;
  ms?: number;
}

export interface AnalyzeOptions {
  ignore?: readonly IgnoreEntry[];
  masker?: Masker;
  /** Objects found holding the name of a resource that refresh reports deleted (address → id and live attributes). */
  occupants?: Record<string, { id: string; live?: Record<string, unknown>; planned?: Record<string, unknown>; plannedUnknown?: unknown }>;
  /** What people own or share on a resource (address → its ownership note; constructs/github/ownership.ts). */
  ownership?: Readonly<Record<string, Ownership>>;
}

type Difference = { segments: (string | number)[]; before: unknown; after: unknown };

const PEOPLE = "people own it: sparky-infra leaves it alone";
const SHARED = "people's part of a shared value (the code keeps it)";
const asSet = (v: unknown) => new Set((Array.isArray(v) ? v : []).map((x) => JSON.stringify(x)));

const sameActions = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
const isNoop = (c: ResourceChange) => sameActions(c.change.actions, ["no-op"]) || sameActions(c.change.actions, ["read"]);

export function analyzeStack(stack: string, plan: PlanJson, options: AnalyzeOptions = {}): StackReport {
  const ignore = options.ignore ?? [];
  const masker = options.masker ?? createMasker();
  const ignored: IgnoredDifference[] = [];
  const drift: DriftedResource[] = [];
  const driftBefore = new Map<string, unknown>();

  const masked = (c: ResourceChange, d: { segments: (string | number)[]; before: unknown; after: unknown }): AttributeChange => {
    return {
      path: formatPath(d.segments),
      before: masker.value(d.segments, d.before, sensitiveAt(c.change.before_sensitive, d.segments)),
      after: masker.value(d.segments, d.after, sensitiveAt(c.change.after_sensitive, d.segments)),
    };
  };
  /**
   * Out-of-band changes to what people own are not drift; on a shared value only the part the code would undo is
   * (a model label removed, or one of the model's labels added where the model does not put it).
   */
  const owned = (address: string, diffs: Difference[], code: unknown, codeUnknown: unknown): Difference[] => {
    const own = options.ownership?.[address];
    if (!own) return diffs;
    return diffs.filter((d) => {
      const top = String(d.segments[0]);
      const path = formatPath(d.segments);
      if (own.people.includes(top)) {
        ignored.push({ address, path, reason: PEOPLE });
        return false;
      }
      if (!own.shared.includes(top)) return true;
      // Not known until apply (e.g. a label the plan recreates): whatever changed may be undone, so it counts.
      if (valueAt(codeUnknown, [top]) === true) return true;
      const [before, after, wanted] = [asSet(d.before), asSet(d.after), asSet(valueAt(code, [top]))];
      const undone = [...before].some((x) => !after.has(x) && wanted.has(x)) || [...after].some((x) => !before.has(x) && !wanted.has(x));
      if (!undone) ignored.push({ address, path, reason: SHARED });
      return undone;
    });
  };
  /** In the normal plan (reality → code): people's attributes never count; the rest is what the code changes. */
  const planned = (address: string, diffs: Difference[]): Difference[] => {
    const own = options.ownership?.[address];
    return own ? diffs.filter((d) => !own.people.includes(String(d.segments[0]))) : diffs;
  };
  /**
   * Against what was last applied, a shared value's difference is people's when everything the code adds is
   * already in reality (people's part, kept) and everything it drops is already gone from reality.
   */
  const sharedAgrees = (c: ResourceChange, d: Difference) => {
    const top = String(d.segments[0]);
    if (!options.ownership?.[c.address]?.shared.includes(top)) return false;
    const [last, code, reality] = [asSet(d.before), asSet(d.after), asSet(valueAt(c.change.before, [top]))];
    return [...code].every((x) => last.has(x) || reality.has(x)) && [...last].every((x) => code.has(x) || !reality.has(x));
  };
  const codeChange = (address: string) => (plan.resource_changes ?? []).find((r) => r.address === address)?.change;
  const keep = (address: string, changes: AttributeChange[]): AttributeChange[] =>
    changes.filter((a) => {
      const entry = findIgnore(ignore, stack, address, a.path);
      if (entry) ignored.push({ address, path: a.path, reason: entry.reason });
      return !entry;
    });

  for (const c of plan.resource_drift ?? []) {
    if (c.mode !== "managed") continue;
    const actions = c.change.actions;
    if (actions.includes("delete") && (c.change.after === null || c.change.after === undefined)) {
      const whole = findIgnore(ignore, stack, c.address);
      if (whole) {
        ignored.push({ address: c.address, path: "*", reason: whole.reason });
        continue;
      }
      driftBefore.set(c.address, c.change.before);
      const occupant = options.occupants?.[c.address];
      if (occupant) {
        const diffs = occupant.live
          ? diffAttributes(occupant.planned ?? c.change.before, occupant.live, occupant.plannedUnknown)
              // Attributes the import cannot read come back null: nothing is known about them, so nothing is claimed.
              .filter((d) => d.after !== null && d.after !== undefined)
              .map((d) => ({ segments: d.segments, before: valueAt(c.change.before, d.segments), after: d.after }))
              .filter((d) => !semanticEqual(d.before, d.after))
          : [];
        drift.push({
          address: c.address,
          type: c.type,
          kind: "replaced",
          occupant: occupant.id,
          attributes: keep(
            c.address,
            diffs.map((d) => masked(c, d)),
          ),
        });
      } else drift.push({ address: c.address, type: c.type, kind: "deleted", attributes: [] });
      continue;
    }
    const code = codeChange(c.address);
    const attributes = keep(
      c.address,
      owned(c.address, diffAttributes(c.change.before, c.change.after), code ? code.after : c.change.after, code?.after_unknown).map((d) =>
        masked(c, d),
      ),
    );
    if (attributes.length === 0) continue;
    driftBefore.set(c.address, c.change.before);
    drift.push({ address: c.address, type: c.type, kind: "changed", attributes });
  }

  const unapplied: UnappliedChange[] = [];
  const explainedByDrift: string[] = [];
  for (const c of plan.resource_changes ?? []) {
    if (c.mode !== "managed" || isNoop(c)) continue;
    const actions = c.change.actions;
    if (driftBefore.has(c.address) && !sameActions(actions, ["delete"])) {
      // Does the code want anything other than what was last applied? If not, the change only undoes drift.
      const lastApplied = driftBefore.get(c.address);
      // Values the code leaves unset (null in the plan) are the provider's or image's to choose: not a difference.
      const differences = planned(c.address, diffAttributes(lastApplied, c.change.after, c.change.after_unknown)).filter(
        (d) => d.after !== null && d.after !== undefined && !sharedAgrees(c, d),
      );
      const remaining = keep(
        c.address,
        differences.map((d) => masked(c, d)),
      );
      if (remaining.length === 0) {
        explainedByDrift.push(c.address);
        continue;
      }
      unapplied.push({ address: c.address, type: c.type, actions, attributes: remaining });
      continue;
    }
    if (sameActions(actions, ["update"])) {
      const attributes = keep(
        c.address,
        planned(c.address, diffAttributes(c.change.before, c.change.after, c.change.after_unknown)).map((d) => masked(c, d)),
      );
      if (attributes.length === 0) continue; // only ignored (or normalisation) differences
      unapplied.push({ address: c.address, type: c.type, actions, attributes });
      continue;
    }
    const whole = findIgnore(ignore, stack, c.address);
    if (whole) {
      ignored.push({ address: c.address, path: "*", reason: whole.reason });
      continue;
    }
    const attributes = actions.includes("create")
      ? []
      : diffAttributes(c.change.before, c.change.after, c.change.after_unknown).map((d) => masked(c, d));
    unapplied.push({ address: c.address, type: c.type, actions, attributes: keep(c.address, attributes) });
  }

  const deployed = (plan as { prior_state?: { values?: { root_module?: { resources?: unknown[] } } } }).prior_state?.values?.root_module
    ?.resources;
  const neverApplied =
    (!deployed || deployed.length === 0) && drift.length === 0 && unapplied.every((u) => sameActions(u.actions, ["create"]));
  const status: StackStatus =
    neverApplied && unapplied.length > 0 ? "undeployed" : drift.length > 0 || unapplied.length > 0 ? "drift" : "clean";
  return { stack, status, drift, unapplied, explainedByDrift, ignored };
}

function valueAt(value: unknown, segments: readonly (string | number)[]): unknown {
  let node = value;
  for (const s of segments) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string | number, unknown>)[s];
  }
  return node;
}

export interface DriftReport {
  generatedAt: string;
  status: "clean" | "drift" | "error";
  stacks: StackReport[];
}

export function summarize(stacks: StackReport[], now = new Date()): DriftReport {
  const status = stacks.some((s) => s.status === "error") ? "error" : stacks.some((s) => s.status === "drift") ? "drift" : "clean";
  return { generatedAt: now.toISOString(), status, stacks };
}

/** 0 clean, 2 drift (out-of-band changes or unapplied code), 1 error (errors win: the check is incomplete). */
export const exitCodeFor = (report: DriftReport): number => (report.status === "error" ? 1 : report.status === "drift" ? 2 : 0);
