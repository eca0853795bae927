// `diff`, `deploy` and `destroy` on one engine path: synthesize once in process, select the stacks and check
// their secrets (nothing runs when one is missing), plan them in parallel (saved plans), then show (diff) or
// apply exactly those plans in dependency order (deploy, destroy), with one live progress view on stderr.
import { InputError } from "../engine/args";
import { prepareStacks, PreparedStacks } from "../engine/prepare";
import { ProgressStream, ProgressView } from "../engine/progress";
import { dependencyOrder, SynthesizedStack } from "../engine/stacks";
import { withStateServers } from "../engine/state-server";
import { ChangeSet, compareChangeSets, stackChangeSet } from "../plan-preview/changeset";
import { fileConflicts } from "../plan-preview/conflicts";
import { renderComment } from "../plan-preview/render";
import { AppliedStack, applyAll, planAll, PlannedStack } from "./apply";
import { destroySelection, destroySummary, holdsGitHubWork } from "./destroy";
import { unhealthyReport } from "./health";
import { isDockerStack, preflight, volumesAtRisk } from "./preflight";
import { removeImports } from "../adopt/docker";
import { planRetirement, retire, Retirement, retirementText } from "./retire";

export type StacksCommand = "diff" | "deploy" | "destroy";

export interface StacksRunOptions {
  env: NodeJS.ProcessEnv;
  projectRoot: string;
  /** Synthesized output directory (cdktf.out). */
  outdir: string;
  projects?: readonly unknown[];
  /** Stack name patterns; none means every stack (for destroy: every stack but the *-github ones). */
  stacks: readonly string[];
  /** Stacks planned at once. */
  parallel: number;
  /** Resources the engine works on at once within a stack (default: the engine's 10). */
  parallelism?: number;
  /** How long to wait for a stack's state lock (default 60s). */
  lockTimeout?: string;
  /** destroy: go on without asking. */
  yes?: boolean;
  /** diff, deploy: also adopt objects named like the stacks' own that another tool made (e.g. a compose deployment). */
  adopt?: boolean;
  /** destroy: asks the person at the terminal; undefined when nobody can answer (not a TTY). */
  confirm?: (question: string) => Promise<boolean>;
  /** deploy: apply only when what the plans change equals this reviewed change set (CI's apply on merge). */
  reviewed?: ChangeSet;
  /** The diff (markdown). */
  stdout: (text: string) => void;
  /** Progress and reports. */
  stderr: ProgressStream;
}

const PLAN_FILE: Record<StacksCommand, string> = { diff: "diff.tfplan", deploy: "deploy.tfplan", destroy: "destroy.tfplan" };

export async function runStacks(command: StacksCommand, options: StacksRunOptions): Promise<number> {
  const note = (line: string) => options.stderr.write(`${line}\n`);
  const prepared = prepareStacks({
    env: options.env,
    projectRoot: options.projectRoot,
    outdir: options.outdir,
    projects: options.projects,
    stacks: options.stacks,
    select: command === "destroy" ? (all) => destroySelection(all, options.stacks, note) : undefined,
    requireBuildContexts: command !== "destroy",
    log: note,
  });
  return withStateServers(prepared.selected, prepared.env, note, () => planAndApply(command, prepared, options));
}

async function planAndApply(command: StacksCommand, prepared: PreparedStacks, options: StacksRunOptions): Promise<number> {
  const note = (line: string) => options.stderr.write(`${line}\n`);
  const order = dependencyOrder(prepared.selected);
  if (command !== "destroy") {
    await preflight(prepared.selected, { env: prepared.env, system: prepared.model, adopt: options.adopt === true, note });
  }
  const view = new ProgressView(
    (command === "destroy" ? [...order].reverse() : order).map((s) => s.name),
    command,
    options.stderr,
  );
  const context = {
    ...prepared,
    view,
    parallel: options.parallel,
    parallelism: options.parallelism,
    lockTimeout: options.lockTimeout,
    planFile: PLAN_FILE[command],
    destroy: command === "destroy",
    startStopped: command === "deploy",
  };
  try {
    // Destroy never deletes a *-github stack's work: a named one is retired (repository archived, the rest forgotten).
    const retiring = command === "destroy" ? order.filter(holdsGitHubWork) : [];
    const retirements = await Promise.all(
      retiring.map(async (stack) => {
        view.set(stack.name, "planning");
        const r = await planRetirement(stack, prepared.env, prepared.masker);
        view.set(stack.name, r.error ? "failed" : "planned", retirementText(r));
        return r;
      }),
    );
    const planned = await planAll(
      order.filter((s) => !retiring.includes(s)),
      context,
    ).finally(() => order.forEach(removeImports));
    if (command === "diff") {
      view.finish();
      return diff(planned, prepared, options);
    }
    if (command === "destroy" && !(await confirmDestroy(planned, retirements, view, options))) return 1;
    if (options.reviewed && !matchesReviewed(planned, options.reviewed, view, prepared, note)) return 1;
    if (command === "deploy") refuseDataLoss(planned, view);
    // Deploy: a stack after the stacks it depends on (a services stack after its host's observability stack).
    // Destroy: the other way round.
    const dependents = (stack: SynthesizedStack) => order.filter((s) => s.dependencies.includes(stack.name)).map((s) => s.name);
    const applied = await applyAll(planned, {
      ...context,
      phase: command === "deploy" ? "applying" : "destroying",
      waitsFor: command === "deploy" ? (s) => s.dependencies : dependents,
    });
    for (const r of retirements)
      if (r.archived.length + r.forgotten.length > 0) applied.push(await retire(r, { ...context, env: prepared.env }));
      else view.set(r.stack.name, "no changes", "nothing deployed");
    view.finish();
    report(applied, prepared, command, note);
    return applied.every((a) => a.result === "applied" || a.result === "no changes") ? 0 : 1;
  } finally {
    view.finish();
  }
}

