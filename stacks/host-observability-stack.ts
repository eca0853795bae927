import { Construct } from "constructs";
import { TerraformStack } from "cdktf";
import type { HostSpec, Project, TargetSpec } from "../constructs/model";
import { HostObservability } from "../constructs/observability";
import { dockerProviderFor } from "./project-services-stack";

export interface HostObservabilityStackProps {
  readonly hostName: string;
  readonly host: HostSpec;
  readonly projects: readonly Project[];
  readonly target: TargetSpec;
}

/** `<host>-observability`: one monitoring set per Docker host, shared by every project deployed there. */
export class HostObservabilityStack extends TerraformStack {
  readonly observability: HostObservability;

  constructor(scope: Construct, id: string, props: HostObservabilityStackProps) {
    super(scope, id);
    dockerProviderFor(this, props.host);
    this.observability = new HostObservability(this, "observability", {
      hostName: props.hostName,
      host: props.host,
      projects: props.projects,
      imageSet: props.target.images,
      profiles: props.target.profiles,
    });
  }
}
