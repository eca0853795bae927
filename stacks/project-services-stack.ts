import { Construct } from "constructs";
import { TerraformStack } from "cdktf";
import { DockerProvider } from "@cdktf/provider-docker/lib/provider";
import { Network } from "@cdktf/provider-docker/lib/network";
import { Volume } from "@cdktf/provider-docker/lib/volume";
import type { HostSpec, Project, TargetSpec } from "../constructs/model";
import { OBSERVABILITY_NETWORK } from "../constructs/observability";
import { DockerService, serviceConstructFor } from "../constructs/services";

export interface ProjectServicesStackProps {
  readonly project: Project;
  readonly hostName: string;
  readonly host: HostSpec;
  readonly target: TargetSpec;
}

/** `<project>-services`: the project's network, volumes and containers on its host's Docker engine. */
export class ProjectServicesStack extends TerraformStack {
  readonly services: Record<string, DockerService> = {};

  constructor(scope: Construct, id: string, props: ProjectServicesStackProps) {
    super(scope, id);
    const { project, host, target } = props;
    dockerProviderFor(this, host);

    const network = new Network(this, "network", {
      name: project.network.name,
      driver: "bridge",
      ipamConfig: project.network.subnet ? [{ subnet: project.network.subnet, gateway: project.network.gateway }] : undefined,
    });

    // Kept volumes are not Terraform resources: Docker creates them on first use and `destroy` leaves them.
    const volumeNames: Record<string, string> = {};
    for (const [name, volume] of Object.entries(project.volumes)) {
      volumeNames[name] = `${project.id}-${name}`;
      if (volume.keep && !volume.hostPath) continue;
      new Volume(this, `volume-${name}`, {
        name: volumeNames[name],
        driverOpts: volume.hostPath ? { type: "none", o: "bind", device: volume.hostPath } : undefined,
      });
    }

    const deployed = Object.entries(project.services).filter(([, s]) => !s.profile || target.profiles.includes(s.profile));
    for (const [name, spec] of deployed) {
      const ServiceConstruct = serviceConstructFor(spec);
      this.services[name] = new ServiceConstruct(this, name, {
        owner: project.id,
        name,
        spec,
        networks: spec.metrics ? [network.name, OBSERVABILITY_NETWORK] : [network.name],
        volumeNames,
        imageSet: target.images,
        gpusAvailable: host.gpus,
      });
      // A container left behind by a deleted network would come back without its ports; recreate it with the network.
      this.services[name].container.lifecycle = { replaceTriggeredBy: [`${network.terraformResourceType}.${network.friendlyUniqueId}`] };
    }
    for (const [name, spec] of deployed)
      for (const dep of spec.dependsOn) {
        const other = this.services[dep.service];
        if (dep.condition === "healthy") this.services[name].dependsOnHealthy(other);
        else this.services[name].dependsOnStarted(other);
      }
  }
}

export function dockerProviderFor(scope: Construct, host: HostSpec): DockerProvider {
  return new DockerProvider(scope, "docker", {
    host: host.dockerHost,
    sshOpts: host.dockerHost.startsWith("ssh://") && host.sshOpts.length > 0 ? host.sshOpts : undefined,
  });
}