/** A deploy never destroys a volume that holds data: it stops before applying anything. */
function refuseDataLoss(planned: readonly PlannedStack[], view: ProgressView): void {
  const atRisk = planned.flatMap((p) => (p.plan && isDockerStack(p.stack) ? volumesAtRisk(p.stack, p.plan.json) : []));
  if (atRisk.length === 0) return;
  view.finish();
  throw new InputError(
    [
      "deploy: refusing to destroy volumes that hold data; nothing was applied:",
      ...atRisk,
      "Make the model match the volume as it is (name, bind path), or move the data and remove the volume by hand.",
    ].join("\n"),
  );
}

function diff(planned: readonly PlannedStack[], { masker }: PreparedStacks, options: StacksRunOptions): number {
  const outcomes = planned.map((p) =>
    p.plan
      ? {
          stack: p.stack.name,
          planFile: p.plan.planFile,
          planSha256: p.plan.planSha256,
          json: p.plan.json,
          conflicts: fileConflicts(p.stack.dir, p.plan.json),
        }
      : { stack: p.stack.name, error: p.error },
  );
  const rendered = renderComment(outcomes, {
    masker,
    footer: (code) => `Exit code: ${code} (0 no changes, 2 changes, 1 error). \`just deploy\` plans again and applies.`,
  });
  const stopped = planned.flatMap((p) => [
    ...p.stopped.map((c) => `- \`${p.stack.name}\` · \`${c.address}\`: stopped out of band (${c.state}); a deploy starts it`),
    ...(p.rerun ?? []).map((c) => `- \`${p.stack.name}\` · \`${c.address}\`: job's last run failed (${c.state}); a deploy runs it again`),
  ]);
  options.stdout(stopped.length > 0 ? `${rendered.full}\n\n${stopped.join("\n")}\n` : rendered.full);
  return stopped.length > 0 && rendered.exitCode === 0 ? 2 : rendered.exitCode;
}

/** Whether the fresh plans change exactly what was reviewed; lists every difference when not. */
function matchesReviewed(
  planned: readonly PlannedStack[],
  reviewed: ChangeSet,
  view: ProgressView,
  { masker }: PreparedStacks,
  note: (line: string) => void,
): boolean {
  const current = { ...reviewed, stacks: planned.map((p) => stackChangeSet(p.stack.name, p.plan?.json, masker)) };
  const differences = compareChangeSets(reviewed, current);
  view.finish();
  if (differences.length === 0) {
    note(`deploy: the plans change exactly what was reviewed (${planned.length} stack(s)); applying`);
    return true;
  }
  note(`deploy: REFUSED: ${differences.length} difference(s) from the reviewed change set; nothing was applied:`);
  for (const d of differences) note(`  ${masker.text(d)}`);
  note("Run the plan preview again on the current main and review the new plan.");
  for (const p of planned.filter((x) => x.error)) note(`\n${p.stack.name}:\n${p.error}`);
  return false;
}

async function confirmDestroy(
  planned: readonly PlannedStack[],
  retirements: readonly Retirement[],
  view: ProgressView,
  options: StacksRunOptions,
): Promise<boolean> {
  view.finish();
  const { lines, resources } = destroySummary(planned, retirements);
  const note = (line: string) => options.stderr.write(`${line}\n`);
  for (const line of lines) note(line);
  if (planned.some((p) => p.error) || retirements.some((r) => r.error))
    throw new InputError(
      `a stack could not be planned (above); nothing was destroyed${retirements
        .filter((r) => r.error)
        .map((r) => `\n${r.stack.name}: ${r.error}`)
        .join("")}`,
    );
  if (resources === 0) {
    note("destroy: nothing to destroy");
    return true;
  }
  if (options.yes) return true;
  if (!options.confirm)
    throw new InputError("refusing to destroy without confirmation: not a terminal; pass --yes to destroy without asking (CI)");
  if (await options.confirm(`Destroy these ${resources} resources? Type "yes" to go on: `)) return true;
  note("destroy: not confirmed; nothing was destroyed");
  return false;
}

function report(applied: readonly AppliedStack[], { masker }: PreparedStacks, command: StacksCommand, note: (line: string) => void): void {
  for (const a of applied) {
    if (a.result === "skipped") note(`\n${command}: ${a.stack.name} skipped: ${a.message}`);
    if (a.result !== "failed" && a.result !== "unplanned") continue;
    note(`\n${command}: ${a.stack.name} FAILED${a.result === "unplanned" ? " to plan" : ""}\n${a.message}`);
    if (/name already exists on this account/.test(a.message) && a.stack.name.endsWith("-github"))
      note(
        `${command}: the repository already exists: run \`just adopt ${a.stack.name.replace(/-github$/, "")}\`, confirm the map, and deploy again (nothing was created)`,
      );
    // A health gate fails during apply: then the containers' own state and logs say why.
    if (command === "deploy" && a.result === "failed") for (const line of unhealthyReport(a.stack, masker)) note(line);
  }
}
