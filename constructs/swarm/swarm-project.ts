import { Construct } from "constructs";
import { TerraformStack } from "cdktf";
import type { Network } from "@cdktf/provider-docker/lib/network";
import type { PlacedProject, ResolvedService, ResolvedVolume } from "../model";
import { addressByModelId } from "../core/addresses";
import type { ImageSet } from "../services/images";
import type { SchedulerContext } from "../services/scheduled-job";
import { ownedNetwork, ownedVolume } from "../services/ownership";
import { LoopbackProxy } from "./loopback-proxy";
import { NodeEngines, orderSwarmServices, SwarmService } from "./swarm-service";

/** Joins a scraped swarm service to its cluster's monitoring; see SwarmScrapeLink. */
export interface SwarmScraper {
  scrape(service: SwarmService): void;
}

/**
 * Volumes a stack owns (not kept, or bound to a host path) on every node a service that mounts them may run on:
 * `docker_volume.<volume>_<host>`. A kept Docker volume is left to Docker, created where a task first uses it, so a
 * destroy never takes the data.
 */
function nodeVolumes(
  scope: Construct,
  owner: string,
  volumes: Record<string, ResolvedVolume>,
  services: readonly ResolvedService[],
  engines: NodeEngines,
) {
  const created: { volume: string; host: string; resource: ReturnType<typeof ownedVolume> }[] = [];
  for (const [name, volume] of Object.entries(volumes)) {
    if (volume.keep && !volume.hostPath) continue;
    const users = services.filter((s) => s.spec.volumes.some((m) => "volume" in m && m.volume === name));
    const hosts = engines.nodes.map((n) => n.host).filter((h) => users.some((s) => s.placement?.nodes.includes(h)));
    for (const host of hosts) {
      const holder = new Construct(scope, `${name}-${host}`);
      addressByModelId(holder, `${name}_${host}`);
      const resource = ownedVolume(holder, "volume", owner, { name: volume.dockerName, hostPath: volume.hostPath });
      resource.provider = engines.providerOf(host);
      created.push({ volume: name, host, resource });
    }
  }
  return created;
}

export interface SwarmProjectServicesProps {
  readonly placed: PlacedProject;
  readonly engines: NodeEngines;
  readonly imageSet?: ImageSet;
  readonly observability?: SwarmScraper;
  readonly contextSha256?: Readonly<Record<string, string | undefined>>;
  /** The scheduler build context, when the project has scheduled jobs on production images. */
  readonly scheduler?: SchedulerContext;
}

/**
 * A project's services on a swarm: its overlay network, its volumes on the nodes that need them, one SwarmService per
 * deployed service (started in dependency order), and the loopback proxy for its ports.
 */
export class SwarmProjectServices extends Construct {
  readonly network: Network;
  readonly services: Record<string, SwarmService> = {};

  constructor(scope: Construct, id: string, props: SwarmProjectServicesProps) {
    super(scope, id);
    const { placed, engines } = props;
    const owner = placed.project.id;
    this.network = ownedNetwork(this, placed.network.name, owner, placed.network, "overlay");
    const deployed = Object.values(placed.services);
    const volumes = nodeVolumes(new Construct(this, "volumes"), owner, placed.volumes, deployed, engines);
    const services = new Construct(this, "services");
    for (const [name, service] of Object.entries(placed.services)) {
      const swarm = new SwarmService(services, name, {
        service,
        engines,
        networkId: this.network.id,
        imageSet: props.imageSet,
        contextSha256: props.contextSha256?.[name],
        scheduler: props.scheduler,
      });
      // Attachments are fixed at creation (see joinNetwork): a replaced network replaces the service with it.
      swarm.resource.lifecycle = {
        ...swarm.resource.lifecycle,
        replaceTriggeredBy: [`${this.network.terraformResourceType}.${this.network.friendlyUniqueId}`],
      };
      for (const v of volumes)
        if (service.placement?.nodes.includes(v.host) && service.spec.volumes.some((m) => "volume" in m && m.volume === v.volume))
          swarm.dependsOn(v.resource);
      if (service.spec.metrics) props.observability?.scrape(swarm);
      this.services[name] = swarm;
    }
    orderSwarmServices(this.services);
    new LoopbackProxy(this, "loopback-proxy", { owner, services: deployed, networks: [this.network.name], imageSet: props.imageSet });
  }
}

/**
 * A project's way to its cluster's monitoring, which another stack deploys: `scrape(service)` puts the service on the
 * monitoring's overlay network, where Prometheus finds its tasks by DNS, and orders the project's stack after it.
 */
export class SwarmScrapeLink implements SwarmScraper {
  constructor(
    private readonly network: string,
    private readonly setStack?: TerraformStack,
  ) {}

  scrape(service: SwarmService): void {
    service.joinNetwork(this.network);
    if (this.setStack) TerraformStack.of(service).addDependency(this.setStack);
  }
}
