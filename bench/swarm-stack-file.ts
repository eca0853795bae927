// The `docker stack deploy` file equivalent to a cluster's stacks (its observability set and every placed project),
// the swarm benchmark's baseline. It starts from each project's single-host compose file (support/compose-file.ts:
// images, env, healthchecks, volumes) and adds what a swarm service has from the model: placement constraints and
// mode, overlay networks with the service's alias, secrets as Docker secrets read through `_FILE`, the observability
// files as Docker configs, memory limits, restart policy, DNS round robin and host-mode published ports.
// Left out, so the baseline only does less: the loopback proxy of the ports bound to 127.0.0.1 (a plain container,
// which a stack file cannot hold) and the start order (`docker stack deploy` ignores depends_on, so a one-shot job
// restarts on failure until what it needs is up, where sparky-infra starts it after its dependencies are healthy).
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse, stringify } from "yaml";
import { constraintExpression, goDuration, isOneShot, isScheduled, restartOf, sizeInMiB } from "../constructs/model";
import type { PlacedProject, ResolvedHost, ResolvedService } from "../constructs/model";
import { secretFilePath } from "../constructs/model/cluster";
import { observabilityFiles } from "../constructs/observability/config-files";
import { JOB_LABEL } from "../constructs/core/labels";
import { RESTART_CONDITION } from "../constructs/swarm/swarm-service";
import { secretFileEnv } from "../constructs/swarm/swarm-files";
import { composeFileFor } from "../support/compose-file";

/** Short, as Swarm wants a config's name (at most 64 characters, the stack's prefix included). */
const configKey = (service: ResolvedService, file: string) =>
  `${service.containerName}-${createHash("sha256").update(file).digest("hex").slice(0, 12)}`;
const secretKey = (service: ResolvedService, name: string) => `${service.containerName}-${name.toLowerCase().replace(/_/g, "-")}`;

/** Every `$` doubled: `docker stack deploy` interpolates variables in the file, the model's values are literal. */
const literal = (value: unknown): unknown =>
  typeof value === "string"
    ? value.replace(/\$/g, () => "$$")
    : Array.isArray(value)
      ? value.map(literal)
      : value && typeof value === "object"
        ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, literal(v)]))
        : value;

/** Compose keys `docker stack deploy` ignores or refuses, replaced by their `deploy` form. */
const SINGLE_HOST_ONLY = ["container_name", "restart", "depends_on", "security_opt", "ports", "volumes", "networks"];

/**
 * Writes the stack file and the files it reads (configs, dummy secrets) into `dir`; returns the stack file's path and
 * the names of its services as `docker stack deploy` names them (`<stack>_<service>`).
 */
export function writeStackFile(cluster: ResolvedHost, dir: string, stack: string): { file: string; services: string[] } {
  fs.mkdirSync(dir, { recursive: true });
  const obs = cluster.observability;
  // The observability set as a project of its own, so its services go through the same single-host rendering.
  const obsProject = { project: { id: obs.owner }, network: obs.network, services: obs.services, volumes: obs.volumes } as PlacedProject;
  const files = observabilityFiles(cluster);
  const services: Record<string, unknown> = {};
  const volumes: Record<string, unknown> = {};
  const configs: Record<string, unknown> = {};
  const secrets: Record<string, unknown> = {};
  const networks: Record<string, unknown> = {};
  for (const placed of [obsProject, ...cluster.projects]) {
    const single = parse(composeFileFor(placed, obs));
    Object.assign(volumes, single.volumes);
    networks[placed.network.name] = overlay(placed.network);
    for (const [name, service] of Object.entries(placed.services)) {
      const base = Object.fromEntries(Object.entries(single.services[name]).filter(([k]) => !SINGLE_HOST_ONLY.includes(k)));
      for (const f of files[name] ?? []) {
        const key = configKey(service, f.path);
        const source = path.join(dir, key);
        fs.writeFileSync(source, f.content);
        configs[key] = { file: source };
      }
      for (const s of service.spec.secretEnv) {
        const key = secretKey(service, s.name);
        const source = path.join(dir, key);
        fs.writeFileSync(source, `bench-${s.from.toLowerCase()}`, { mode: 0o600 });
        secrets[key] = { file: source };
      }
      services[service.containerName] = stackService(service, base, placed, obs.network.name, files[name] ?? []);
    }
  }
  const file = path.join(dir, "stack.yml");
  fs.writeFileSync(file, stringify({ version: "3.9", services: literal(services), volumes, networks, configs, secrets }));
  return { file, services: Object.keys(services).map((s) => `${stack}_${s}`) };
}

