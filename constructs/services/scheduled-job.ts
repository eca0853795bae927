import { Construct } from "constructs";
import type { TerraformProvider } from "cdktf";
import { Image } from "@cdktf/provider-docker/lib/image";
import {
  isScheduled,
  renderCrontab,
  SCHEDULER_BUILD,
  schedulerEntrypoint,
  schedulerImageTag,
  SUPERCRONIC,
  type ResolvedService,
} from "../model";
import { addressByModelId } from "../core/addresses";
import type { ResolvedImage } from "./images";

/** The scheduler build context as synth found it in this checkout (see SCHEDULER_BUILD). */
export interface SchedulerContext {
  /** Absolute directory of images/add-supercronic. */
  dir: string;
  /** sha256 of the context as Docker would be sent it; a change rebuilds every scheduler image. */
  sha256: string;
}

/** How a scheduled job's container runs: supercronic as its entrypoint, reading the uploaded crontab. */
export interface ScheduledRuntime {
  /** The image with supercronic: the job's own image rebuilt with it (production), or the local scheduler image. */
  imageId: string;
  entrypoint: string[];
  command: string[];
  crontab: { path: string; content: string };
}

/** A swarm node the scheduler image is built on: its address suffix and the provider that reaches its engine. */
export interface SchedulerNode {
  host: string;
  platform: string;
  provider?: TerraformProvider;
}

/**
 * What a scheduled job needs beyond a service: its crontab from the model, supercronic as the entrypoint, and on
 * production images an image `FROM` the job's own with supercronic added (addressed `docker_image.<service>-scheduler`,
 * or `docker_image.<service>-scheduler_<host>` on each node of a swarm, rebuilt when the job's image or the scheduler
 * context changes). Undefined for anything else.
 */
export function scheduledRuntime(
  scope: Construct,
  service: ResolvedService,
  resolved: ResolvedImage,
  base: Image,
  context: SchedulerContext | undefined,
  node?: SchedulerNode,
): ScheduledRuntime | undefined {
  const { spec, owner, name } = service;
  const platform = node?.platform ?? service.platform;
  if (!isScheduled(spec)) return undefined;
  let imageId = base.imageId;
  if (resolved.addScheduler) {
    if (!context) throw new Error(`${scope.node.path}: a scheduled job on production images needs the scheduler build context`);
    const holder = new Construct(scope, "scheduler");
    addressByModelId(holder, node ? `${name}-scheduler_${node.host}` : `${name}-scheduler`);
    const tag = schedulerImageTag(owner, name);
    const image = new Image(holder, "image", { name: tag, keepLocally: true, platform, dependsOn: [base], provider: node?.provider });
    image.putBuildAttribute({
      context: context.dir,
      dockerfile: SCHEDULER_BUILD.dockerfile,
      buildArgs: { BASE_IMAGE: resolved.name, GO_IMAGE: SCHEDULER_BUILD.goImage, SUPERCRONIC_VERSION: SUPERCRONIC.version },
      tag: [tag],
      platform,
    });
    image.triggers = { context_sha256: context.sha256, base_image: base.imageId };
    imageId = image.imageId;
  }
  return {
    imageId,
    entrypoint: schedulerEntrypoint(),
    command: [SUPERCRONIC.crontab],
    crontab: { path: SUPERCRONIC.crontab, content: renderCrontab(owner, name, spec.schedule, resolved.jobCommand ?? spec.command ?? []) },
  };
}
