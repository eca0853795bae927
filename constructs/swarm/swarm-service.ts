import { Construct } from "constructs";
import { dependable, ITerraformDependable, TerraformProvider } from "cdktf";
import { Image } from "@cdktf/provider-docker/lib/image";
import { Service, ServiceTaskSpecContainerSpecMounts } from "@cdktf/provider-docker/lib/service";
import {
  constraintExpression,
  durationSeconds,
  goDuration,
  isOneShot,
  isScheduled,
  restartOf,
  schedulerImageTag,
  sizeInMiB,
} from "../model";
import type { ClusterNode, HealthcheckSpec, ResolvedService } from "../model";
import { addressByModelId } from "../core/addresses";
import { buildFromContext, ConfigFile } from "../services/docker-service";
import { ImageSet, resolveImage } from "../services/images";
import { ScheduledRuntime, SchedulerContext, scheduledRuntime } from "../services/scheduled-job";
import { JOB_LABEL, OWNER_LABEL } from "../core/labels";
import { secretFileEnv, swarmConfigs, swarmSecrets } from "./swarm-files";

/** The stack's way to each node's engine. */
export interface NodeEngines {
  nodes: readonly ClusterNode[];
  /** The provider that reaches the node's engine; undefined: the stack's default provider (the manager's). */
  providerOf(host: string): TerraformProvider | undefined;
}

export interface SwarmServiceProps {
  readonly service: ResolvedService;
  readonly engines: NodeEngines;
  /** The network the service lives on (by id: kreuzwerker#648); its name is its alias there. */
  readonly networkId: string;
  readonly imageSet?: ImageSet;
  /** Files rendered from the model, mounted as Docker configs. */
  readonly files?: readonly ConfigFile[];
  /** For a built image: the sha256 of its context as synth read it (see DockerService). */
  readonly contextSha256?: string;
  /** The scheduler build context, for a scheduled job on production images (see scheduledRuntime). */
  readonly scheduler?: SchedulerContext;
}

/**
 * A duration as docker_service reads it back (Go's form with a trailing zero unit cut: "1m", "1m30s", "1h"), so a
 * second plan is empty.
 */
export const swarmDuration = (value: string): string => goDuration(value).replace(/m0s$/, "m").replace(/h0m$/, "h");

/** What the deploy waits for after creating or updating a replicated service: every task healthy, or this long. */
export function convergeSeconds(check: HealthcheckSpec | undefined): number {
  const worst = check
    ? durationSeconds(check.startPeriod) + (durationSeconds(check.interval) + durationSeconds(check.timeout)) * (check.retries + 1)
    : 0;
  return Math.max(180, worst + 60);
}

/** Empty lists and maps left out: docker_service reads an empty one back as absent. */
function nonEmpty<T>(value: T[]): T[] | undefined;
function nonEmpty<T>(value: Record<string, T>): Record<string, T> | undefined;
function nonEmpty(value: unknown[] | Record<string, unknown>) {
  return (Array.isArray(value) ? value.length : Object.keys(value).length) > 0 ? value : undefined;
}

/** The model's restart policy as Swarm's restart condition (Swarm has no "unless-stopped": a removed service stays removed). */
export const RESTART_CONDITION = { no: "none", "on-failure": "on-failure", always: "any", "unless-stopped": "any" } as const;

/**
 * One swarm service (`docker_service.<name>`) from a resolved service and its placement: its image on every node it may
 * run on (`docker_image.<name>_<host>`, built or pulled there: workers cannot pull from the manager), its secrets and
 * configs as files, every attribute in the form kreuzwerker/docker 3.6.2 reads back. A replicated service is created
 * once its tasks are healthy (Swarm reports a task running only then), so dependents start after it.
 */
export class SwarmService extends Construct {
  readonly resource: Service;
  readonly service: ResolvedService;
  readonly images: Record<string, Image> = {};
  private readonly networks: { name: string; aliases?: string[] }[];

