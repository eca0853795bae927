import { Construct } from "constructs";
import { Network } from "@cdktf/provider-docker/lib/network";
import type { PlacedProject } from "../model";
import { DockerService, orderByDependencies } from "./docker-service";
import type { ImageSet } from "./images";
import type { SchedulerContext } from "./scheduled-job";
import { ownedNetwork, ownedVolume } from "./ownership";

/** Joins a scraped service to its host's monitoring; see ObservabilityLink. */
export interface Scraper {
  scrape(service: DockerService): void;
}

export interface ProjectServicesProps {
  readonly placed: PlacedProject;
  /** Which images to run. Default: production. */
  readonly imageSet?: ImageSet;
  /** Where services with a metrics endpoint are scraped. */
  readonly observability?: Scraper;
  /** Content hashes of the build contexts, by service name (undefined: the context was absent at synth). */
  readonly contextSha256?: Readonly<Record<string, string | undefined>>;
  /** Where scheduled jobs on production images get supercronic added. */
  readonly scheduler?: SchedulerContext;
}

/**
 * A project's services on its host: its network, the volumes a stack owns (kept volumes are left to Docker, so a
 * destroy never takes models or caches with it), and one DockerService per deployed service, started in
 * dependency order (health-gated where the model says `healthy`, after a one-shot job where it says `completed`).
 */
export class ProjectServices extends Construct {
  readonly network: Network;
  readonly services: Record<string, DockerService> = {};

  constructor(scope: Construct, id: string, props: ProjectServicesProps) {
    super(scope, id);
    const { placed } = props;
    const { network: spec } = placed;
    this.network = ownedNetwork(this, spec.name, placed.project.id, spec);
    // Volumes and services get a scope each: a volume and a service may share a model name.
    const volumes = new Construct(this, "volumes");
    const services = new Construct(this, "services");
    for (const [name, volume] of Object.entries(placed.volumes)) {
      if (volume.keep && !volume.hostPath) continue;
      ownedVolume(volumes, name, placed.project.id, { name: volume.dockerName, hostPath: volume.hostPath });
    }
    const volumeNames = Object.fromEntries(Object.entries(placed.volumes).map(([name, v]) => [name, v.dockerName]));
    for (const [name, service] of Object.entries(placed.services)) {
      const docker = new DockerService(services, name, {
        service,
        network: this.network.name,
        volumeNames,
        imageSet: props.imageSet,
        contextSha256: props.contextSha256?.[name],
        scheduler: props.scheduler,
      });
      // A container left behind by a deleted network would come back without its ports; recreate it with the network.
      docker.container.lifecycle = {
        ...docker.container.lifecycle,
        replaceTriggeredBy: [`${this.network.terraformResourceType}.${this.network.friendlyUniqueId}`],
      };
      if (service.spec.metrics) props.observability?.scrape(docker);
      this.services[name] = docker;
    }
    orderByDependencies(this.services);
  }
}
