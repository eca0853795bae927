// A host as the model resolves it from a deployment config and projects, for tests of what its observability set
// scrapes, renders and checks.
import { blueprints } from "../../blueprints";
import { DEFAULT_CONFIG } from "../../config/default-config";
import { DeploymentConfigInput, DeploymentConfigSchema, ProjectSchema, ResolvedHost } from "../../constructs/model";
import { resolveSystem } from "../../constructs/model/resolve";

/** The resolved host, without validation (the tests look at the problems themselves). */
export function hostOf(
  hostName: string,
  projects: readonly unknown[] = blueprints,
  config: DeploymentConfigInput = DEFAULT_CONFIG,
): ResolvedHost {
  const parsedConfig = DeploymentConfigSchema.parse(structuredClone(config));
  const target = Object.entries(parsedConfig.targets).find(([, t]) => t.hosts.includes(hostName))![0];
  const system = resolveSystem(
    parsedConfig,
    projects.map((p) => ProjectSchema.parse(p)),
    target,
    [],
  );
  return system.hosts.find((h) => h.name === hostName)!;
}

/** The scrape job names of a host. */
export const jobsOf = (host: ResolvedHost) => new Set(host.observability.targets.map((t) => `${t.project}-${t.service}`));
