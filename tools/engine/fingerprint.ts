// Refresh only when something may have changed. A plan's refresh is most of a no-op deploy's time (kreuzwerker/docker
// 3.6.2 waits 2 s before every network and volume read), yet a plan without refresh is only right while the state
// still matches reality. Both are checked cheaply instead: the live Docker objects a stack manages are fingerprinted
// (a few `docker inspect` calls), and the state the plan starts from is digested (`prior_state` of its JSON). When
// both equal what was recorded the last time state and reality were known to agree (after an apply, or after a
// refreshing plan that found no drift), the plan skips the refresh; otherwise it refreshes fully. "Agree" is up to
// the differences the reviewed drift ignore list accepts (config/drift-ignore.json, e.g. the addresses Docker gives a
// container on every start): those are neither drift nor part of the state digest, as a drift check sees it.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { diffAttributes, isEmptyish } from "./attributes";
import { dockerAsync, stackEndpoint } from "./docker";
import { formatPath } from "./paths";
import { PlanJson, PlanOptions, planStack, runEngine, StackPlan, SynthesizedStack } from "./stacks";
import { readStackConfig } from "./variables";

/** What `docker inspect` is asked for, per object kind, by the names the stack gives them. */
export type Kind = "container" | "network" | "volume" | "image";
const RESOURCE_KINDS: Record<string, Kind> = {
  docker_container: "container",
  docker_network: "network",
  docker_volume: "volume",
  docker_image: "image",
};

/** Names of the Docker objects a stack manages, by kind; undefined for a stack that manages none (GitHub). */
export function managedObjects(stack: Pick<SynthesizedStack, "dir">): Record<Kind, string[]> | undefined {
  const resources = readStackConfig(stack.dir).resource ?? {};
  const objects: Record<Kind, string[]> = { container: [], network: [], volume: [], image: [] };
  let any = false;
  for (const [type, kind] of Object.entries(RESOURCE_KINDS))
    for (const r of Object.values(resources[type] ?? {}))
      if (typeof r.name === "string") {
        objects[kind].push(r.name);
        any = true;
      }
  return any ? objects : undefined;
}

/**
 * Without the fields that change when nothing the engine would see changed (health probes, timestamps, attachments),
 * and with lists Docker returns in no fixed order (a container's mounts come from a map) sorted.
 */
export function stable(kind: Kind, object: Record<string, unknown>): unknown {
  const copy = structuredClone(object) as Record<string, any>;
  if (kind === "container") {
    delete copy.State?.Health;
    for (const k of ["StartedAt", "FinishedAt", "Pid"]) delete copy.State?.[k];
    delete copy.NetworkSettings?.SandboxKey;
    if (Array.isArray(copy.Mounts)) copy.Mounts.sort((a: any, b: any) => String(a.Destination).localeCompare(String(b.Destination)));
  }
  if (kind === "network") delete copy.Containers;
  if (kind === "image") delete copy.Metadata;
  return copy;
}

async function inspect(stack: Pick<SynthesizedStack, "dir">, kind: Kind, names: string[]): Promise<string> {
  if (names.length === 0) return "";
  // A missing object makes docker exit 1 but still print the others; the missing one is then simply absent.
  return (await dockerAsync(stackEndpoint(stack), [kind, "inspect", ...[...new Set(names)].sort()])).stdout;
}

/** A digest of every Docker object the stack manages, as they are now; undefined when it manages none. */
export async function liveFingerprint(stack: Pick<SynthesizedStack, "dir">): Promise<string | undefined> {
  const objects = managedObjects(stack);
  if (!objects) return undefined;
  const kinds = Object.keys(objects) as Kind[];
  const outputs = await Promise.all(kinds.map((kind) => inspect(stack, kind, objects[kind])));
  const hash = createHash("sha256");
  kinds.forEach((kind, i) => {
    let parsed: Record<string, unknown>[] = [];
    try {
      parsed = JSON.parse(outputs[i] || "[]") as Record<string, unknown>[];
    } catch {
      parsed = [];
    }
    hash.update(`${kind}:${JSON.stringify(parsed.map((o) => stable(kind, o)))}\n`);
  });
  return hash.digest("hex");
}

/**
 * A state's values in one canonical form: keys sorted, unset and zero values ("", 0, false, [], {}, null) dropped,
 * because the engine writes the same state with `null` in one view (`show -json`) and `[]` in another (a plan's
 * `prior_state`), and the providers treat them alike.
 */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === "object")
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .filter((k) => !isEmptyish((value as Record<string, unknown>)[k]))
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  return value;
}

/**
 * Whether the reviewed drift ignore list accepts a difference in this attribute (path as `formatPath` writes it) of
 * this resource of this stack.
 */
export type Accepted = (stack: string, address: string, attribute: string) => boolean;
/** The same, for one stack. */
type AcceptedHere = (address: string, attribute: string) => boolean;
const nothingAccepted: AcceptedHere = () => false;

