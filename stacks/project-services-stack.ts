import { Construct } from "constructs";
import { Aspects, TerraformOutput } from "cdktf";
import { DockerProvider } from "@cdktf/provider-docker/lib/provider";
import * as path from "node:path";
import { endpointsOf, ENDPOINTS_OUTPUT, isScheduled, SCHEDULER_BUILD } from "../constructs/model";
import type { HostSpec, PlacedProject, ResolvedService, TargetSpec } from "../constructs/model";
import { ModelAddressedStack } from "../constructs/core/addresses";
import { ContainerPolicy, ProjectServices, Scraper, type SchedulerContext } from "../constructs/services";
import { contextSha256, type BuildContext } from "./build-contexts";
import { moveFromHashedAddresses, PROJECT_SERVICES_PATHS } from "./hashed-addresses";

export interface ProjectServicesStackProps {
  readonly placed: PlacedProject;
  readonly host: HostSpec;
  readonly target: TargetSpec;
  /** The host's observability set, where services with a metrics endpoint are scraped. */
  readonly observability: Scraper;
  /** What synth read of the project's build contexts. */
  readonly contexts?: readonly BuildContext[];
  /** The sparky-infra checkout, where scheduled jobs' images get supercronic added (images/add-supercronic). */
  readonly projectRoot?: string;
}

/** `<project>-services`: the project's network, volumes and containers on its host's Docker engine. */
export class ProjectServicesStack extends ModelAddressedStack {
  readonly services: ProjectServices;

  constructor(scope: Construct, id: string, props: ProjectServicesStackProps) {
    super(scope, id);
    dockerProviderFor(this, props.host);
    this.services = new ProjectServices(this, "project", {
      placed: props.placed,
      imageSet: props.target.images,
      observability: props.observability,
      contextSha256: Object.fromEntries((props.contexts ?? []).map((c) => [c.service, c.sha256])),
      scheduler: schedulerContext(props.placed, props.target, props.projectRoot),
    });
    Aspects.of(this).add(new ContainerPolicy());
    moveFromHashedAddresses(this, PROJECT_SERVICES_PATHS);
    endpointsOutput(this, props.host, Object.values(props.placed.services));
  }
}

/** The scheduler build context in this checkout, when the project has scheduled jobs on production images. */
export function schedulerContext(placed: PlacedProject, target: TargetSpec, projectRoot = process.cwd()): SchedulerContext | undefined {
  if (target.images !== "production" || !Object.values(placed.services).some((s) => isScheduled(s.spec))) return undefined;
  const dir = path.join(projectRoot, SCHEDULER_BUILD.context);
  const sha256 = contextSha256(dir, SCHEDULER_BUILD.dockerfile);
  if (!sha256) throw new Error(`${dir}/${SCHEDULER_BUILD.dockerfile} is missing from this sparky-infra checkout`);
  return { dir, sha256 };
}

/** The `endpoints` output: every published port with its URL (and ssh tunnel); `just urls` prints it. */
export function endpointsOutput(scope: Construct, host: HostSpec, services: readonly ResolvedService[]): TerraformOutput {
  return new TerraformOutput(scope, ENDPOINTS_OUTPUT, {
    value: endpointsOf(host, services),
    description: "Published endpoints: service, URL, loopback-only, and the ssh -L command for ssh:// hosts",
  });
}

/** The Docker provider that reaches the host's engine; with an alias, one of several in the stack (a cluster's nodes). */
export function dockerProviderFor(scope: Construct, host: HostSpec, alias?: string): DockerProvider {
  return new DockerProvider(scope, alias ? `docker-${alias}` : "docker", {
    alias,
    host: host.dockerHost,
    sshOpts: host.dockerHost.startsWith("ssh://") && host.sshOpts.length > 0 ? host.sshOpts : undefined,
  });
}
