// The two halves every stack command is made of: plan the selected stacks in parallel (saved plans), then apply
// those saved plans in dependency order, each stack as soon as the stacks it waits for are done, with the
// engine's JSON events feeding the progress view.
import { containersOf, docker, failedJobs, servicesOf, stackEndpoint, StoppedContainer, stoppedContainers } from "../engine/docker";
import { awaitSwarmJobs, failedSwarmJobs, swarmJobsOf } from "../engine/swarm-tasks";
import type { Masker } from "../engine/mask";
import type { Phase, ProgressView } from "../engine/progress";
import { Accepted, liveContainers, planKnowingState, readLiveObjects, recordAfterApply, recordAgreement } from "../engine/fingerprint";
import { diagnosticText, engineEvent, forEachBounded, planStack, runEngine, StackPlan, SynthesizedStack } from "../engine/stacks";
import { DEFAULT_LOCK_TIMEOUT, stateLockedMessage } from "../engine/state-lock";
import { summarizePlan } from "../plan-preview/summary";

export interface PlannedStack {
  stack: SynthesizedStack;
  plan?: StackPlan;
  /** Containers found stopped and left out of the plan (a diff reports them; a deploy starts them first). */
  stopped: StoppedContainer[];
  /** One-shot jobs whose last run failed, planned replaced: the apply runs them again. */
  rerun?: StoppedContainer[];
  /** Why planning failed (masked). */
  error?: string;
  hasChanges: boolean;
}

/** Limit of the wait for a swarm job's run (a model pull may take long). */
const SWARM_JOB_TIMEOUT_MS = 30 * 60_000;

/**
 * A swarm job's run is not the apply's (3.6.2 converges only on running tasks): the deploy awaits the stack's jobs
 * after it, and returns those whose run did not complete (run.ts then shows their state and last log lines).
 */
async function awaitJobs(stack: SynthesizedStack, view: ProgressView): Promise<string[]> {
  const jobs = [...swarmJobsOf(stack).values()];
  if (jobs.length === 0) return [];
  view.set(stack.name, "waiting for jobs", jobs.join(", "));
  return (await awaitSwarmJobs(stackEndpoint(stack), jobs, SWARM_JOB_TIMEOUT_MS)).map((s) => s.name);
}

const firstLine = (text: string) =>
  text
    .trim()
    .split("\n")
    .find((l) => l.trim() && !/^plan failed for/.test(l))
    ?.trim() ?? text.trim();

