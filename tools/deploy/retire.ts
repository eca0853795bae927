// How an explicitly named `*-github` stack is destroyed: its repository is archived, never deleted, and everything
// in it (labels, milestones, issues, files, the ruleset, variables) is forgotten: dropped from state, left in
// GitHub. The stack's config is replaced by one that keeps only the repository and has a `removed` block with
// `destroy = false` for every other resource in state; applying it forgets them. Then a destroy of what is left
// (the repository, with archive_on_destroy in state) archives it. (A plain `tofu destroy` ignores `removed`
// blocks, and prevent_destroy refuses it: see constructs/github/ownership.ts.)
import * as fs from "node:fs";
import * as path from "node:path";
import type { Masker } from "../engine/mask";
import type { ProgressView } from "../engine/progress";
import { ensureInitialized, runEngine, SynthesizedStack } from "../engine/stacks";
import type { AppliedStack } from "./apply";

const REPOSITORY = "github_repository";

/** How the summary names what is forgotten, in the order it lists them. */
const KIND_NAMES: [type: string, one: string, many: string][] = [
  ["github_issue_label", "label", "labels"],
  ["github_repository_milestone", "milestone", "milestones"],
  ["github_issue", "issue", "issues"],
  ["github_repository_file", "file", "files"],
  ["github_repository_ruleset", "ruleset", "rulesets"],
  ["github_branch_default", "default-branch setting", "default-branch settings"],
  ["github_branch", "branch", "branches"],
  ["github_actions_variable", "Actions variable", "Actions variables"],
  ["github_actions_secret", "Actions secret", "Actions secrets"],
];

export interface Retirement {
  stack: SynthesizedStack;
  /** Repository resources in state (archived). */
  archived: string[];
  /** Every other resource in state (forgotten). */
  forgotten: string[];
  error?: string;
}

/** Managed resource addresses in the stack's state (`state list`; none when nothing was deployed). */
async function stateAddresses(stack: SynthesizedStack, env: NodeJS.ProcessEnv): Promise<string[]> {
  await ensureInitialized(stack.dir, { env });
  const listed = await runEngine(stack.dir, ["state", "list"], { env });
  if (listed.code !== 0) {
    if (/No state file was found|does not have any resources|No state/i.test(listed.stderr)) return [];
    throw new Error(`state list failed for ${stack.name}:\n${listed.stderr || listed.stdout}`);
  }
  return listed.stdout
    .split("\n")
    .map((l) => l.trim())
    .filter((a) => a && !a.startsWith("data."));
}

export async function planRetirement(stack: SynthesizedStack, env: NodeJS.ProcessEnv, masker: Masker): Promise<Retirement> {
  try {
    const addresses = await stateAddresses(stack, env);
    return {
      stack,
      archived: addresses.filter((a) => a.startsWith(`${REPOSITORY}.`)),
      forgotten: addresses.filter((a) => !a.startsWith(`${REPOSITORY}.`)),
    };
  } catch (e) {
    return { stack, archived: [], forgotten: [], error: masker.text((e as Error).message) };
  }
}

/** "archives github_repository.repository; forgets 22 labels, 6 milestones, 3 issues, 18 files". */
export function retirementText(r: Retirement): string {
  if (r.error) return "could not be read";
  if (r.archived.length + r.forgotten.length === 0) return "nothing deployed";
  const typeOf = (address: string) => address.split(".")[0];
  const known = KIND_NAMES.map(([type, one, many]) => [r.forgotten.filter((a) => typeOf(a) === type).length, one, many] as const);
  const others = r.forgotten.filter((a) => !KIND_NAMES.some(([type]) => typeOf(a) === type)).length;
  const forgotten = [...known, [others, "other resource", "other resources"] as const]
    .filter(([n]) => n > 0)
    .map(([n, one, many]) => `${n} ${n === 1 ? one : many}`)
    .join(", ");
  return [
    r.archived.length ? `archives ${r.archived.join(", ")} (never deleted)` : "",
    forgotten ? `forgets ${forgotten} (left in GitHub)` : "",
  ]
    .filter(Boolean)
    .join("; ");
}

