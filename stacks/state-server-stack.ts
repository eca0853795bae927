import { Construct } from "constructs";
import { Aspects } from "cdktf";
import { Network } from "@cdktf/provider-docker/lib/network";
import type { HostSpec, ResolvedStateServer, TargetSpec } from "../constructs/model";
import { ModelAddressedStack } from "../constructs/core/addresses";
import { ContainerPolicy, DockerService } from "../constructs/services";
import { dockerProviderFor } from "./project-services-stack";
import { addStateMetadata, configureStateBackend } from "./state-backend";

export interface StateServerStackProps {
  readonly hostName: string;
  readonly host: HostSpec;
  readonly server: ResolvedStateServer;
  readonly target: TargetSpec;
  readonly outdir: string;
  readonly projectRoot: string;
}

/**
 * `<host>-state`: the PostgreSQL server that holds the state of every other stack of the target, on its own network,
 * published on the host's loopback only, with its data on a kept volume (no stack owns it, so a destroy never
 * removes it). It cannot keep its own state in itself: that is a local file (`hosts.<name>.stateServer.directory`),
 * and losing it loses nothing (README "Shared state").
 */
export class StateServerStack extends ModelAddressedStack {
  readonly postgres: DockerService;

  constructor(scope: Construct, id: string, props: StateServerStackProps) {
    super(scope, id);
    const { server } = props;
    dockerProviderFor(this, props.host);
    const network = new Network(this, "state", {
      name: server.network.name,
      driver: "bridge",
      ipamConfig: [{ subnet: server.network.subnet, gateway: server.network.gateway }],
    });
    this.postgres = new DockerService(this, "postgres", {
      service: server.service,
      network: network.name,
      volumeNames: { data: server.volume.dockerName },
      imageSet: props.target.images,
    });
    // A deploy ends when the server accepts connections, so the stacks that keep their state in it can go next.
    this.postgres.waitUntilHealthy();
    Aspects.of(this).add(new ContainerPolicy());
    configureStateBackend(this, id, { backend: "local", directory: server.directory }, props.outdir, props.projectRoot);
    addStateMetadata(this, { bootstrapOf: props.hostName });
  }
}