/** Saved plans (`planFile` in each stack directory) of every stack, at most `parallel` at a time. */
export async function planAll(
  stacks: readonly SynthesizedStack[],
  options: {
    env: NodeJS.ProcessEnv;
    masker: Masker;
    view: ProgressView;
    parallel: number;
    planFile: string;
    destroy?: boolean;
    /** Start containers found stopped before planning (deploy), instead of leaving them out (diff). */
    startStopped?: boolean;
    parallelism?: number;
    lockTimeout?: string;
    /** Differences the reviewed drift ignore list accepts: no reason to re-read (see fingerprint.ts). */
    accepted?: Accepted;
  },
): Promise<PlannedStack[]> {
  const { view, masker } = options;
  const stoppedBy = new Map<string, StoppedContainer[]>();
  const rerunBy = new Map<string, StoppedContainer[]>();
  const notes = new Map<string, string>();
  const settled = await forEachBounded(stacks, options.parallel, async (stack) => {
    view.set(stack.name, "planning");
    const planOptions = {
      env: options.env,
      planFile: options.planFile,
      destroy: options.destroy,
      parallelism: options.parallelism,
      lockTimeout: options.lockTimeout,
    };
    // A destroy reads every object it removes; a diff or deploy may skip the refresh when nothing changed.
    if (options.destroy) return planStack(stack, planOptions);
    // One read of the stack's live objects serves both: which containers are stopped, and the fingerprint.
    let live = await readLiveObjects(stack).catch(() => undefined);
    // Refreshing a stopped container removes it (kreuzwerker/docker 3.6.2): a deploy starts it as it is (its
    // configuration is the code's), a diff leaves it out of the plan and reports it.
    let stopped = stoppedContainers(stack, live && liveContainers(live));
    if (options.startStopped && stopped.length > 0) {
      for (const c of stopped) if (docker(stack, ["start", c.name]) === undefined) throw new Error(`docker start ${c.name} failed`);
      stopped = [];
      live = await readLiveObjects(stack).catch(() => undefined);
    }
    stoppedBy.set(stack.name, stopped);
    // A failed job keeps failing every plan that keeps it (its postcondition): plan it replaced, which runs it again.
    const failed = [...failedJobs(stack, live && liveContainers(live)), ...failedSwarmJobs(stack)];
    rerunBy.set(stack.name, failed);
    const known = await planKnowingState(
      stack,
      { ...planOptions, exclude: stopped.map((c) => c.address), replace: failed.map((c) => c.address) },
      { accepted: options.accepted, live },
    );
    if (!known.refreshed) notes.set(stack.name, known.planned ? UNREFRESHED_NOTE : UNPLANNED_NOTE);
    return known.plan;
  });
  return settled.map((r, i) => {
    const stack = stacks[i];
    if (r.status === "rejected") {
      const error = masker.text(r.reason instanceof Error ? r.reason.message : String(r.reason));
      view.set(stack.name, "failed", firstLine(error));
      return { stack, error, hasChanges: false, stopped: [] };
    }
    const summary = summarizePlan(r.value.json);
    const c = summary.counts;
    const stopped = stoppedBy.get(stack.name) ?? [];
    const rerun = rerunBy.get(stack.name) ?? [];
    if (!summary.hasChanges && stopped.length === 0) view.set(stack.name, "no changes", notes.get(stack.name));
    else
      view.set(
        stack.name,
        "planned",
        [
          `${c.add + c.replace} to add, ${c.change} to change, ${c.destroy + c.replace} to destroy${c.close ? `, ${c.close} to close` : ""}`,
          ...stopped.map((s) => `${s.name} ${s.state}`),
          ...rerun.map((s) => `job ${s.name} ${s.state}: runs again`),
        ].join("; "),
      );
    return { stack, plan: r.value, hasChanges: summary.hasChanges, stopped, rerun };
  });
}

/** Shown when a stack's plan skipped the refresh (see tools/engine/fingerprint.ts). */
export const UNREFRESHED_NOTE = "objects and state as at the last deploy; not re-read";
/** Shown when no plan was made: the same plan over the same objects and state changed nothing last time. */
export const UNPLANNED_NOTE = "objects, state and code as at the last plan, which changed nothing; not planned again";

export interface AppliedStack {
  stack: SynthesizedStack;
  /** "unplanned": its plan failed, so nothing was applied. */
  result: "applied" | "no changes" | "unplanned" | "failed" | "skipped";
  /** The engine's summary line, the failure (masked), or why it was skipped. */
  message: string;
}

/**
 * Applies the saved plans. A stack starts once every stack named by `waitsFor` (among these) has finished;
 * when one of them failed or was skipped, it is skipped. Independent stacks run side by side.
 */
export async function applyAll(
  planned: readonly PlannedStack[],
  options: {
    env: NodeJS.ProcessEnv;
    masker: Masker;
    view: ProgressView;
    waitsFor: (stack: SynthesizedStack) => readonly string[];
    phase: Extract<Phase, "applying" | "destroying">;
    parallelism?: number;
    lockTimeout?: string;
  },
): Promise<AppliedStack[]> {
  const { view } = options;
  const results = new Map<string, Promise<AppliedStack>>();
  const run = async (p: PlannedStack): Promise<AppliedStack> => {
    const { stack } = p;
    if (p.error || !p.plan) return { stack, result: "unplanned", message: p.error ?? "no plan" };
    const waits = options.waitsFor(stack).filter((name) => results.has(name));
    if (waits.length > 0) {
      if (p.hasChanges) view.set(stack.name, "waiting for dependencies", waits.join(", "));
      const blocked = (await Promise.all(waits.map((name) => results.get(name)!))).filter(
        (r) => r.result !== "applied" && r.result !== "no changes",
      );
      if (blocked.length > 0) {
        const message = `${blocked.map((b) => b.stack.name).join(", ")} did not ${options.phase === "applying" ? "deploy" : "get destroyed"}`;
        view.set(stack.name, "skipped", message);
        return { stack, result: "skipped", message };
      }
    }
    if (!p.hasChanges) {
      view.set(stack.name, "no changes");
      return { stack, result: "no changes", message: "no changes" };
    }
    return applyPlan(stack, p.plan, options);
  };
  // Each run starts on a later tick, when the promise of every stack it may wait for is in the map.
  for (const p of planned)
    results.set(
      p.stack.name,
      Promise.resolve().then(() => run(p)),
    );
  return Promise.all(planned.map((p) => results.get(p.stack.name)!));
}

