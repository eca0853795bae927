import { Construct } from "constructs";
import { Network } from "@cdktf/provider-docker/lib/network";
import type { ResolvedHost } from "../model";
import { DockerService, ImageSet, orderByDependencies, ownedNetwork } from "../services";
import { observabilityFiles } from "./config-files";

export interface HostObservabilityProps {
  readonly host: ResolvedHost;
  /** Which images to run. Default: production. */
  readonly imageSet?: ImageSet;
}

/**
 * Prometheus, Grafana, node-exporter and (on GPU hosts, or CPU hosts running GPU workloads downgraded) the DCGM
 * exporter, shared by all projects on a host, on the host's observability network. Their config files
 * (prometheus.yml, rule files, Grafana provisioning, the DCGM counters CSV) are rendered from the resolved host and
 * uploaded into the containers.
 */
export class HostObservability extends Construct {
  readonly network: Network;
  readonly services: Record<string, DockerService> = {};

  constructor(scope: Construct, id: string, props: HostObservabilityProps) {
    super(scope, id);
    const set = props.host.observability;
    const files = observabilityFiles(props.host);
    this.network = ownedNetwork(this, set.network.name, set.owner, set.network);
    const volumeNames = Object.fromEntries(Object.entries(set.volumes).map(([name, v]) => [name, v.dockerName]));
    for (const [name, service] of Object.entries(set.services))
      this.services[name] = new DockerService(this, name, {
        service,
        network: this.network.name,
        volumeNames,
        imageSet: props.imageSet,
        files: files[name],
      });
    orderByDependencies(this.services);
  }
}
