import type { ResolvedSystem } from "./resolved";

// The one definition of what looks like a secret: validation refuses literal secrets with it, and the tools mask
// attributes, map keys and `KEY=value` pairs whose name matches it.
const SECRET_NAME = /(passw(or)?d|passphrase|secrets?|tokens?|(api|private|secret|access|signing|encryption)_?keys?|credentials?)$/i;
const SECRET_VALUE = /^(ghp_|gho_|ghs_|github_pat_|glpat-|sk-|xox[bp]-)[A-Za-z0-9_-]{8,}/;

/**
 * A name holds a secret when it ENDS with a secret word: GF_SECURITY_ADMIN_PASSWORD, API_TOKEN, client_secret,
 * private_key. A name that only mentions one names or describes a secret (secret_name = "DEPLOY_TOKEN",
 * secret_scanning, token_url): its value is shown.
 */
export const isSecretName = (name: string): boolean => SECRET_NAME.test(name.replace(/-/g, "_"));

/** A value shaped like a well-known credential (GitHub, GitLab, OpenAI, Slack tokens). */
export const looksLikeSecretValue = (value: string): boolean => SECRET_VALUE.test(value);

/** The environment variable the `*-github` stacks' provider reads its token from. */
export const GITHUB_TOKEN_VARIABLE = "GITHUB_TOKEN";

/** The environment variable the `pg` state backend reads its password from. */
export const PG_PASSWORD_VARIABLE = "PGPASSWORD";

/** An environment variable a deploy reads a secret from, and what it is for. */
export interface SecretSource {
  /** Environment variable on the deploying machine (TF_VAR_<name> works too). */
  name: string;
  /** What it is for, e.g. "GF_SECURITY_ADMIN_PASSWORD of local-obs-grafana". */
  purpose: string;
  /** Which part of the system reads it: "host:<host>", "project:<id>", "repository:<id>", "target:<name>". */
  usedBy: string[];
}

/** Every secret the target reads from the environment, by variable name, in name order. */
export function secretSources(system: Pick<ResolvedSystem, "hosts" | "projects" | "target" | "targetName">): SecretSource[] {
  const byName = new Map<string, SecretSource>();
  const add = (name: string, purpose: string, user: string) => {
    const source = byName.get(name) ?? { name, purpose: "", usedBy: [] };
    source.purpose = source.purpose ? `${source.purpose}; ${purpose}` : purpose;
    if (!source.usedBy.includes(user)) source.usedBy.push(user);
    byName.set(name, source);
  };
  for (const host of system.hosts) {
    for (const service of Object.values(host.observability.services))
      for (const secret of service.spec.secretEnv) add(secret.from, `${secret.name} of ${service.containerName}`, `host:${host.name}`);
    for (const placed of host.projects)
      for (const service of Object.values(placed.services))
        for (const secret of service.spec.secretEnv)
          add(secret.from, `${secret.name} of ${service.containerName}`, `project:${placed.project.id}`);
  }
  for (const project of system.projects) {
    add(GITHUB_TOKEN_VARIABLE, `GitHub token for ${project.repository.name} (or \`gh auth token\`)`, `repository:${project.id}`);
    for (const secret of project.repository.secrets)
      add(secret.from, `Actions secret ${secret.name} of ${project.repository.name}`, `repository:${project.id}`);
  }
  const state = system.target.state;
  if (state.backend === "pg")
    add(
      PG_PASSWORD_VARIABLE,
      state.server
        ? `password of the state server on ${state.server} (set once, when it is first deployed)`
        : "password of the pg state backend",
      `target:${system.targetName}`,
    );
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}
