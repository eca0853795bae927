import { Construct } from "constructs";
import { Network } from "@cdktf/provider-docker/lib/network";
import type { HostSpec, Project } from "../model";
import { DockerService, ImageSet } from "../services";
import { hostObservabilityServices, OBSERVABILITY_NETWORK, observabilityOwner } from "./host-services";
import { jobName, scrapeTargets } from "./prometheus-config";

export interface HostObservabilityProps {
  readonly hostName: string;
  readonly host: HostSpec;
  /** Projects deployed on the host; every service with a metrics endpoint is scraped. */
  readonly projects: readonly Project[];
  readonly imageSet?: ImageSet;
}

/** Prometheus, Grafana, node-exporter and (on GPU hosts) the DCGM exporter, shared by all projects on a host. */
export class HostObservability extends Construct {
  readonly network: Network;
  readonly services: Record<string, DockerService> = {};

  constructor(scope: Construct, id: string, props: HostObservabilityProps) {
    super(scope, id);
    const owner = observabilityOwner(props.hostName);
    const specs = hostObservabilityServices(props.hostName, props.host);
    this.network = new Network(this, "network", { name: OBSERVABILITY_NETWORK, driver: "bridge" });

    const targets = scrapeTargets(props.projects, { owner, services: specs });
    const prometheusConfig = {
      global: { scrape_interval: "15s", scrape_timeout: "10s", evaluation_interval: "15s", external_labels: { host: props.hostName } },
      scrape_configs: targets.map((t) => ({
        job_name: jobName(t),
        scrape_interval: t.interval,
        scrape_timeout: t.timeout,
        metrics_path: t.path,
        static_configs: [{ targets: [t.address], labels: { project: t.project, service: t.service, role: t.role, ...t.labels } }],
      })),
    };
    const files: Record<string, { path: string; content: string }[]> = {
      prometheus: [{ path: "/etc/prometheus/prometheus.yml", content: JSON.stringify(prometheusConfig, null, 2) + "\n" }],
    };

    for (const [name, spec] of Object.entries(specs)) {
      this.services[name] = new DockerService(this, name, {
        owner,
        name,
        spec,
        networks: [this.network.name],
        volumeNames: { "prometheus-data": `${owner}-prometheus-data`, "grafana-data": `${owner}-grafana-data` },
        imageSet: props.imageSet,
        gpusAvailable: props.host.gpus,
        files: files[name],
      });
    }
    for (const [name, spec] of Object.entries(specs))
      for (const dep of spec.dependsOn)
        if (dep.condition === "healthy") this.services[name].dependsOnHealthy(this.services[dep.service]);
        else this.services[name].dependsOnStarted(this.services[dep.service]);
  }
}
