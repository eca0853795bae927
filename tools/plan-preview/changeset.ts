// The change set: what a plan does, per resource (address, action, and a digest of each attribute it sets),
// with no value in it. The plan preview writes it next to the comment (changeset.json, safe to upload); on merge
// to main the apply workflow plans again and applies only when the new change set equals the reviewed one.
import { createHash, scryptSync } from "node:crypto";
import type { Masker } from "../engine/mask";
import { markAt } from "../engine/mask";
import type { PlanJson } from "../engine/stacks";
import { PlannedChange, summarizePlan } from "./summary";

export const CHANGESET_FILE = "changeset.json";
export const CHANGESET_FORMAT = "sparky-infra/changeset@1";

export interface ResourceDigest {
  address: string;
  /** create, update, delete, replace, forget or no-op, plus "import" and "moved from <address>" when they apply. */
  action: string;
  /** Attribute → sha256 of what the plan sets it to (secret values only as their scrypt hash). */
  attributes: Record<string, string>;
}

export interface StackChangeSet {
  stack: string;
  status: "no-changes" | "changes" | "error";
  resources: ResourceDigest[];
}

export interface ChangeSet {
  format: typeof CHANGESET_FORMAT;
  /** The commit the change set was planned from, when known. */
  commit?: string;
  stacks: StackChangeSet[];
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** JSON with sorted keys: the same value always gives the same text. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (isRecord(v))
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`)
      .join(",")}}`;
  return JSON.stringify(v ?? null);
}

/**
 * Secrets enter a digest only through scrypt (a deliberately slow hash), so a published change set cannot be used
 * to test guesses of a secret at any useful speed. The salt is fixed: the same secret must give the same digest
 * in the preview and on merge.
 */
const secretHashes = new Map<string, string>();
function secretHash(value: string): string {
  let hash = secretHashes.get(value);
  if (!hash) secretHashes.set(value, (hash = scryptSync(value, "sparky-infra changeset secret", 32, { N: 1 << 13 }).toString("hex")));
  return hash;
}

/** The value with every secret leaf (marked sensitive by the plan, or hidden by the masker) replaced by its hash. */
function withSecretsHashed(value: unknown, marks: unknown, path: (string | number)[], masker: Masker): unknown {
  if (marks === true) return { secret: secretHash(canonical(value)) };
  if (Array.isArray(value)) return value.map((x, i) => withSecretsHashed(x, markAt(marks, i), [...path, i], masker));
  if (isRecord(value))
    return Object.fromEntries(Object.entries(value).map(([k, x]) => [k, withSecretsHashed(x, markAt(marks, k), [...path, k], masker)]));
  if (value !== null && value !== undefined && masker.value(path, value) !== value) return { secret: secretHash(canonical(value)) };
  return value;
}

export function actionOf(change: Pick<PlannedChange, "kind" | "importing" | "movedFrom">): string {
  return [change.kind, ...(change.importing ? ["import"] : []), ...(change.movedFrom ? [`moved from ${change.movedFrom}`] : [])].join(", ");
}

/**
 * What the plan sets: for a create every attribute, for an update or replace the ones it changes, each digested
 * from its planned value and whether that is known yet. What state held before does not enter: a change that
 * leads to the same result is the same change. A destroy is its address and action alone.
 */
function attributeDigests(change: PlannedChange, masker: Masker): Record<string, string> {
  const c = change.rc.change;
  if (change.kind === "delete" || change.kind === "forget" || change.kind === "no-op") return {};
  const before = isRecord(c.before) ? c.before : {};
  const after = isRecord(c.after) ? c.after : {};
  const unknown = isRecord(c.after_unknown) ? c.after_unknown : {};
  const forcing = new Set(change.replacePaths.map((p) => p.split(/[.[]/)[0]));
  const names = new Set([...Object.keys(after), ...Object.keys(unknown)]);
  const digests: Record<string, string> = {};
  for (const name of [...names].sort()) {
    const changed =
      c.before === null || unknown[name] !== undefined || forcing.has(name) || canonical(before[name]) !== canonical(after[name]);
    if (!changed) continue;
    const planned = withSecretsHashed(after[name], markAt(c.after_sensitive, name), [name], masker);
    digests[name] = sha256(canonical({ after: planned, unknown: unknown[name] ?? false }));
  }
  return digests;
}

/** The change set of one stack's plan (undefined plan: it failed to plan). */
export function stackChangeSet(stack: string, plan: PlanJson | undefined, masker: Masker): StackChangeSet {
  if (!plan) return { stack, status: "error", resources: [] };
  const summary = summarizePlan(plan);
  const resources = summary.changes.map((change) => ({
    address: change.address,
    action: actionOf(change),
    attributes: attributeDigests(change, masker),
  }));
  return { stack, status: summary.errored ? "error" : summary.hasChanges ? "changes" : "no-changes", resources };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** Every difference between the reviewed change set and the current one, each naming its stack and resource. */
export function compareChangeSets(reviewed: ChangeSet, current: ChangeSet): string[] {
  const differences: string[] = [];
  const before = new Map(reviewed.stacks.map((s) => [s.stack, s]));
  const now = new Map(current.stacks.map((s) => [s.stack, s]));
  for (const name of new Set([...before.keys(), ...now.keys()])) {
    const r = before.get(name);
    const c = now.get(name);
    if (r?.status === "error") differences.push(`${name}: the reviewed preview could not plan this stack`);
    if (c?.status === "error") differences.push(`${name}: could not be planned now`);
    if (r?.status === "error" || c?.status === "error") continue;
    if (!r && c && c.resources.length > 0)
      differences.push(`${name}: not in the reviewed preview, but now plans ${plural(c.resources.length, "change")}`);
    if (r && !c && r.resources.length > 0)
      differences.push(`${name}: reviewed with ${plural(r.resources.length, "change")}, but not planned now`);
    if (!r || !c) continue;
    const reviewedResources = new Map(r.resources.map((x) => [x.address, x]));
    const currentResources = new Map(c.resources.map((x) => [x.address, x]));
    for (const address of new Set([...reviewedResources.keys(), ...currentResources.keys()])) {
      const was = reviewedResources.get(address);
      const is = currentResources.get(address);
      if (!was) differences.push(`${name}: ${address}: ${is!.action} now, but not in the reviewed preview`);
      else if (!is) differences.push(`${name}: ${address}: reviewed as ${was.action}, but not planned now`);
      else if (was.action !== is.action) differences.push(`${name}: ${address}: reviewed as ${was.action}, now ${is.action}`);
      else {
        const attributes = [...new Set([...Object.keys(was.attributes), ...Object.keys(is.attributes)])].filter(
          (a) => was.attributes[a] !== is.attributes[a],
        );
        if (attributes.length > 0)
          differences.push(
            `${name}: ${address}: ${attributes.map((a) => `\`${a}\``).join(", ")} ${attributes.length === 1 ? "differs" : "differ"} from the reviewed plan`,
          );
      }
    }
  }
  return differences;
}
