// The stacks of a cluster target: the same `<project>-services` and `<cluster>-observability` as for single hosts,
// rendered as a Docker Swarm through the manager's engine, with a provider per other node for what each node holds
// itself (images, volumes).
import { Construct } from "constructs";
import { Aspects, TerraformStack } from "cdktf";
import type { DockerProvider } from "@cdktf/provider-docker/lib/provider";
import type { PlacedProject, ResolvedCluster, ResolvedHost, TargetSpec } from "../constructs/model";
import { ModelAddressedStack } from "../constructs/core/addresses";
import { ContainerPolicy } from "../constructs/services";
import { ClusterObservability, NodeEngines, SwarmPolicy, SwarmProjectServices, SwarmScraper } from "../constructs/swarm";
import type { BuildContext } from "./build-contexts";
import { dockerProviderFor, endpointsOutput, schedulerContext } from "./project-services-stack";

/**
 * The stack's way to every node: the default provider (the manager's engine) for the manager, and a provider aliased
 * after each worker, created when a resource first needs it (a plan configures every provider of a stack, so an
 * unused one would only make the plan depend on that node).
 */
function nodeEngines(stack: TerraformStack, cluster: ResolvedCluster): NodeEngines {
  const providers = new Map<string, DockerProvider>();
  return {
    nodes: cluster.nodes,
    providerOf(host) {
      const node = cluster.nodes.find((n) => n.host === host);
      if (!node) throw new Error(`${host} is not a node of cluster ${cluster.name}`);
      if (node.manager) return undefined;
      if (!providers.has(host)) providers.set(host, dockerProviderFor(stack, node.spec, host));
      return providers.get(host);
    },
  };
}

function swarmStack(stack: ModelAddressedStack, host: ResolvedHost): NodeEngines {
  if (!host.cluster) throw new Error(`${host.name} is not a cluster`);
  dockerProviderFor(stack, host.spec);
  Aspects.of(stack).add(new ContainerPolicy());
  Aspects.of(stack).add(new SwarmPolicy());
  return nodeEngines(stack, host.cluster);
}

export interface SwarmServicesStackProps {
  readonly placed: PlacedProject;
  /** The cluster's one ResolvedHost. */
  readonly host: ResolvedHost;
  readonly target: TargetSpec;
  readonly observability: SwarmScraper;
  readonly contexts?: readonly BuildContext[];
  /** The sparky-infra checkout, where scheduled jobs' images get supercronic added (images/add-supercronic). */
  readonly projectRoot?: string;
}

/** `<project>-services` on a cluster: the project's overlay network, volumes, swarm services and loopback proxy. */
export class SwarmServicesStack extends ModelAddressedStack {
  readonly services: SwarmProjectServices;

  constructor(scope: Construct, id: string, props: SwarmServicesStackProps) {
    super(scope, id);
    const engines = swarmStack(this, props.host);
    this.services = new SwarmProjectServices(this, "project", {
      placed: props.placed,
      engines,
      imageSet: props.target.images,
      observability: props.observability,
      contextSha256: Object.fromEntries((props.contexts ?? []).map((c) => [c.service, c.sha256])),
      scheduler: schedulerContext(props.placed, props.target, props.projectRoot),
    });
    endpointsOutput(this, props.host.spec, Object.values(props.placed.services));
  }
}

/** `<cluster>-observability`: one monitoring set for the whole cluster. */
export class ClusterObservabilityStack extends ModelAddressedStack {
  readonly observability: ClusterObservability;

  constructor(scope: Construct, id: string, props: { readonly host: ResolvedHost; readonly target: TargetSpec }) {
    super(scope, id);
    const engines = swarmStack(this, props.host);
    this.observability = new ClusterObservability(this, "observability", { host: props.host, engines, imageSet: props.target.images });
    endpointsOutput(this, props.host.spec, Object.values(props.host.observability.services));
  }
}
