import { IAspect } from "cdktf";
import { IConstruct } from "constructs";
import { Service } from "@cdktf/provider-docker/lib/service";

/**
 * The policy every `docker_service` of a stack follows, as ContainerPolicy is for containers: bounded json-file logs,
 * stated explicitly (read back like a container's), and DNS round robin (see SwarmService).
 */
export class SwarmPolicy implements IAspect {
  visit(node: IConstruct): void {
    if (!(node instanceof Service)) return;
    node.taskSpec.putLogDriver({ name: "json-file", options: { "max-size": "50m", "max-file": "3" } });
    if (node.endpointSpec.modeInput !== "dnsrr")
      throw new Error(`${node.node.path}: swarm services use DNS round robin (endpoint_spec.mode = "dnsrr")`);
  }
}
