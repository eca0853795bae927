import { checkClusterReferences, checkClusterServices } from "./checks/cluster";
import { checkClusterMemory } from "./checks/cluster-memory";
import { checkContainerNames } from "./checks/containers";
import { checkDeploymentReferences, checkHost } from "./checks/hosts";
import { checkJobs } from "./checks/jobs";
import { checkMemoryBudget } from "./checks/memory";
import { observabilityProblems } from "./checks/observability";
import { checkOrchestration } from "./checks/orchestration";
import { checkDeploymentSafety, checkServiceSafety } from "./checks/security";
import { checkServices } from "./checks/services";
import { DeploymentConfigSchema } from "./deployment";
import { duplicates, ModelValidationError, Problem, shapeProblems, unknownReference } from "./problems";
import { Project, ProjectSchema } from "./project";
import type { ResolvedSystem } from "./resolved";
import { resolveSystem } from "./resolve";
import { checkStateServers } from "./state-server";

export { ModelValidationError } from "./problems";
export type { Problem } from "./problems";

export interface ValidationOptions {
  /** Target to validate and resolve; the config's defaultTarget when unset. */
  target?: string;
  /**
   * Hosts the deploy may talk to (Docker hosts, GitHub's API, the pg state server), besides loopback. Unset: any.
   * CI sets it from its protected Environment (SPARKY_TRUSTED_HOSTS), so a change to the config cannot redirect it.
   */
  trustedHosts?: readonly string[];
  /** Directory of the config file, where relative source paths start; the working directory when unset. */
  configDir?: string;
}

/**
 * Parses and cross-checks the deployment config and every project, then resolves the target's system: the one
 * model every consumer reads. All problems are collected and thrown together (ModelValidationError), so a user
 * fixes everything in one pass.
 */
export function validateModel(configInput: unknown, projectInputs: readonly unknown[], options: ValidationOptions = {}): ResolvedSystem {
  const problems: Problem[] = [];
  const warnings: Problem[] = [];

  const parsedConfig = DeploymentConfigSchema.safeParse(configInput);
  if (!parsedConfig.success) problems.push(...shapeProblems("config", parsedConfig.error, configInput));

  const projects: Project[] = [];
  projectInputs.forEach((input, index) => {
    const id = (input as { id?: unknown })?.id;
    const prefix = `projects.${typeof id === "string" && id ? id : `[${index}]`}`;
    const parsed = ProjectSchema.safeParse(input);
    if (parsed.success) projects.push(parsed.data);
    else problems.push(...shapeProblems(prefix, parsed.error, input));
  });
  for (const id of duplicates(projects.map((p) => p.id))) problems.push({ path: "projects", message: `duplicate project id "${id}"` });

  for (const project of projects) {
    checkOrchestration(project, `projects.${project.id}`, problems);
    checkServices(project, `projects.${project.id}`, problems);
    checkJobs(project, `projects.${project.id}`, problems);
    checkServiceSafety(project, `projects.${project.id}`, problems);
  }

  let system: ResolvedSystem | undefined;
  if (parsedConfig.success) {
    const config = parsedConfig.data;
    const targetName = options.target ?? config.defaultTarget;
    // Projects that failed to parse still count as declared, so hosts naming them get no second, misleading error.
    const declaredIds = projectInputs.map((p) => (p as { id?: unknown })?.id).filter((id): id is string => typeof id === "string");
    checkDeploymentReferences(config, declaredIds, problems);
    checkDeploymentSafety(config, options.trustedHosts, problems);
    checkStateServers(config, problems);
    checkClusterReferences(config, problems);
    if (!config.targets[targetName])
      problems.push({ path: "target", message: unknownReference("target", targetName, Object.keys(config.targets)) });
    else {
      system = resolveSystem(config, projects, targetName, warnings, options.configDir);
      for (const host of system.hosts) {
        checkHost(system, host, problems, warnings);
        problems.push(...observabilityProblems(host));
        checkContainerNames(host, problems);
        checkMemoryBudget(host, problems);
        checkClusterServices(system, host, problems);
        checkClusterMemory(host, problems);
      }
    }
  }

  if (problems.length > 0 || !system) throw new ModelValidationError(problems);
  return system;
}
