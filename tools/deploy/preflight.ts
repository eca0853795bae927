// What a deploy (or diff) checks on the engines before any change: the build contexts are there, no existing network
// holds a range one of ours needs, and every object named like one of ours is either the stack's own (adopted) or
// adopted on request. After planning, before applying: no volume that holds data is destroyed.
import { subnetsOverlap } from "../../constructs/model/checks/hosts";
import type { ResolvedSystem } from "../../constructs/model";
import { describeObjects, findUnmanaged, UnmanagedObject, writeImports } from "../adopt/docker";
import { InputError } from "../engine/args";
import { nodeLabelProblems } from "../engine/cluster";
import { dockerOn, stackEndpoint } from "../engine/docker";
import { allNetworks } from "../engine/docker-api";
import { forEachBounded, PlanJson, SynthesizedStack } from "../engine/stacks";
import { readStackConfig } from "../engine/variables";

export const isDockerStack = (stack: SynthesizedStack) => readStackConfig(stack.dir).provider?.docker !== undefined;

/** The config key that moves each of the system's fixed networks, by network name. */
function subnetKeys(system: ResolvedSystem): Map<string, string> {
  const keys = new Map<string, string>();
  for (const host of system.hosts) {
    keys.set(host.observability.network.name, `hosts.${host.name}.observabilityNetwork.subnet`);
    for (const p of host.projects) keys.set(p.network.name, `projects.${p.project.id}.network.subnet`);
  }
  return keys;
}

interface EngineNetwork {
  Name: string;
  IPAM?: { Config?: { Subnet?: string }[] | null };
}

/** Networks already on an engine whose ranges overlap one a stack creates under another name. */
export async function subnetCollisions(stack: SynthesizedStack, system: ResolvedSystem | undefined): Promise<string[]> {
  const declared = Object.values(readStackConfig(stack.dir).resource?.docker_network ?? {}).flatMap((n) =>
    ((n.ipam_config ?? []) as { subnet?: string }[]).flatMap((c) => (c.subnet ? [{ name: n.name as string, subnet: c.subnet }] : [])),
  );
  if (declared.length === 0) return [];
  const networks = await allNetworks(stackEndpoint(stack)).catch((e: Error) => {
    throw new InputError(`${stack.name}: cannot list the networks of its Docker engine: ${e.message}`);
  });
  const existing = (networks as unknown as EngineNetwork[]).flatMap((n) =>
    (n.IPAM?.Config ?? []).flatMap((c) => (c.Subnet && c.Subnet.includes(".") ? [{ name: n.Name, subnet: c.Subnet }] : [])),
  );
  const keys = system ? subnetKeys(system) : new Map<string, string>();
  return declared.flatMap((ours) =>
    existing
      .filter((e) => e.name !== ours.name && subnetsOverlap(e.subnet, ours.subnet))
      .map(
        (e) =>
          `  ${stack.name}: network ${ours.name} needs ${ours.subnet}, but the engine's network ${e.name} holds ${e.subnet}; ` +
          `move ours with ${keys.get(ours.name) ?? "its subnet"} (or remove ${e.name})`,
      ),
  );
}

/**
 * Before any plan: refuses overlapping networks, then writes the import blocks that adopt what the stacks lost track
 * of (and, with `adopt`, what another tool made under their names). Returns what is being adopted.
 */
export async function preflight(
  selected: readonly SynthesizedStack[],
  options: { env: NodeJS.ProcessEnv; system?: ResolvedSystem; adopt: boolean; note: (line: string) => void },
): Promise<UnmanagedObject[]> {
  const docker = selected.filter(isDockerStack);
  const cluster = options.system?.hosts.find((h) => h.cluster)?.cluster;
  if (cluster && docker.length > 0) {
    const unready = nodeLabelProblems(cluster, options.system!.targetName);
    if (unready.length > 0)
      throw new InputError([`the nodes of cluster ${cluster.name} are not ready; nothing was planned or changed:`, ...unready].join("\n"));
  }
  const collisions = (await Promise.all(docker.map((s) => subnetCollisions(s, options.system)))).flat();
  if (collisions.length > 0)
    throw new InputError(["address ranges collide on the Docker engine; nothing was planned or changed:", ...collisions].join("\n"));
  const found = await forEachBounded(docker, 4, (s) => findUnmanaged(s, options.env));
  const failed = found.flatMap((r) => (r.status === "rejected" ? [String(r.reason instanceof Error ? r.reason.message : r.reason)] : []));
  if (failed.length > 0) throw new InputError(failed.join("\n"));
  const byStack = docker.map((s, i) => ({ stack: s, objects: (found[i] as PromiseFulfilledResult<UnmanagedObject[]>).value }));
  const foreign = byStack.flatMap(({ stack, objects }) =>
    describeObjects(
      stack.name,
      objects.filter((o) => !o.owned),
    ),
  );
  if (foreign.length > 0 && !options.adopt)
    throw new InputError(
      [
        "objects named like the stacks' own exist on the engine, made by something else; nothing was planned or changed:",
        ...foreign,
        "Take them over with --adopt (e.g. `just deploy dgx '' --adopt`): containers are replaced, networks and volumes kept with their data.",
      ].join("\n"),
    );
  const adopted: UnmanagedObject[] = [];
  for (const { stack, objects } of byStack) {
    writeImports(stack, objects);
    if (objects.length > 0) options.note(`adopting, for ${stack.name}:\n${describeObjects(stack.name, objects).join("\n")}`);
    adopted.push(...objects);
  }
  return adopted;
}

/** Sizes of the engine's volumes that hold data, by name (`docker system df -v`); `provider`: a cluster node's. */
function volumeSizes(stack: SynthesizedStack, provider?: unknown): Map<string, string> {
  const r = dockerOn(stackEndpoint(stack, provider), ["system", "df", "-v"], 120_000);
  const sizes = new Map<string, string>();
  const lines = r.stdout.split("\n");
  const start = lines.findIndex((l) => /^VOLUME NAME\s+LINKS\s+SIZE/.test(l));
  for (const line of start < 0 ? [] : lines.slice(start + 1)) {
    if (!line.trim()) break;
    const [name, , size] = line.trim().split(/\s+/);
    if (size && !/^0(\.0+)?B$/.test(size)) sizes.set(name, size);
  }
  return sizes;
}

/** Every volume a plan would destroy (delete or replace) while it holds data: the deploy refuses before applying. */
export function volumesAtRisk(stack: SynthesizedStack, plan: PlanJson): string[] {
  const doomed = (plan.resource_changes ?? []).filter((c) => c.type === "docker_volume" && c.change.actions.includes("delete"));
  if (doomed.length === 0) return [];
  const declared = readStackConfig(stack.dir).resource?.docker_volume ?? {};
  const sizes = new Map<string, Map<string, string>>();
  const sizesOn = (provider: unknown) => {
    const key = String(provider ?? "");
    if (!sizes.has(key)) sizes.set(key, volumeSizes(stack, provider));
    return sizes.get(key)!;
  };
  return doomed.flatMap((c) => {
    const name = (c.change.before as { name?: string } | null)?.name ?? c.name;
    const size = sizesOn(declared[c.name]?.provider).get(name);
    if (!size) return [];
    const why = (c.change.replace_paths ?? []).map((p) => p.join(".")).join(", ");
    return [
      `  ${stack.name}: ${c.address} (volume ${name}, ${size}) would be ${c.change.actions.includes("create") ? `replaced (${why || "forced"})` : "destroyed"}`,
    ];
  });
}
