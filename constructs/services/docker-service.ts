import { createHash } from "node:crypto";
import { Construct } from "constructs";
import { dependable, TerraformStack, TerraformVariable } from "cdktf";
import { Container, ContainerConfig, ContainerVolumes } from "@cdktf/provider-docker/lib/container";
import { Image } from "@cdktf/provider-docker/lib/image";
import { goDuration, sizeInMiB, durationSeconds } from "../model";
import type { ServiceSpec } from "../model";
import { ImageSet, resolveImage } from "./images";

/** A file placed into the container before it starts (config rendered from the model). */
export interface ConfigFile {
  path: string;
  content: string;
}

export interface DockerServiceProps {
  /** Project (or host set) the service belongs to; prefixes the container name. */
  readonly owner: string;
  /** Service name in the model. */
  readonly name: string;
  readonly spec: ServiceSpec;
  /** Networks to join; the service name is its alias on the first one. */
  readonly networks: readonly string[];
  /** Docker volume names by model volume name. */
  readonly volumeNames: Readonly<Record<string, string>>;
  /** Which images to run. Default: production. */
  readonly imageSet?: ImageSet;
  /** Whether the host has GPUs. A GPU request on a CPU host is dropped (the model validation made that visible). */
  readonly gpusAvailable?: boolean;
  /** Config files uploaded into the container; a change replaces the container. */
  readonly files?: readonly ConfigFile[];
}

/**
 * One container with secure defaults: loopback-only ports, no-new-privileges, bounded logs, a graceful stop,
 * and attributes written in the exact form the docker provider reads back, so a second plan is empty.
 */
export class DockerService extends Construct {
  readonly container: Container;
  readonly image: Image;
  readonly containerName: string;
  /** Name other containers on a shared network use to reach this one. */
  readonly address: string;
  private readonly healthGated: DockerService[] = [];

  constructor(
    scope: Construct,
    id: string,
    private readonly props: DockerServiceProps,
  ) {
    super(scope, id);
    const { spec } = props;
    const resolved = resolveImage(props.imageSet ?? "production", spec);
    this.containerName = `${props.owner}-${props.name}`;
    this.address = this.containerName;

    this.image = new Image(this, "image", {
      name: resolved.name,
      keepLocally: true,
      buildAttribute: resolved.build
        ? { context: resolved.build.context, dockerfile: resolved.build.dockerfile, buildArgs: resolved.build.args, tag: [resolved.name] }
        : undefined,
    });

    const secretEnv = spec.secretEnv.map((secret) => {
      const variable = this.secretVariable(secret.from);
      return `${secret.name}=${variable.stringValue}`;
    });
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
    const files = props.files ?? [];
    const command = resolved.command !== undefined ? (resolved.command.length > 0 ? resolved.command : undefined) : spec.command;
    const memory = spec.memory ? sizeInMiB(spec.memory) : undefined;
    const [primaryNetwork, ...otherNetworks] = props.networks;

    const config: ContainerConfig = {
      name: this.containerName,
      image: this.image.imageId,
      hostname: spec.hostname ?? props.name,
      command,
      env,
      user: spec.user,
      restart: spec.restart,
      mustRun: true,
      securityOpts: spec.securityOpts,
      destroyGraceSeconds: spec.stopGraceSeconds,
      // Explicit values equal to what the provider reads back (a daemon default would show up as a diff).
      logDriver: "json-file",
      logOpts: { "max-size": "50m", "max-file": "3" },
      networkMode: "bridge",
      networksAdvanced: [
        ...(primaryNetwork ? [{ name: primaryNetwork, aliases: [spec.hostname ?? props.name] }] : []),
        ...otherNetworks.map((name) => ({ name, aliases: [this.containerName] })),
      ],
      ports: spec.ports.map((p) => ({ internal: p.container, external: p.host ?? p.container, ip: p.bind, protocol: p.protocol })),
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
      // Only "all" round-trips in provider 3.6.2; the Spark has a single GPU anyway.
      gpus: spec.gpu && props.gpusAvailable ? "all" : undefined,
      healthcheck,
      memory,
      memorySwap: memory,
      shmSize: spec.shmSize ? sizeInMiB(spec.shmSize) : undefined,
      upload: files.map((f) => ({ file: f.path, content: f.content })),
      labels: Object.entries({
        "sparky.owner": props.owner,
        "sparky.service": props.name,
        "sparky.role": spec.role,
        // The provider ignores healthcheck edits on existing containers; labels are ForceNew, so a hash of
        // the healthcheck makes an edit replace the container.
        "sparky.healthcheck-hash": hash(JSON.stringify(healthcheck ?? null)),
      }).map(([label, value]) => ({ label, value })),
    };
    this.container = new Container(this, "container", config);
  }

  /** Start this service only after `other` reports healthy. */
  dependsOnHealthy(other: DockerService): void {
    other.waitUntilHealthy();
    this.container.dependsOn = [...(this.container.dependsOn ?? []), dependable(other.container)];
    this.healthGated.push(other);
  }

  /** Start this service only after `other` has started. */
  dependsOnStarted(other: DockerService): void {
    this.container.dependsOn = [...(this.container.dependsOn ?? []), dependable(other.container)];
  }

  /** Make `apply` wait on this container's healthcheck before anything that depends on it is created. */
  waitUntilHealthy(): void {
    const check = this.props.spec.healthcheck;
    if (!check) throw new Error(`${this.containerName} has no healthcheck to wait for`);
    const worstCase =
      durationSeconds(check.startPeriod) + (durationSeconds(check.interval) + durationSeconds(check.timeout)) * check.retries;
    this.container.wait = true;
    this.container.waitTimeout = Math.max(30, worstCase + 30);
  }

  /** One sensitive variable per environment variable name and stack; TF_VAR_<name> supplies the value. */
  private secretVariable(name: string): TerraformVariable {
    const stack = TerraformStack.of(this);
    const existing = stack.node.tryFindChild(name) as TerraformVariable | undefined;
    return (
      existing ??
      new TerraformVariable(stack, name, {
        type: "string",
        sensitive: true,
        nullable: false,
        description: `Secret for ${this.containerName}; deploy reads it from the environment variable ${name}`,
      })
    );
  }
}

const hash = (text: string) => createHash("sha256").update(text).digest("hex").slice(0, 16);
