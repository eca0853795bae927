// The trusted list: the only endpoints a plan preview may reach, kept by the maintainers where a pull request
// cannot change it (the protected Environment's variable SPARKY_TRUSTED_ENDPOINTS), never read from the PR's
// checkout. `node bin/run.js tools/ci-guard.ts trusted-list` prints it for the current configuration.
import { z } from "zod";
import { InputError } from "../engine/args";
import type { SynthesizedStack } from "../engine/stacks";
import { readStackConfig } from "../engine/variables";

const DockerHost = z
  .object({
    host: z.string().min(1).describe("The docker provider's `host`, e.g. ssh://preview@dgx-spark"),
    sshOpts: z.array(z.string()).default([]).describe("Its `ssh_opts`, exactly as synthesized"),
  })
  .strict();

export const TrustedListSchema = z
  .object({
    dockerHosts: z.array(DockerHost).default([]).describe("Docker engines a preview may plan against"),
    githubBaseUrls: z.array(z.string().url()).default([]).describe("GitHub API bases besides GitHub.com (an unset base_url)"),
    githubRepositories: z
      .array(z.string().regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, "owner/name"))
      .default([])
      .describe("Repositories (owner/name) whose issues and Actions variables a preview may read through the REST API"),
    backends: z
      .array(z.record(z.string(), z.record(z.string(), z.unknown())))
      .min(1)
      .describe(
        'State backends, as synthesized without their per-stack part: { "pg": { "conn_str": ... } } or { "local": { "directory": ".state" } }',
      ),
  })
  .strict();

export type TrustedList = z.infer<typeof TrustedListSchema>;

/** The environment variable the workflows read the list from (an Environment variable, never a file). */
export const TRUSTED_LIST_VARIABLE = "SPARKY_TRUSTED_ENDPOINTS";

export function parseTrustedList(text: string | undefined): TrustedList {
  if (!text?.trim())
    throw new InputError(
      `${TRUSTED_LIST_VARIABLE} is not set: set it as a variable of the protected Environment (print it with \`node bin/run.js tools/ci-guard.ts trusted-list\`)`,
    );
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new InputError(`${TRUSTED_LIST_VARIABLE} is not JSON: ${(e as Error).message}`);
  }
  const parsed = TrustedListSchema.safeParse(json);
  if (!parsed.success)
    throw new InputError(
      `${TRUSTED_LIST_VARIABLE} is not a trusted list:\n${parsed.error.issues.map((i) => `  ${i.path.join(".") || "(root)"}: ${i.message}`).join("\n")}`,
    );
  return parsed.data;
}

/** Attributes of a backend block that differ per stack; the rest must equal a trusted entry. */
export const PER_STACK_BACKEND_ATTRIBUTES: Record<string, readonly string[]> = { pg: ["schema_name"], local: ["path"] };

/**
 * The list a maintainer trusts for stacks synthesized from trusted code (main): their docker hosts, GitHub API
 * bases, repositories and backends. Local backends are listed by `directory`, the state directory their paths point into.
 */
export function trustedListOf(
  stacks: readonly SynthesizedStack[],
  stateDirectoryOf: (stack: SynthesizedStack, path: string) => string,
): TrustedList {
  const list: TrustedList = { dockerHosts: [], githubBaseUrls: [], githubRepositories: [], backends: [] };
  const add = <T>(into: T[], item: T) => {
    if (!into.some((x) => JSON.stringify(x) === JSON.stringify(item))) into.push(item);
  };
  for (const stack of stacks) {
    const config = readStackConfig(stack.dir);
    for (const docker of config.provider?.docker ?? [])
      add(list.dockerHosts, { host: String(docker.host ?? ""), sshOpts: (docker.ssh_opts as string[] | undefined) ?? [] });
    for (const github of config.provider?.github ?? []) {
      if (typeof github.base_url === "string") add(list.githubBaseUrls, github.base_url);
      for (const repository of Object.values(config.resource?.github_repository ?? {}))
        if (typeof github.owner === "string" && typeof repository.name === "string")
          add(list.githubRepositories, `${github.owner}/${repository.name}`);
    }
    for (const [type, block] of Object.entries((config.terraform?.backend ?? {}) as Record<string, Record<string, unknown>>)) {
      const shared = Object.fromEntries(Object.entries(block).filter(([k]) => !(PER_STACK_BACKEND_ATTRIBUTES[type] ?? []).includes(k)));
      if (type === "local" && typeof block.path === "string") shared.directory = stateDirectoryOf(stack, block.path);
      add(list.backends, { [type]: shared });
    }
  }
  return list;
}
