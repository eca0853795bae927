import { Construct } from "constructs";
import type { Network } from "@cdktf/provider-docker/lib/network";
import type { ResolvedHost } from "../model";
import { observabilityFiles } from "../observability/config-files";
import type { ImageSet } from "../services/images";
import { LoopbackProxy } from "./loopback-proxy";
import { ownedNetwork } from "../services/ownership";
import { NodeEngines, orderSwarmServices, SwarmService } from "./swarm-service";

export interface ClusterObservabilityProps {
  /** The cluster's one ResolvedHost. */
  readonly host: ResolvedHost;
  readonly engines: NodeEngines;
  readonly imageSet?: ImageSet;
}

/**
 * One monitoring set per cluster: Prometheus and Grafana wherever Swarm places them, node-exporter and (on GPU nodes)
 * the DCGM exporter once per node, all on the cluster's observability overlay network. Their files (prometheus.yml
 * with DNS discovery of every task, rule files, Grafana provisioning, the DCGM counters) are Docker configs.
 */
export class ClusterObservability extends Construct {
  readonly network: Network;
  readonly services: Record<string, SwarmService> = {};

  constructor(scope: Construct, id: string, props: ClusterObservabilityProps) {
    super(scope, id);
    const set = props.host.observability;
    const files = observabilityFiles(props.host);
    this.network = ownedNetwork(this, set.network.name, set.owner, set.network, "overlay");
    for (const [name, service] of Object.entries(set.services))
      this.services[name] = new SwarmService(this, name, {
        service,
        engines: props.engines,
        networkId: this.network.id,
        imageSet: props.imageSet,
        files: files[name],
      });
    orderSwarmServices(this.services);
    new LoopbackProxy(this, "loopback-proxy", {
      owner: set.owner,
      services: Object.values(set.services),
      networks: [this.network.name],
      imageSet: props.imageSet,
    });
  }
}
