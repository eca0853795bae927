import * as fs from "node:fs";
import * as path from "node:path";
import { DEFAULT_CONFIG } from "../config/default-config";
import { blueprints } from "../blueprints";
import type { ResolvedSystem } from "../constructs/model";
import { validateModel, ModelValidationError } from "../constructs/model/validate";

export const CONFIG_FILE = "sparky.config.json";

export interface ConfigSource {
  /** Where the config came from: a file path, or "embedded default". */
  origin: string;
  /** Where its relative paths (project sources) start: the config file's directory, else the project root. */
  dir: string;
  config: unknown;
}

/**
 * The deployment config: $SPARKY_CONFIG, else ./sparky.config.json, else the embedded default; then the
 * documented environment overrides (README "Configuration").
 */
export function readDeploymentConfig(env: NodeJS.ProcessEnv, projectRoot: string): ConfigSource {
  const file = env.SPARKY_CONFIG ? path.resolve(projectRoot, env.SPARKY_CONFIG) : path.join(projectRoot, CONFIG_FILE);
  let source: ConfigSource;
  if (fs.existsSync(file)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (error) {
      throw new ModelValidationError([{ path: file, message: `not valid JSON: ${(error as Error).message}` }]);
    }
    source = { origin: file, dir: path.dirname(file), config: parsed };
  } else if (env.SPARKY_CONFIG) {
    throw new ModelValidationError([{ path: "SPARKY_CONFIG", message: `config file ${file} does not exist` }]);
  } else {
    source = { origin: "embedded default", dir: projectRoot, config: structuredClone(DEFAULT_CONFIG) };
  }
  return { ...source, config: applyEnvironmentOverrides(source.config, env) };
}

function applyEnvironmentOverrides(input: unknown, env: NodeJS.ProcessEnv): unknown {
  if (!input || typeof input !== "object") return input;
  const config = input as { github?: Record<string, unknown>; hosts?: Record<string, Record<string, unknown>> };
  if (env.SPARKY_GITHUB_OWNER) config.github = { ...config.github, owner: env.SPARKY_GITHUB_OWNER };
  if (env.SPARKY_GITHUB_BASE_URL) config.github = { ...config.github, baseUrl: env.SPARKY_GITHUB_BASE_URL };
  for (const [name, host] of Object.entries(config.hosts ?? {})) {
    const override = env[`SPARKY_DOCKER_HOST_${name.toUpperCase().replace(/-/g, "_")}`];
    if (override && host && typeof host === "object") host.dockerHost = override;
  }
  return config;
}

/** The projects to synthesize: the blueprints, or the JSON array of projects in $SPARKY_PROJECTS. */
export function readProjects(env: NodeJS.ProcessEnv, projectRoot: string): readonly unknown[] {
  if (!env.SPARKY_PROJECTS) return blueprints;
  const file = path.resolve(projectRoot, env.SPARKY_PROJECTS);
  try {
    const parsed: unknown = JSON.parse(fs.readFileSync(file, "utf8"));
    if (!Array.isArray(parsed)) throw new Error("expected a JSON array of projects");
    return parsed;
  } catch (error) {
    throw new ModelValidationError([{ path: "SPARKY_PROJECTS", message: `${file}: ${(error as Error).message}` }]);
  }
}

/** Reads, overrides, validates and resolves everything the app synthesizes. Throws ModelValidationError with every problem. */
export function loadModel(
  env: NodeJS.ProcessEnv,
  projectRoot: string,
  projects: readonly unknown[] = readProjects(env, projectRoot),
): ResolvedSystem & { origin: string } {
  const source = readDeploymentConfig(env, projectRoot);
  const trusted = env.SPARKY_TRUSTED_HOSTS?.split(/[,\s]+/).filter(Boolean);
  const system = validateModel(source.config, projects, {
    target: env.SPARKY_TARGET || undefined,
    trustedHosts: trusted,
    configDir: source.dir,
  });
  return { ...system, origin: source.origin };
}