  constructor(scope: Construct, id: string, props: SwarmServiceProps) {
    super(scope, id);
    addressByModelId(this, props.service.name);
    this.service = props.service;
    const { spec, containerName, placement } = props.service;
    if (!placement) throw new Error(`${containerName}: a swarm service needs its placement (resolve it for a cluster target)`);
    const imageSet = props.imageSet ?? "production";
    const resolved = resolveImage(imageSet, props.service);
    // A scheduled job: supercronic runs its crontab, one long-running task (3.6.2 has no swarm job mode); on
    // production images supercronic is added to the job's image on every node it may run on.
    let scheduled: ScheduledRuntime | undefined;
    const runImages: Record<string, string> = {};

    for (const host of placement.nodes) {
      const node = props.engines.nodes.find((n) => n.host === host)!;
      const holder = new Construct(this, `image-${host}`);
      addressByModelId(holder, `${props.service.name}_${host}`);
      const platform = `linux/${node.spec.arch}`;
      const image = new Image(holder, "image", {
        name: resolved.name,
        keepLocally: true,
        platform,
        provider: props.engines.providerOf(host),
      });
      if (resolved.build) buildFromContext(holder, image, resolved.name, resolved.build, platform, props.contextSha256);
      this.images[host] = image;
      scheduled = scheduledRuntime(holder, props.service, resolved, image, props.scheduler, {
        host,
        platform,
        provider: props.engines.providerOf(host),
      });
      runImages[host] = scheduled?.imageId ?? image.imageId;
    }
    // A pulled image by its digest (what each node pulled for the tag); the daemon would otherwise pin the tag to a
    // digest on create and every later plan would undo that. A built or local image has no digest: its tag, with each
    // node's image id in a label, so a rebuild rolls the service.
    const first = this.images[placement.nodes[0]];
    const addsScheduler = isScheduled(spec) && resolved.addScheduler === true;
    const byDigest = imageSet === "production" && "ref" in spec.image && first !== undefined && !addsScheduler;
    const imageIds = byDigest ? {} : Object.fromEntries(Object.entries(runImages).map(([host, id]) => [`sparky.image.${host}`, id]));

    const secrets = swarmSecrets(this, props.service);
    const configs = swarmConfigs(this, props.service, [...(props.files ?? []), ...(scheduled ? [scheduled.crontab] : [])]);
    const command =
      scheduled?.command ?? (resolved.command !== undefined ? (resolved.command.length > 0 ? resolved.command : undefined) : spec.command);
    const check = spec.healthcheck;
    // After a task of an update is healthy, one more check proves it stays so before the next task goes.
    const monitor = swarmDuration(`${check ? Math.max(5, durationSeconds(check.interval) + durationSeconds(check.timeout)) : 5}s`);
    const published = spec.ports.filter((p) => !p.bind.startsWith("127."));
    this.networks = [{ name: props.networkId, aliases: [props.service.name] }];
    const rollout = { parallelism: 1, delay: "0s", monitor, maxFailureRatio: "0.0", order: "stop-first" };
    // A one-shot job (3.6.2 has no swarm job mode): one task that is never restarted, whose run the deploy awaits
    // after the apply (the provider can only converge on running tasks).
    const oneShot = isOneShot(spec);

    this.resource = new Service(this, "service", {
      name: containerName,
      labels: this.labels(oneShot ? { [JOB_LABEL.label]: JOB_LABEL.value } : {}),
      taskSpec: {
        containerSpec: {
          image: byDigest ? first.repoDigest : addsScheduler ? schedulerImageTag(props.service.owner, props.service.name) : resolved.name,
          // Swarm's `command` is the entrypoint: supercronic for a scheduled job, else the image's.
          command: scheduled?.entrypoint,
          labels: this.labels(imageIds),
          // Swarm's `command` replaces the image's entrypoint; the model's command is compose's (the image's CMD).
          args: command,
          // A per-node exporter reports its node's name (node-exporter's nodename, the DCGM exporter's Hostname).
          hostname: placement.mode === "global" ? "{{.Node.Hostname}}" : spec.hostname,
          env: nonEmpty({ ...spec.env, ...resolved.env, ...secretFileEnv(props.service) }),
          dir: spec.workingDir,
          user: spec.user,
          readOnly: spec.readOnlyRootfs || undefined,
          capDrop: spec.capDrop.length > 0 ? [...spec.capDrop] : undefined,
          mounts: this.mounts(),
          stopGracePeriod: swarmDuration(`${spec.stopGraceSeconds}s`),
          healthcheck: check
            ? {
                test: resolved.healthcheckTest ?? check.test,
                interval: swarmDuration(check.interval),
                timeout: swarmDuration(check.timeout),
                startPeriod: swarmDuration(check.startPeriod),
                retries: check.retries,
              }
            : undefined,
          secrets: nonEmpty(secrets.map((s) => ({ secretId: s.id, secretName: s.name, fileName: s.fileName }))),
          configs: nonEmpty(configs.map((c) => ({ configId: c.id, configName: c.name, fileName: c.fileName }))),
        },
        resources: spec.memory
          ? {
              limits: { memoryBytes: sizeInMiB(spec.memory) * 1024 * 1024 },
              reservation: placement.reserveMiB ? { memoryBytes: placement.reserveMiB * 1024 * 1024 } : undefined,
            }
          : undefined,
        restartPolicy: { condition: RESTART_CONDITION[restartOf(spec)], delay: "5s", maxAttempts: 0, window: "0s" },
        placement:
          placement.constraints.length > 0
            ? {
                constraints: placement.constraints.map(constraintExpression),
                // A port published on the node itself fits one task per node.
                maxReplicas: published.length > 0 ? 1 : undefined,
              }
            : undefined,
        networksAdvanced: this.networks,
      },
      mode: placement.mode === "global" ? { global: true } : { replicated: { replicas: placement.replicas } },
      updateConfig: { ...rollout, failureAction: "rollback" },
      rollbackConfig: { ...rollout, failureAction: "pause" },
      endpointSpec: {
        // DNS round robin: the name resolves to the running tasks, with no IPVS virtual IP and no ingress mesh opening
        // ports on every node; published ports bind only where the task runs.
        mode: "dnsrr",
        ports: nonEmpty(
          published.map((p) => ({ targetPort: p.container, publishedPort: p.host, publishMode: "host", protocol: p.protocol })),
        ),
      },
      // kreuzwerker/docker 3.6.2 cannot converge a global service (it counts replicas).
      convergeConfig:
        placement.mode === "replicated" && !oneShot ? { delay: "2s", timeout: swarmDuration(`${convergeSeconds(check)}s`) } : undefined,
    });
  }

