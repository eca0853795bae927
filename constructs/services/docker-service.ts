import { createHash } from "node:crypto";
import { Construct } from "constructs";
import { dependable, TerraformLocal } from "cdktf";
import { Container, ContainerNetworksAdvanced, ContainerVolumes } from "@cdktf/provider-docker/lib/container";
import { Image } from "@cdktf/provider-docker/lib/image";
import { durationSeconds, goDuration, isOneShot, sizeInMiB } from "../model";
import type { ResolvedBuild, ResolvedService } from "../model";
import { addressByModelId } from "../core/addresses";
import { secretInput } from "../core/secret-input";
import { ImageSet, resolveImage } from "./images";
import { SchedulerContext, scheduledRuntime } from "./scheduled-job";
import { OWNER_LABEL } from "../core/labels";

/** A file placed into the container before it starts (config rendered from the model). */
export interface ConfigFile {
  path: string;
  content: string;
}

export interface DockerServiceProps {
  readonly service: ResolvedService;
  /** The network the service lives on; its hostname is its alias there. */
  readonly network: string;
  /** Docker volume names by model volume name. */
  readonly volumeNames: Readonly<Record<string, string>>;
  /** Which images to run. Default: production. */
  readonly imageSet?: ImageSet;
  /** Config files uploaded into the container; a change replaces the container. */
  readonly files?: readonly ConfigFile[];
  /**
   * For a built image: the sha256 of its context as synth read it (its change rebuilds the image), or undefined when
   * the context was absent, which makes every plan of the stack fail before anything changes.
   */
  readonly contextSha256?: string;
  /** For a scheduled job on production images: where its image gets supercronic added (see ScheduledJob). */
  readonly scheduler?: SchedulerContext;
}

/**
 * One container (and its image) from a resolved service: loopback-only ports unless the model says otherwise,
 * a graceful stop, and attributes written in the exact form kreuzwerker/docker 3.6.2 reads back, so a second
 * plan is empty. Addressed by the service's name: `docker_container.<name>`, `docker_image.<name>`. The secure
 * defaults every container shares are applied by the ContainerPolicy aspect.
 */
export class DockerService extends Construct {
  readonly container: Container;
  readonly image: Image;
  readonly service: ResolvedService;
  private readonly networks: ContainerNetworksAdvanced[];

  constructor(scope: Construct, id: string, props: DockerServiceProps) {
    super(scope, id);
    addressByModelId(this, props.service.name);
    this.service = props.service;
    const { spec, containerName } = props.service;
    const resolved = resolveImage(props.imageSet ?? "production", props.service);
    this.image = new Image(this, "image", { name: resolved.name, keepLocally: true, platform: props.service.platform });
    if (resolved.build) buildFromContext(this, this.image, resolved.name, resolved.build, props.service.platform, props.contextSha256);
    // A scheduled job: supercronic runs its crontab (and, on production images, is first added to its image).
    const scheduled = scheduledRuntime(this, props.service, resolved, this.image, props.scheduler);

    const secretEnv = spec.secretEnv.map(
      (secret) =>
        `${secret.name}=${secretInput(this, secret.from, `Secret for ${containerName}; deploy reads it from the environment variable ${secret.from}`).stringValue}`,
    );
    const env = Object.entries({ ...spec.env, ...resolved.env })
      .map(([k, v]) => `${k}=${v}`)
      .concat(secretEnv)
      .sort();

    const healthcheck = spec.healthcheck
      ? {
          test: resolved.healthcheckTest ?? spec.healthcheck.test,
          interval: goDuration(spec.healthcheck.interval),
          timeout: goDuration(spec.healthcheck.timeout),
          startPeriod: goDuration(spec.healthcheck.startPeriod),
          retries: spec.healthcheck.retries,
        }
      : undefined;
    const command =
      scheduled?.command ?? (resolved.command !== undefined ? (resolved.command.length > 0 ? resolved.command : undefined) : spec.command);
    const oneShot = isOneShot(spec);
    const memory = spec.memory ? sizeInMiB(spec.memory) : undefined;
    // Reached by its service name, as compose names it (its container name resolves on every network anyway).
    this.networks = [{ name: props.network, aliases: [props.service.name] }];

    this.container = new Container(this, "container", {
      name: containerName,
      image: scheduled?.imageId ?? this.image.imageId,
      hostname: spec.hostname,
      entrypoint: scheduled?.entrypoint,
      command,
      workingDir: spec.workingDir,
      stdinOpen: spec.interactive || undefined,
      tty: spec.interactive || undefined,
      env,
      user: spec.user,
      restart: spec.restart,
      // A one-shot job: the apply waits for it to exit, and an exit code other than 0 fails it (postcondition below);
      // its exited container is what a later plan reads back, so it does not run again until it changes.
      mustRun: !oneShot,
      attach: oneShot || undefined,
      securityOpts: spec.securityOpts,
      destroyGraceSeconds: spec.stopGraceSeconds,
      networksAdvanced: this.networks,
      ports: spec.ports.map((p) => ({ internal: p.container, external: p.host, ip: p.bind, protocol: p.protocol })),
      volumes: spec.volumes.flatMap((m): ContainerVolumes[] =>
        "volume" in m
          ? [{ volumeName: props.volumeNames[m.volume], containerPath: m.target, readOnly: m.readOnly }]
          : m.propagation
            ? []
            : [{ hostPath: m.hostPath, containerPath: m.target, readOnly: m.readOnly }],
      ),
      mounts: spec.volumes.flatMap((m) =>
        "hostPath" in m && m.propagation
          ? [{ type: "bind", source: m.hostPath, target: m.target, readOnly: m.readOnly, bindOptions: { propagation: m.propagation } }]
          : [],
      ),
      // The only GPU request kreuzwerker/docker 3.6.2 reads back unchanged; the Spark has a single GPU anyway.
      gpus: spec.gpu ? "all" : undefined,
      healthcheck,
      memory,
      memorySwap: memory,
      shmSize: spec.shmSize ? sizeInMiB(spec.shmSize) : undefined,
      readOnly: spec.readOnlyRootfs || undefined,
      capabilities: spec.capDrop.length > 0 ? { drop: [...spec.capDrop] } : undefined,
      upload: [...(props.files ?? []), ...(scheduled ? [scheduled.crontab] : [])].map((f) => ({ file: f.path, content: f.content })),
      labels: Object.entries({
        [OWNER_LABEL]: props.service.owner,
        "sparky.service": props.service.name,
        "sparky.role": spec.role,
        // The provider ignores healthcheck edits on existing containers; labels are ForceNew, so a hash of
        // the healthcheck makes an edit replace the container.
        "sparky.healthcheck-hash": hash(JSON.stringify(healthcheck ?? null)),
      }).map(([label, value]) => ({ label, value })),
    });
    if (oneShot)
      this.container.lifecycle = {
        postcondition: [
          {
            condition: "${self.exit_code == 0}",
            errorMessage: `job ${containerName} exited with \${self.exit_code}; its log says why (just deploy shows its last lines), and the next just deploy runs it again`,
          },
        ],
      };
  }

