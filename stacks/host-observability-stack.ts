import { Construct } from "constructs";
import { Aspects } from "cdktf";
import type { ResolvedHost, TargetSpec } from "../constructs/model";
import { ModelAddressedStack } from "../constructs/core/addresses";
import { HostObservability } from "../constructs/observability";
import { ContainerPolicy } from "../constructs/services";
import { HOST_OBSERVABILITY_PATHS, moveFromHashedAddresses } from "./hashed-addresses";
import { dockerProviderFor, endpointsOutput } from "./project-services-stack";

export interface HostObservabilityStackProps {
  readonly host: ResolvedHost;
  readonly target: TargetSpec;
}

/** `<host>-observability`: one monitoring set per Docker host, shared by every project deployed there. */
export class HostObservabilityStack extends ModelAddressedStack {
  readonly observability: HostObservability;

  constructor(scope: Construct, id: string, props: HostObservabilityStackProps) {
    super(scope, id);
    dockerProviderFor(this, props.host.spec);
    this.observability = new HostObservability(this, "observability", { host: props.host, imageSet: props.target.images });
    Aspects.of(this).add(new ContainerPolicy());
    moveFromHashedAddresses(this, HOST_OBSERVABILITY_PATHS);
    endpointsOutput(this, props.host.spec, Object.values(props.host.observability.services));
  }
}
