import { TerraformStack } from "cdktf";
import type { ObservabilitySet } from "../model";
import type { DockerService } from "../services/docker-service";

/**
 * A project's way to its host's observability set, which another stack deploys: `scrape(service)` puts the
 * container on the set's network, where Prometheus reaches it by name, and orders the project's stack after the set's.
 */
export class ObservabilityLink {
  constructor(
    private readonly set: ObservabilitySet,
    /** The stack that deploys the set (its network must exist first). */
    private readonly setStack?: TerraformStack,
  ) {}

  scrape(service: DockerService): void {
    const { containerName } = service.service;
    // The targets come from the model (every service with a metrics endpoint); a container joining without one would
    // be a construct out of step with it.
    if (!this.set.targets.some((t) => t.address.startsWith(`${containerName}:`)))
      throw new Error(`${containerName} is not a scrape target of ${this.set.owner}: declare a metrics endpoint on it in the model`);
    service.joinNetwork(this.set.network.name);
    if (this.setStack) TerraformStack.of(service).addDependency(this.setStack);
  }
}
