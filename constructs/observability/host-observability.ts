import { Construct } from "constructs";
import { Network } from "@cdktf/provider-docker/lib/network";
import type { HostSpec, Project, ServiceSpec } from "../model";
import { DockerService, ImageSet } from "../services";
import { observabilityFiles } from "./config-files";
import { DCGM_COUNTERS_PATH } from "./dcgm-counters";
import { OBSERVABILITY_NETWORK, observabilityOwner } from "./host-services";
import type { ScrapeTarget } from "./prometheus-config";

export interface HostObservabilityProps {
  readonly hostName: string;
  readonly host: HostSpec;
  /** Projects deployed on the host; every service with a metrics endpoint is scraped. */
  readonly projects: readonly Project[];
  readonly imageSet?: ImageSet;
  /** Profiles the target enables (services of other profiles are neither deployed nor scraped). Default: all. */
  readonly profiles?: readonly string[];
}

/**
 * Prometheus, Grafana, node-exporter and (on GPU hosts, or CPU hosts running GPU workloads downgraded) the DCGM
 * exporter, shared by all projects on a host. Their config files (prometheus.yml, rule files, Grafana
 * provisioning, the DCGM counters CSV) are rendered from the model and uploaded into the containers.
 */
export class HostObservability extends Construct {
  readonly network: Network;
  readonly services: Record<string, DockerService> = {};
  readonly targets: ScrapeTarget[];

  constructor(scope: Construct, id: string, props: HostObservabilityProps) {
    super(scope, id);
    const owner = observabilityOwner(props.hostName);
    const rendered = observabilityFiles({ hostName: props.hostName, host: props.host, projects: props.projects, profiles: props.profiles });
    this.targets = rendered.targets;
    this.network = new Network(this, "network", {
      name: OBSERVABILITY_NETWORK,
      driver: "bridge",
      ipamConfig: [{ subnet: props.host.observabilityNetwork.subnet, gateway: props.host.observabilityNetwork.gateway }],
    });

    for (const [name, base] of Object.entries(rendered.services)) {
      let spec: ServiceSpec = base;
      // The local stand-in serves the uploaded counters file as its /metrics (malformed CSV → it exits).
      if (name === "dcgm-exporter" && props.imageSet === "local")
        spec = { ...base, env: { ...base.env, STANDIN_METRICS_FILE: DCGM_COUNTERS_PATH } };
      this.services[name] = new DockerService(this, name, {
        owner,
        name,
        spec,
        networks: [this.network.name],
        volumeNames: { "prometheus-data": `${owner}-prometheus-data`, "grafana-data": `${owner}-grafana-data` },
        imageSet: props.imageSet,
        gpusAvailable: props.host.gpus,
        files: rendered.files[name],
      });
    }
    for (const [name, spec] of Object.entries(rendered.services))
      for (const dep of spec.dependsOn)
        if (dep.condition === "healthy") this.services[name].dependsOnHealthy(this.services[dep.service]);
        else this.services[name].dependsOnStarted(this.services[dep.service]);
  }
}