type Config = Record<string, any>;

/** The stack's config reduced to its repository (archived on destroy), with every other resource forgotten. */
export function retireConfig(config: Config, forgotten: readonly string[]): Config {
  const repository = config.resource?.[REPOSITORY] ?? {};
  const kept: Record<string, Config> = {};
  for (const [name, block] of Object.entries(repository as Record<string, Config>)) {
    const { lifecycle, ...rest } = block;
    // Only archive_on_destroy may change on the way out: nothing else of a person's repository is touched.
    const frozen = Object.keys(rest).filter((k) => !["//", "archive_on_destroy", "depends_on", "provider"].includes(k));
    kept[name] = { ...rest, archive_on_destroy: true, lifecycle: { ...lifecycle, prevent_destroy: false, ignore_changes: frozen } };
  }
  const from = [...new Set(forgotten.map((a) => a.replace(/\[[^\]]*\]$/, "")))].sort();
  return {
    ...(config["//"] ? { "//": config["//"] } : {}),
    terraform: config.terraform,
    provider: config.provider,
    ...(config.data?.github_user ? { data: { github_user: config.data.github_user } } : {}),
    resource: { [REPOSITORY]: kept },
    ...(from.length ? { removed: from.map((f) => ({ from: f, lifecycle: { destroy: false } })) } : {}),
  };
}

async function step(stack: SynthesizedStack, args: string[], env: NodeJS.ProcessEnv, what: string): Promise<void> {
  const r = await runEngine(stack.dir, [...args, "-input=false", "-no-color"], { env, timeoutMs: 30 * 60_000 });
  if (r.code !== 0) throw new Error(`${what} failed:\n${r.stderr || r.stdout.slice(-4000)}`);
}

/** Forgets everything but the repository, checks the repository will be archived, then destroys (archives) it. */
export async function retire(
  r: Retirement,
  options: { env: NodeJS.ProcessEnv; masker: Masker; view: ProgressView; parallelism?: number },
): Promise<AppliedStack> {
  const { stack } = r;
  const { env, view } = options;
  const parallelism = options.parallelism ? [`-parallelism=${options.parallelism}`] : [];
  try {
    const file = path.join(stack.dir, "cdk.tf.json");
    fs.writeFileSync(file, JSON.stringify(retireConfig(JSON.parse(fs.readFileSync(file, "utf8")), r.forgotten), null, 2));
    view.set(stack.name, "destroying", `forgetting ${r.forgotten.length} resources`);
    await step(stack, ["apply", "-auto-approve", "-lock-timeout=60s", ...parallelism], env, "forgetting");
    const shown = await runEngine(stack.dir, ["show", "-json"], { env });
    const state = JSON.parse(shown.stdout || "{}") as {
      values?: { root_module?: { resources?: { type: string; address: string; values?: Config }[] } };
    };
    const unsafe = (state.values?.root_module?.resources ?? []).filter(
      (res) => res.type === REPOSITORY && res.values?.archive_on_destroy !== true,
    );
    if (unsafe.length > 0)
      throw new Error(`refusing to destroy: ${unsafe.map((u) => u.address).join(", ")} would be deleted, not archived`);
    view.set(stack.name, "destroying", `archiving ${r.archived.join(", ") || "nothing"}`);
    await step(stack, ["destroy", "-auto-approve", "-lock-timeout=60s", ...parallelism], env, "archiving");
    const message = retirementText(r);
    view.set(stack.name, "done", message);
    return { stack, result: "applied", message };
  } catch (e) {
    const message = options.masker.text((e as Error).message);
    view.set(stack.name, "failed", message.split("\n")[0]);
    return { stack, result: "failed", message };
  }
}