  private labels(extra: Record<string, string>): { label: string; value: string }[] {
    const { owner, name, spec } = this.service;
    return Object.entries({ [OWNER_LABEL]: owner, "sparky.service": name, "sparky.role": spec.role, ...extra }).map(([label, value]) => ({
      label,
      value,
    }));
  }

  private mounts(): ServiceTaskSpecContainerSpecMounts[] {
    const { spec, owner } = this.service;
    // read_only stated even when false: the state a create writes keeps a set element as planned, and the next refresh
    // reads false; a null would show as a change nobody made.
    const mounts: ServiceTaskSpecContainerSpecMounts[] = spec.volumes.map((m) =>
      "volume" in m
        ? { type: "volume", target: m.target, source: `${owner}-${m.volume}`, readOnly: m.readOnly }
        : {
            type: "bind",
            target: m.target,
            source: m.hostPath,
            readOnly: m.readOnly,
            bindOptions: m.propagation ? { propagation: m.propagation } : undefined,
          },
    );
    // The shared memory ML frameworks need, as a tmpfs the memory limit bounds: a size would crash the provider
    // (tmpfs_options.size_bytes is read as int64 in 3.6.2, kreuzwerker#563), so the kernel's default applies.
    if (spec.shmSize) mounts.push({ type: "tmpfs", target: "/dev/shm", readOnly: false });
    return mounts;
  }

  /**
   * Joins a network another stack owns, by name: its id is not known here, and kreuzwerker/docker 3.6.2 reads every
   * network back as an id (kreuzwerker#648), so the attachments are fixed at creation. The network the service lives
   * on replaces it when it is replaced itself (see SwarmProjectServices).
   */
  joinNetwork(name: string): void {
    this.networks.push({ name });
    this.resource.taskSpec.putNetworksAdvanced(this.networks);
    this.resource.lifecycle = { ...this.resource.lifecycle, ignoreChanges: ["task_spec[0].networks_advanced"] };
  }

  /** Starts after `other` exists (and, for a replicated service, is healthy: it converges before it counts as created). */
  dependsOn(other: SwarmService | ITerraformDependable): void {
    const target = other instanceof SwarmService ? other.resource : other;
    this.resource.dependsOn = [...(this.resource.dependsOn ?? []), dependable(target)];
  }
}

/** Starts each service after the services it depends on; a replicated dependency is healthy by then (see SwarmService). */
export function orderSwarmServices(services: Readonly<Record<string, SwarmService>>): void {
  for (const s of Object.values(services)) for (const dep of s.service.spec.dependsOn) s.dependsOn(services[dep.service]);
}
