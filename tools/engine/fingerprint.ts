// Refresh only when something may have changed. A plan's refresh is most of a no-op deploy's time (kreuzwerker/docker
// 3.6.2 waits 2 s before every network and volume read), yet a plan without refresh is only right while the state
// still matches reality. Both are checked cheaply instead: the live Docker objects a stack manages are fingerprinted
// (a few `docker inspect` calls), and the state the plan starts from is digested (`prior_state` of its JSON). When
// both equal what was recorded the last time state and reality were known to agree (after an apply, or after a
// refreshing plan that found no drift), the plan skips the refresh; otherwise it refreshes fully.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { diffAttributes, isEmptyish } from "./attributes";
import { dockerArgs, DockerEndpoint, stackEndpoint } from "./docker";
import { PlanJson, PlanOptions, planStack, runEngine, StackPlan, SynthesizedStack } from "./stacks";
import { readStackConfig } from "./variables";

/** What `docker inspect` is asked for, per object kind, by the names the stack gives them. */
type Kind = "container" | "network" | "volume" | "image" | "service" | "config";
const RESOURCE_KINDS: Record<string, Kind> = {
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
  kind: Kind;
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

/** Fields that change without anything the engine would see changing (health probes, timestamps, attachments). */
function stable(kind: Kind, object: Record<string, unknown>): unknown {
  const copy = structuredClone(object) as Record<string, any>;
  if (kind === "container") {
    delete copy.State?.Health;
    for (const k of ["StartedAt", "FinishedAt", "Pid"]) delete copy.State?.[k];
    delete copy.NetworkSettings?.SandboxKey;
  }
  if (kind === "network") delete copy.Containers;
  if (kind === "image") delete copy.Metadata;
  // A service's version and update status move with Swarm's own bookkeeping; its spec is what the engine sees.
  if (kind === "service") for (const k of ["Version", "UpdatedAt", "UpdateStatus"]) delete copy[k];
  return copy;
}

function inspect({ endpoint, kind, names }: ManagedObjects): Promise<string> {
  if (names.length === 0) return Promise.resolve("");
  return new Promise((resolve) => {
    // A missing object makes docker exit 1 but still print the others; the missing one is then simply absent.
    const child = spawn("docker", dockerArgs(endpoint, [kind, "inspect", ...[...new Set(names)].sort()]), {
      stdio: ["ignore", "pipe", "ignore"],
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.on("close", () => {
      clearTimeout(timer);
      resolve(out);
    });
    child.on("error", () => resolve(""));
  });
}

/** A digest of every Docker object the stack manages, as they are now; undefined when it manages none. */
export async function liveFingerprint(stack: Pick<SynthesizedStack, "dir">): Promise<string | undefined> {
  const objects = managedObjects(stack);
  if (!objects) return undefined;
  const outputs = await Promise.all(objects.map(inspect));
  const hash = createHash("sha256");
  objects.forEach(({ kind, endpoint }, i) => {
    let parsed: Record<string, unknown>[] = [];
    try {
      parsed = JSON.parse(outputs[i] || "[]") as Record<string, unknown>[];
    } catch {
      parsed = [];
    }
    hash.update(`${endpoint.host ?? ""} ${kind}:${JSON.stringify(parsed.map((o) => stable(kind, o)))}\n`);
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

/** A digest of a state's resources as the engine shows it (`show -json`, or a plan's `prior_state`). */
const stateDigest = (state: unknown): string =>
  createHash("sha256")
    .update(JSON.stringify(canonical((state as { values?: unknown } | undefined)?.values ?? null)))
    .digest("hex");

/** A digest of the state a plan started from. */
export const priorStateDigest = (plan: PlanJson): string => stateDigest((plan as { prior_state?: unknown }).prior_state);

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
export async function planKnowingState(stack: SynthesizedStack, options: PlanOptions): Promise<KnownPlan> {
  const recorded = recordedAgreement(stack);
  const live = await liveFingerprint(stack);
  if (recorded && live !== undefined && live === recorded.live) {
    const plan = await planStack(stack, { ...options, refresh: false });
    if (priorStateDigest(plan.json) === recorded.state) return { plan, refreshed: false };
  }
  const plan = await planStack(stack, options);
  // A refresh right after an apply reports "updates" that only swap an unset value for its zero value: not drift.
  const drifted = (plan.json.resource_drift ?? []).some(
    (d) => d.change.actions.includes("delete") || diffAttributes(d.change.before, d.change.after).length > 0,
  );
  recordAgreement(stack, live !== undefined && !drifted ? { live, state: priorStateDigest(plan.json) } : undefined);
  return { plan, refreshed: true };
}

/** After an apply, state and reality agree again (the provider read every object it created or changed). */
export async function recordAfterApply(stack: SynthesizedStack, env: NodeJS.ProcessEnv): Promise<void> {
  const live = await liveFingerprint(stack);
  if (live === undefined) return;
  const shown = await runEngine(stack.dir, ["show", "-json"], { env });
  recordAgreement(stack, shown.code === 0 ? { live, state: stateDigest(JSON.parse(shown.stdout)) } : undefined);
}
