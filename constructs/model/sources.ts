import * as path from "node:path";
import { z } from "zod";
import { Slug } from "./common";
import type { DeploymentConfig } from "./deployment";
import type { Project } from "./project";
import type { ServiceSpec } from "./services";

/** Where projects' checkouts are on the deploying machine (build contexts are read there and streamed to the host). */
export const SourcesSchema = z
  .record(Slug, z.string().min(1))
  .default({})
  .describe(
    'Checkout of each project on the deploying machine, by project id, relative to the config file (e.g. `"dgx-pixels": "../dgx-pixels"`); overrides the project\'s `sourceRoot`',
  );

export const ProjectSourceFields = {
  sourceRoot: z
    .string()
    .min(1)
    .optional()
    .describe(
      "Where the project's checkout is expected on the deploying machine, relative to the config file; build contexts are relative to it. The config's `sources` overrides it",
    ),
};

/** A build as the engine runs it: the context as an absolute directory of the deploying machine. */
export interface ResolvedBuild {
  /** Absolute context directory. */
  contextDir: string;
  dockerfile: string;
  args: Record<string, string>;
  /** The config key that moves the checkout, e.g. `targets.dgx.sources.dgx-pixels`. */
  sourceKey: string;
}

/**
 * The checkout of a project for a target and the config key that sets it: the target's `sources`, else the config's,
 * else the project's `sourceRoot`, else a sibling checkout named after the project. Relative paths are from the
 * config file's directory.
 */
export function sourceRootOf(
  project: Pick<Project, "id" | "sourceRoot">,
  config: Pick<DeploymentConfig, "sources" | "targets">,
  targetName: string,
  configDir: string,
): { dir: string; key: string } {
  const targetKey = `targets.${targetName}.sources.${project.id}`;
  const fromTarget = config.targets[targetName]?.sources[project.id];
  if (fromTarget !== undefined) return { dir: path.resolve(configDir, fromTarget), key: targetKey };
  const fromConfig = config.sources[project.id];
  if (fromConfig !== undefined) return { dir: path.resolve(configDir, fromConfig), key: `sources.${project.id}` };
  return { dir: path.resolve(configDir, project.sourceRoot ?? `../${project.id}`), key: targetKey };
}

/** The service's build against the project's checkout, or undefined for a pulled image. */
export function resolveBuild(spec: ServiceSpec, root: { dir: string; key: string }): ResolvedBuild | undefined {
  if (!("build" in spec.image)) return undefined;
  const { context, dockerfile, args } = spec.image.build;
  return { contextDir: path.resolve(root.dir, context), dockerfile, args, sourceKey: root.key };
}