interface StateResource {
  address?: string;
  values?: Record<string, unknown>;
  sensitive_values?: Record<string, unknown>;
}
interface StateModule {
  resources?: StateResource[];
  child_modules?: StateModule[];
}

/** The module's resources without the top-level attributes whose differences are accepted. */
function withoutAccepted(module: StateModule | undefined, accepted: AcceptedHere): StateModule | undefined {
  if (!module) return module;
  const drop = (address: string, values?: Record<string, unknown>) =>
    values && Object.fromEntries(Object.entries(values).filter(([k]) => !accepted(address, k)));
  return {
    ...module,
    resources: module.resources?.map((r) => ({
      ...r,
      values: drop(r.address ?? "", r.values),
      sensitive_values: drop(r.address ?? "", r.sensitive_values),
    })),
    child_modules: module.child_modules?.map((m) => withoutAccepted(m, accepted)!),
  };
}

/** A digest of a state's resources as the engine shows it (`show -json`, or a plan's `prior_state`). */
export function stateDigest(state: unknown, accepted: AcceptedHere = nothingAccepted): string {
  const values = (state as { values?: { root_module?: StateModule } } | undefined)?.values;
  const kept = values ? { ...values, root_module: withoutAccepted(values.root_module, accepted) } : null;
  return createHash("sha256")
    .update(JSON.stringify(canonical(kept)))
    .digest("hex");
}

/** A digest of the state a plan started from. */
export const priorStateDigest = (plan: PlanJson, accepted: AcceptedHere = nothingAccepted): string =>
  stateDigest((plan as { prior_state?: unknown }).prior_state, accepted);

/** Whether a refreshing plan found reality changed beyond what the ignore list accepts. */
export function foundDrift(plan: PlanJson, accepted: AcceptedHere = nothingAccepted): boolean {
  // A refresh right after an apply reports "updates" that only swap an unset value for its zero value: not drift.
  return (plan.resource_drift ?? []).some(
    (d) =>
      d.change.actions.includes("delete") ||
      diffAttributes(d.change.before, d.change.after).some((a) => !accepted(d.address, formatPath(a.segments))),
  );
}

interface Agreement {
  live: string;
  state: string;
}

/**
 * Where the last agreement of state and reality is recorded: per machine and stack, beside the synthesized output
 * (kept across synths), never in it. 0600: it names nothing secret, but it is nobody else's business either.
 */
function recordFile(stack: Pick<SynthesizedStack, "name" | "dir">): string {
  return path.join(stack.dir, ".terraform", "sparky-in-sync.json");
}

export function recordedAgreement(stack: Pick<SynthesizedStack, "name" | "dir">): Agreement | undefined {
  try {
    return JSON.parse(fs.readFileSync(recordFile(stack), "utf8")) as Agreement;
  } catch {
    return undefined;
  }
}

export function recordAgreement(stack: Pick<SynthesizedStack, "name" | "dir">, agreement: Agreement | undefined): void {
  const file = recordFile(stack);
  if (!agreement) {
    fs.rmSync(file, { force: true });
    return;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(agreement), { mode: 0o600 });
}

/** A stack's plan, and whether it refreshed. */
export interface KnownPlan {
  plan: StackPlan;
  refreshed: boolean;
}

/**
 * The plan of a stack, without refresh when its Docker objects and its state are both as they were the last time
 * they were known to agree; with a full refresh otherwise (and then the agreement is recorded when the refresh
 * found no drift). GitHub stacks, which have no cheap fingerprint, always refresh.
 */
export async function planKnowingState(
  stack: SynthesizedStack,
  options: PlanOptions,
  acceptedIn: Accepted = () => false,
): Promise<KnownPlan> {
  const accepted: AcceptedHere = (address, attribute) => acceptedIn(stack.name, address, attribute);
  const recorded = recordedAgreement(stack);
  const live = await liveFingerprint(stack);
  if (recorded && live !== undefined && live === recorded.live) {
    const plan = await planStack(stack, { ...options, refresh: false });
    if (priorStateDigest(plan.json, accepted) === recorded.state) return { plan, refreshed: false };
  }
  const plan = await planStack(stack, options);
  const agrees = live !== undefined && !foundDrift(plan.json, accepted);
  recordAgreement(stack, agrees ? { live, state: priorStateDigest(plan.json, accepted) } : undefined);
  return { plan, refreshed: true };
}

/** After an apply, state and reality agree again (the provider read every object it created or changed). */
export async function recordAfterApply(stack: SynthesizedStack, env: NodeJS.ProcessEnv, acceptedIn: Accepted = () => false): Promise<void> {
  const accepted: AcceptedHere = (address, attribute) => acceptedIn(stack.name, address, attribute);
  const live = await liveFingerprint(stack);
  if (live === undefined) return;
  const shown = await runEngine(stack.dir, ["show", "-json"], { env });
  recordAgreement(stack, shown.code === 0 ? { live, state: stateDigest(JSON.parse(shown.stdout), accepted) } : undefined);
}