/** An overlay network as sparky-infra makes it (see ownedNetwork): attachable, with the model's fixed range. */
const overlay = (spec: { name: string; subnet?: string }) => ({
  name: spec.name,
  driver: "overlay",
  attachable: true,
  ...(spec.subnet ? { ipam: { config: [{ subnet: spec.subnet }] } } : {}),
});

function stackService(
  service: ResolvedService,
  base: Record<string, unknown>,
  placed: PlacedProject,
  observabilityNetwork: string,
  files: readonly { path: string }[],
): Record<string, unknown> {
  const { spec, containerName, placement } = service;
  if (!placement) throw new Error(`${containerName}: no placement (resolve the model for a cluster target)`);
  if (isScheduled(spec)) throw new Error(`${containerName}: scheduled jobs (supercronic) are not in the stack-file baseline`);
  const oneShot = isOneShot(spec);
  const { environment, ...rest } = base as { environment?: Record<string, string> };
  const secretNames = new Set(spec.secretEnv.map((s) => s.name));
  const env = Object.fromEntries(Object.entries(environment ?? {}).filter(([k]) => !secretNames.has(k)));
  const onObservability = !!spec.metrics || placed.network.name === observabilityNetwork;
  return {
    ...rest,
    ...(placement.mode === "global" ? { hostname: "{{.Node.Hostname}}" } : {}),
    environment: { ...env, ...secretFileEnv(service) },
    ...(spec.user ? { user: spec.user } : {}),
    ...(spec.workingDir ? { working_dir: spec.workingDir } : {}),
    ...(spec.readOnlyRootfs ? { read_only: true } : {}),
    ...(spec.capDrop.length > 0 ? { cap_drop: [...spec.capDrop] } : {}),
    stop_grace_period: goDuration(`${spec.stopGraceSeconds}s`),
    networks: {
      [placed.network.name]: { aliases: [service.name] },
      ...(onObservability && placed.network.name !== observabilityNetwork ? { [observabilityNetwork]: {} } : {}),
    },
    ports: spec.ports
      .filter((p) => !p.bind.startsWith("127."))
      .map((p) => ({ target: p.container, published: p.host, protocol: p.protocol, mode: "host" })),
    volumes: [
      ...spec.volumes.map((m) =>
        "volume" in m
          ? { type: "volume", source: placed.volumes[m.volume].dockerName, target: m.target, read_only: m.readOnly }
          : {
              type: "bind",
              source: m.hostPath,
              target: m.target,
              read_only: m.readOnly,
              ...(m.propagation ? { bind: { propagation: m.propagation } } : {}),
            },
      ),
      ...(spec.shmSize ? [{ type: "tmpfs", target: "/dev/shm" }] : []),
    ],
    configs: files.map((f) => ({ source: configKey(service, f.path), target: f.path })),
    secrets: spec.secretEnv.map((s) => ({
      source: secretKey(service, s.name),
      target: path.basename(secretFilePath(s.name)),
    })),
    deploy: {
      mode: placement.mode,
      ...(placement.mode === "replicated" ? { replicas: placement.replicas } : {}),
      endpoint_mode: "dnsrr",
      ...(oneShot ? { labels: { [JOB_LABEL.label]: JOB_LABEL.value } } : {}),
      placement: { constraints: placement.constraints.map(constraintExpression) },
      // A one-shot job retries until its dependencies answer: the stack file has no start order.
      restart_policy: { condition: oneShot ? "on-failure" : RESTART_CONDITION[restartOf(spec)], delay: "5s" },
      ...(spec.memory
        ? {
            resources: {
              limits: { memory: `${sizeInMiB(spec.memory)}M` },
              ...(placement.reserveMiB ? { reservations: { memory: `${placement.reserveMiB}M` } } : {}),
            },
          }
        : {}),
    },
  };
}