async function applyPlan(
  stack: SynthesizedStack,
  plan: StackPlan,
  options: {
    env: NodeJS.ProcessEnv;
    masker: Masker;
    view: ProgressView;
    phase: "applying" | "destroying";
    parallelism?: number;
    lockTimeout?: string;
  },
): Promise<AppliedStack> {
  const { view, masker } = options;
  // Containers the docker provider waits on until their healthcheck passes (`wait = true`), and swarm services it
  // waits on until every task is running, which Swarm reports only once the task is healthy (`converge_config`).
  const waited = new Map(
    [...containersOf(stack)]
      .filter(([, c]) => c.config.wait === true)
      .concat([...servicesOf(stack)].filter(([, s]) => s.config.converge_config !== undefined))
      .map(([address, c]) => [address, c.name]),
  );
  const running = new Set<string>();
  const errors: string[] = [];
  let summary = "";
  let done = 0;
  const total = (plan.json.resource_changes ?? []).filter((c) => !c.change.actions.every((a) => a === "no-op" || a === "read")).length;
  const show = () => {
    const health = [...running].filter((a) => waited.has(a)).map((a) => waited.get(a)!);
    if (options.phase === "applying" && health.length > 0 && health.length === running.size)
      view.set(stack.name, "waiting for health", health.join(", "));
    else view.set(stack.name, options.phase, `${done}/${total} resources`);
  };
  show();
  const onLine = (line: string) => {
    const event = engineEvent(line);
    if (!event) return;
    const address = event.hook?.resource?.addr;
    const error = diagnosticText(event);
    if (event.type === "apply_start" && address) running.add(address);
    else if ((event.type === "apply_complete" || event.type === "apply_errored") && address) {
      running.delete(address);
      done++;
    } else if (error) errors.push(error);
    else if (event.type === "change_summary") summary = event["@message"] ?? "";
    else return;
    show();
  };
  if (!plan.planFile) throw new Error(`${stack.name}: no saved plan to apply`);
  const parallelism = options.parallelism ? [`-parallelism=${options.parallelism}`] : [];
  recordAgreement(stack, undefined); // until the apply is through, state and reality may differ
  const lockTimeout = options.lockTimeout ?? DEFAULT_LOCK_TIMEOUT;
  const result = await runEngine(
    stack.dir,
    ["apply", "-json", "-input=false", `-lock-timeout=${lockTimeout}`, ...parallelism, plan.planFile],
    {
      env: options.env,
      onLine,
      timeoutMs: 60 * 60_000,
    },
  );
  if (result.code === 0) {
    if (options.phase === "applying") await recordAfterApply(stack, options.env);
    const failedRuns = options.phase === "applying" ? await awaitJobs(stack, view) : [];
    if (failedRuns.length > 0) {
      const message = `${failedRuns.join(", ")} did not complete; the next deploy runs ${failedRuns.length > 1 ? "them" : "it"} again`;
      view.set(stack.name, "failed", message);
      return { stack, result: "failed", message };
    }
    view.set(stack.name, "done", summary.replace(/^Apply complete! /, ""));
    return { stack, result: "applied", message: summary };
  }
  const failure = errors.join("\n\n") || result.stderr || result.stdout.slice(-4000);
  const message = masker.text(stateLockedMessage(stack.name, failure, lockTimeout) ?? failure);
  view.set(stack.name, "failed", firstLine(message));
  return { stack, result: "failed", message };
}
