// The secrets each selected stack needs, read from its synthesized config: its sensitive variables (fed from the
// environment variable of the same name), for stacks on the integrations/github provider GITHUB_TOKEN, and for
// stacks whose state is on a state server PGPASSWORD.
// Checked before anything runs: every missing or too short secret is reported at once.
import { spawnSync } from "node:child_process";
import { InputError } from "./args";
import { PG_PASSWORD_VARIABLE } from "../../constructs/model/secrets";
import type { SynthesizedStack } from "./stacks";
import { stateServerOf } from "./state-server";
import { readStackConfig } from "./variables";

/**
 * Shorter secrets are refused: a short value (`grafana`) turns up in ordinary text, where masking it would
 * reveal it (`dgx-obs-(sensitive)`).
 */
export const MIN_SECRET_LENGTH = 12;

export const GITHUB_PROVIDER = "integrations/github";

export interface StackSecret {
  /** Environment variable that holds it. */
  name: string;
  /** What it is for (the variable's description). */
  purpose: string;
  /** Stacks that need it. */
  stacks: string[];
}

const STATE_PASSWORD_PURPOSE = 'Password of the state server that holds the stack\'s state (README "Shared state")';

const GITHUB_TOKEN_PURPOSE = "Token of the integrations/github provider (the *-github stacks); or log in with `gh auth login`";

export const isGitHubStack = (stack: Pick<SynthesizedStack, "dir">) =>
  Object.values(readStackConfig(stack.dir).terraform?.required_providers ?? {}).some((p) => p.source === GITHUB_PROVIDER);

/** Every secret the stacks need, once per environment variable, in stack order. */
export function secretsOf(stacks: readonly SynthesizedStack[]): StackSecret[] {
  const byName = new Map<string, StackSecret>();
  const add = (name: string, purpose: string, stack: string) => {
    const known = byName.get(name);
    if (known) known.stacks.push(stack);
    else byName.set(name, { name, purpose, stacks: [stack] });
  };
  for (const stack of stacks) {
    for (const [name, v] of Object.entries(readStackConfig(stack.dir).variable ?? {}))
      if (v.sensitive) add(name, v.description ?? "a sensitive variable of the stack", stack.name);
    if (isGitHubStack(stack)) add("GITHUB_TOKEN", GITHUB_TOKEN_PURPOSE, stack.name);
    if (stateServerOf(stack)) add(PG_PASSWORD_VARIABLE, STATE_PASSWORD_PURPOSE, stack.name);
  }
  return [...byName.values()];
}

/** The GitHub CLI's token, as the github provider itself would find it (GH_PATH names the gh binary). */
export function ghAuthToken(env: NodeJS.ProcessEnv): string | undefined {
  const r = spawnSync(env.GH_PATH || "gh", ["auth", "token"], { encoding: "utf8", env, timeout: 10_000 });
  return r.status === 0 && r.stdout.trim() ? r.stdout.trim() : undefined;
}

export interface SecretProblem {
  secret: StackSecret;
  problem: string;
}

export class SecretsError extends InputError {
  constructor(readonly problems: readonly SecretProblem[]) {
    const lines = problems.map(({ secret, problem }) => `  ${secret.name} (${secret.stacks.join(", ")}): ${problem}. ${secret.purpose}`);
    super(
      `${problems.length} secret${problems.length === 1 ? "" : "s"} of the selected stacks ${problems.length === 1 ? "is" : "are"} missing or too short; nothing was run:\n` +
        `${lines.join("\n")}\n` +
        `Set each in the environment (export NAME=...; at least ${MIN_SECRET_LENGTH} characters), or select other stacks.`,
    );
  }
}

/**
 * Checks every secret of the stacks in `env` (as NAME or TF_VAR_NAME) and returns what the engine additionally
 * needs: GITHUB_TOKEN from `gh auth token` when the environment has none. Throws SecretsError listing every
 * missing or too short secret, never their values.
 */
export function resolveSecrets(stacks: readonly SynthesizedStack[], env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const found: NodeJS.ProcessEnv = {};
  const problems: SecretProblem[] = [];
  for (const secret of secretsOf(stacks)) {
    let value = env[secret.name] || env[`TF_VAR_${secret.name}`];
    if (!value && secret.name === "GITHUB_TOKEN") value = found.GITHUB_TOKEN = ghAuthToken(env);
    if (!value)
      problems.push({ secret, problem: secret.name === "GITHUB_TOKEN" ? "is not set and 'gh auth token' gave none" : "is not set" });
    else if (value.length < MIN_SECRET_LENGTH)
      problems.push({
        secret,
        problem: `has ${value.length} characters, fewer than ${MIN_SECRET_LENGTH} (a short secret cannot be masked safely)`,
      });
  }
  if (problems.length > 0) throw new SecretsError(problems);
  return found;
}
