// Adopting Docker objects that a stack declares but its state does not hold: what an interrupted apply left behind
// (labelled with the stack's owner: always adopted), or what another tool created under the same names, e.g. the
// reference's compose deployment (adopted only when asked: `--adopt`). Adoption is OpenTofu `import` blocks in a file
// next to the stack's config, read by the next plan: containers are then replaced by the stack's own, networks and
// volumes kept as they are, data included.
import * as fs from "node:fs";
import * as path from "node:path";
import { OWNER_LABEL } from "../../constructs/core/labels";
import { dockerOn, DockerEndpoint, stackEndpoint } from "../engine/docker";
import { ensureInitialized, runEngine, SynthesizedStack } from "../engine/stacks";
import { readStackConfig } from "../engine/variables";

/** The import blocks of one plan, beside cdk.tf.json (the engine reads every *.tf.json of the stack directory). */
export const ADOPT_FILE = "sparky-adopt.tf.json";

const KINDS = {
  docker_container: "container",
  docker_network: "network",
  docker_volume: "volume",
  docker_service: "service",
  docker_config: "config",
} as const;
type Kind = (typeof KINDS)[keyof typeof KINDS];

/** A Docker object named as one of the stack's resources, which the stack's state does not hold. */
export interface UnmanagedObject {
  address: string;
  kind: Kind;
  name: string;
  /** What `import` takes: the container's or network's id, the volume's name. */
  id: string;
  /** Labelled with the stack's owner: the stack created it and lost track of it. */
  owned: boolean;
  /** Who made it otherwise, e.g. `compose project docker, service comfyui`. */
  origin: string;
}

interface Inspected {
  Id?: string;
  Name: string;
  Config?: { Labels?: Record<string, string> | null };
  Labels?: Record<string, string> | null;
}

/** Swarm objects (services, configs) say ID and keep their name and labels in their spec. */
interface InspectedSwarmObject {
  ID?: string;
  Spec?: { Name?: string; Labels?: Record<string, string> | null };
}

const labelsOf = (o: Inspected) => (o.Config ? o.Config.Labels : o.Labels) ?? {};

function origin(labels: Record<string, string>): string {
  const project = labels["com.docker.compose.project"];
  if (project) {
    const part = labels["com.docker.compose.service"] ?? labels["com.docker.compose.network"] ?? labels["com.docker.compose.volume"];
    return `compose project ${project}${part ? `, ${part}` : ""}`;
  }
  if (labels[OWNER_LABEL]) return `sparky-infra owner ${labels[OWNER_LABEL]}`;
  return "created outside sparky-infra";
}

/** `docker inspect` of every named object of one kind that exists (missing ones are simply absent). */
function inspectAll(endpoint: DockerEndpoint, kind: Kind, names: string[]): Inspected[] {
  if (names.length === 0) return [];
  const r = dockerOn(endpoint, [kind, "inspect", ...names], 60_000);
  const text = r.stdout.trim();
  if (!text.startsWith("[")) {
    if (names.every((n) => r.stderr.includes(n))) return []; // none exists
    throw new Error(`docker ${kind} inspect failed: ${r.stderr.trim() || r.error?.message}`);
  }
  return (JSON.parse(text) as (Inspected & InspectedSwarmObject)[]).map((o) =>
    o.Spec ? { Id: o.ID, Name: o.Spec.Name ?? "", Labels: o.Spec.Labels } : { ...o, Name: o.Name.replace(/^\//, "") },
  );
}

/** Addresses the stack's state holds (`state list`; empty before the first apply). */
async function stateAddresses(stack: SynthesizedStack, env: NodeJS.ProcessEnv): Promise<Set<string>> {
  await ensureInitialized(stack.dir, { env });
  const r = await runEngine(stack.dir, ["state", "list"], { env, timeoutMs: 120_000 });
  if (r.code !== 0) {
    if (/No state file was found|does not exist/i.test(r.stderr)) return new Set();
    throw new Error(`state list failed for ${stack.name}:\n${r.stderr}`);
  }
  return new Set(
    r.stdout
      .split("\n")
      .map((l) => l.trim())
      .filter(Boolean),
  );
}

/** Every object the stack declares (by name) that exists on its engine but not in its state. */
export async function findUnmanaged(stack: SynthesizedStack, env: NodeJS.ProcessEnv): Promise<UnmanagedObject[]> {
  const config = readStackConfig(stack.dir).resource ?? {};
  const declared = Object.entries(KINDS).flatMap(([type, kind]) =>
    Object.entries(config[type] ?? {}).map(([key, r]) => ({
      address: `${type}.${key}`,
      kind,
      name: r.name as string,
      provider: r.provider,
      owner: ((r.labels ?? []) as { label: string; value: string }[]).find((l) => l.label === OWNER_LABEL)?.value,
    })),
  );
  if (declared.length === 0) return [];
  const managed = await stateAddresses(stack, env);
  const missing = declared.filter((d) => !managed.has(d.address) && typeof d.name === "string");
  // Each object is looked up on the engine its resource's provider reaches (a cluster's volumes are per node).
  const where = (m: (typeof missing)[number]) => `${String(m.provider ?? "docker")} ${m.kind}`;
  const found = new Map<string, Inspected>();
  for (const group of new Set(missing.map(where))) {
    const members = missing.filter((m) => where(m) === group);
    for (const o of inspectAll(
      stackEndpoint(stack, members[0].provider),
      members[0].kind,
      members.map((m) => m.name),
    ))
      found.set(`${group}/${o.Name}`, o);
  }
  return missing.flatMap((m) => {
    const o = found.get(`${where(m)}/${m.name}`);
    if (!o) return [];
    const labels = labelsOf(o);
    return [
      {
        address: m.address,
        kind: m.kind,
        name: m.name,
        id: m.kind === "volume" ? o.Name : (o.Id as string),
        // A config's name is a digest of its content (SwarmService): one by that name holds exactly what the stack
        // would create. Configs carry no labels in kreuzwerker/docker 3.6.2.
        owned: m.kind === "config" || (m.owner !== undefined && labels[OWNER_LABEL] === m.owner),
        origin: origin(labels),
      },
    ];
  });
}

/** Writes the import blocks for the objects (none: removes the file). */
export function writeImports(stack: Pick<SynthesizedStack, "dir">, objects: readonly UnmanagedObject[]): void {
  const file = path.join(stack.dir, ADOPT_FILE);
  if (objects.length === 0) {
    fs.rmSync(file, { force: true });
    return;
  }
  fs.writeFileSync(file, JSON.stringify({ import: objects.map((o) => ({ to: o.address, id: o.id })) }, null, 2) + "\n");
}

export const removeImports = (stack: Pick<SynthesizedStack, "dir">) => fs.rmSync(path.join(stack.dir, ADOPT_FILE), { force: true });

/** One line per object for the person at the terminal. */
export function describeObjects(stack: string, objects: readonly UnmanagedObject[]): string[] {
  return objects.map(
    (o) =>
      `  ${stack}: ${o.kind} ${o.name} (${o.origin}) → ${o.address}` +
      (o.kind === "container"
        ? ", replaced by the stack's own"
        : o.kind === "service"
          ? ", updated to the stack's spec"
          : ", kept as it is with its data"),
  );
}
