// Refresh only when something may have changed. A plan's refresh is most of a no-op deploy's time (kreuzwerker/docker
// 3.6.2 waits 2 s before every network and volume read), yet a plan without refresh is only right while the state
// still matches reality. Both are checked cheaply instead: the live Docker objects a stack manages are fingerprinted
// (one `docker inspect` of each, over one connection to the engine), and the state is identified by its lineage and
// serial (`state pull`). When both equal what was recorded the last time state and reality were known to agree
// (after an apply, or after a refreshing plan that found no drift), the plan skips the refresh, and its JSON is read
// only when it changes something; otherwise it refreshes fully. "Agree" is up to the differences the reviewed drift
// ignore list accepts (config/drift-ignore.json, e.g. the addresses Docker gives a container on every start), as a
// drift check sees it.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { diffAttributes } from "./attributes";
import { DockerEndpoint, stackEndpoint } from "./docker";
import { inspectObjects, ObjectKind } from "./docker-api";
import { formatPath } from "./paths";
import { planInputsIdentity } from "./plan-inputs";
import { ensureInitialized, NO_CHANGES, PlanJson, PlanOptions, planStack, runEngine, StackPlan, SynthesizedStack } from "./stacks";
import { readStackConfig } from "./variables";

const RESOURCE_KINDS: Record<string, ObjectKind> = {
  docker_container: "container",
  docker_network: "network",
  docker_volume: "volume",
  docker_image: "image",
  docker_service: "service",
  docker_config: "config",
};

/** The objects of one kind on one engine (a cluster's stacks reach each node's engine through its own provider). */
interface ManagedObjects {
  endpoint: DockerEndpoint;
  kind: ObjectKind;
  names: string[];
}

/** Names of the Docker objects a stack manages, by engine and kind; undefined for a stack that manages none (GitHub). */
export function managedObjects(stack: Pick<SynthesizedStack, "dir">): ManagedObjects[] | undefined {
  const resources = readStackConfig(stack.dir).resource ?? {};
  const groups = new Map<string, ManagedObjects>();
  for (const [type, kind] of Object.entries(RESOURCE_KINDS))
    for (const r of Object.values(resources[type] ?? {})) {
      if (typeof r.name !== "string") continue;
      const key = `${String(r.provider ?? "docker")} ${kind}`;
      const group = groups.get(key) ?? { endpoint: stackEndpoint(stack, r.provider), kind, names: [] };
      group.names.push(r.name);
      groups.set(key, group);
    }
  return groups.size > 0 ? [...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, g]) => g) : undefined;
}

/** The Docker objects a stack manages as they are now (`docker inspect` of each), by engine and kind; a missing one is absent. */
export type LiveObjects = { endpoint: string; kind: ObjectKind; objects: Record<string, unknown>[] }[];

/** Undefined for a stack that manages none; throws when an engine cannot be read. */
export async function readLiveObjects(stack: Pick<SynthesizedStack, "dir">): Promise<LiveObjects | undefined> {
  const groups = managedObjects(stack);
  if (!groups) return undefined;
  const found = await Promise.all(groups.map((g) => inspectObjects(g.endpoint, g.kind, [...new Set(g.names)].sort())));
  return groups.map((g, i) => ({ endpoint: g.endpoint.host ?? "", kind: g.kind, objects: found[i] }));
}

/** The live containers among them (every engine's). */
export const liveContainers = (live: LiveObjects): Record<string, unknown>[] =>
  live.filter((g) => g.kind === "container").flatMap((g) => g.objects);

/**
 * Without the fields that change when nothing the engine would see changed (health probes, timestamps, attachments),
 * and with lists Docker returns in no fixed order (a container's mounts come from a map) sorted.
 */
export function stable(kind: ObjectKind, object: Record<string, unknown>): unknown {
  const copy = structuredClone(object) as Record<string, any>;
  if (kind === "container") {
    delete copy.State?.Health;
    for (const k of ["StartedAt", "FinishedAt", "Pid"]) delete copy.State?.[k];
    delete copy.NetworkSettings?.SandboxKey;
    if (Array.isArray(copy.Mounts)) copy.Mounts.sort((a: any, b: any) => String(a.Destination).localeCompare(String(b.Destination)));
  }
  if (kind === "network") delete copy.Containers;
  if (kind === "image") delete copy.Metadata;
  // A service's version and update status move with Swarm's own bookkeeping; its spec is what the engine sees.
  if (kind === "service") for (const k of ["Version", "UpdatedAt", "UpdateStatus"]) delete copy[k];
  return copy;
}