  /** Joins another network, where other containers reach it by its container name. */
  joinNetwork(name: string): void {
    this.networks.push({ name, aliases: [this.service.containerName] });
    this.container.putNetworksAdvanced(this.networks);
  }

  /** Start this service only after `other` reports healthy. */
  dependsOnHealthy(other: DockerService): void {
    other.waitUntilHealthy();
    this.dependsOnStarted(other);
  }

  /** Start this service only after `other` has started. */
  dependsOnStarted(other: DockerService): void {
    this.container.dependsOn = [...(this.container.dependsOn ?? []), dependable(other.container)];
  }

  /** Make `apply` wait on this container's healthcheck before anything that depends on it is created. */
  waitUntilHealthy(): void {
    const check = this.service.spec.healthcheck;
    const worstCase = check
      ? durationSeconds(check.startPeriod) + (durationSeconds(check.interval) + durationSeconds(check.timeout)) * check.retries
      : 0;
    this.container.wait = true;
    this.container.waitTimeout = Math.max(30, worstCase + 30);
  }
}

/**
 * Builds the image from the project's checkout for the platform, again whenever the context's content changes.
 * Without the context (absent at synth) a precondition stops every plan, naming the path and the config key.
 */
export function buildFromContext(
  scope: Construct,
  image: Image,
  tag: string,
  build: ResolvedBuild,
  platform: string,
  sha256: string | undefined,
): void {
  const { contextDir, dockerfile, args, sourceKey } = build;
  image.putBuildAttribute({ context: contextDir, dockerfile, buildArgs: args, tag: [tag], platform });
  image.triggers = { context_sha256: sha256 ?? "absent" };
  if (sha256 === undefined) {
    // A condition must refer to something in the configuration: the list of this image's absent contexts.
    const absent = new TerraformLocal(scope, "absent-build-context", [contextDir]);
    image.lifecycle = {
      precondition: [
        {
          condition: `\${length(local.${absent.friendlyUniqueId}) == 0}`,
          errorMessage:
            `The build context ${contextDir} (with ${dockerfile}) was absent when this stack was synthesized. ` +
            `Check the sources out there, or point ${sourceKey} at a checkout, then synthesize again.`,
        },
      ],
    };
  }
}

/**
 * Starts each service after the services it depends on, health-gated where the model says `healthy`. A one-shot job
 * is created once it has run and exited 0, so `completed` is a plain dependency on it.
 */
export function orderByDependencies(services: Readonly<Record<string, DockerService>>): void {
  for (const docker of Object.values(services))
    for (const dep of docker.service.spec.dependsOn) {
      const other = services[dep.service];
      if (dep.condition === "healthy") docker.dependsOnHealthy(other);
      else docker.dependsOnStarted(other);
    }
}

const hash = (text: string) => createHash("sha256").update(text).digest("hex").slice(0, 16);