/** A digest of the objects as they are. */
export function fingerprintOf(live: LiveObjects): string {
  const hash = createHash("sha256");
  for (const { endpoint, kind, objects } of live)
    hash.update(`${endpoint} ${kind}:${JSON.stringify(objects.map((o) => stable(kind, o)))}\n`);
  return hash.digest("hex");
}

/** A digest of every Docker object the stack manages, as they are now; undefined when it manages none or they cannot be read. */
export async function liveFingerprint(stack: Pick<SynthesizedStack, "dir">): Promise<string | undefined> {
  try {
    const objects = await readLiveObjects(stack);
    return objects && fingerprintOf(objects);
  } catch {
    return undefined; // then the plan refreshes, and says why if the engine cannot be reached
  }
}

/**
 * Whether the reviewed drift ignore list accepts a difference in this attribute (path as `formatPath` writes it) of
 * this resource of this stack.
 */
export type Accepted = (stack: string, address: string, attribute: string) => boolean;
/** The same, for one stack. */
type AcceptedHere = (address: string, attribute: string) => boolean;
const nothingAccepted: AcceptedHere = () => false;

/**
 * Which state the stack's backend holds: its lineage and serial (every write of the state counts the serial up, so
 * an apply from anywhere changes it; a plan never writes it). Undefined without a state, or when it cannot be read.
 * `state pull` reads the backend only: no provider starts.
 */
export async function stateIdentity(stack: Pick<SynthesizedStack, "dir">, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const pulled = await runEngine(stack.dir, ["state", "pull"], { env, timeoutMs: 120_000 });
  if (pulled.code !== 0) return undefined;
  try {
    const state = JSON.parse(pulled.stdout) as { lineage?: string; serial?: number };
    return state.lineage && state.serial !== undefined ? `${state.lineage}:${state.serial}` : undefined;
  } catch {
    return undefined;
  }
}

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
  /**
   * The inputs (plan-inputs.ts) of a plan without refresh that changed nothing, made while the live objects and the
   * state were these: a plan of the same inputs over the same state and objects changes nothing again.
   */
  emptyPlanOf?: string;
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

/** A stack's plan, whether it refreshed, and whether it was made at all (a skipped one changes nothing). */
export interface KnownPlan {
  plan: StackPlan;
  refreshed: boolean;
  planned: boolean;
}

/**
 * The plan of a stack, without refresh when its Docker objects and its state are both as they were the last time
 * they were known to agree; with a full refresh otherwise (and then the agreement is recorded when the refresh
 * found no drift). GitHub stacks, which have no cheap fingerprint, always refresh.
 */
export async function planKnowingState(
  stack: SynthesizedStack,
  options: PlanOptions,
  known: { accepted?: Accepted; live?: LiveObjects } = {},
): Promise<KnownPlan> {
  const accepted: AcceptedHere = (address, attribute) => known.accepted?.(stack.name, address, attribute) ?? false;
  const recorded = recordedAgreement(stack);
  await ensureInitialized(stack.dir, options);
  const [live, state] = await Promise.all([
    known.live ? fingerprintOf(known.live) : liveFingerprint(stack),
    stateIdentity(stack, options.env ?? {}),
  ]);
  if (recorded && live !== undefined && state !== undefined && live === recorded.live && state === recorded.state) {
    const inputs = options.exclude?.length || options.replace?.length ? undefined : planInputsIdentity(stack.dir, options.env ?? {});
    if (inputs !== undefined && inputs === recorded.emptyPlanOf)
      return { plan: { stack: stack.name, json: NO_CHANGES }, refreshed: false, planned: false };
    const plan = await planStack(stack, { ...options, refresh: false, showOnlyChanges: true });
    if (inputs !== undefined && plan.json === NO_CHANGES) recordAgreement(stack, { live, state, emptyPlanOf: inputs });
    return { plan, refreshed: false, planned: true };
  }
  const plan = await planStack(stack, { ...options, showOnlyChanges: true });
  // The plan read reality without writing state: the state it started from is the one that agrees (or not).
  const agrees = live !== undefined && state !== undefined && !foundDrift(plan.json, accepted);
  recordAgreement(stack, agrees ? { live, state } : undefined);
  return { plan, refreshed: true, planned: true };
}

/** After an apply, state and reality agree again (the provider read every object it created or changed). */
export async function recordAfterApply(stack: SynthesizedStack, env: NodeJS.ProcessEnv): Promise<void> {
  const [live, state] = await Promise.all([liveFingerprint(stack), stateIdentity(stack, env)]);
  recordAgreement(stack, live !== undefined && state !== undefined ? { live, state } : undefined);
}
