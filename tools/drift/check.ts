// Runs the drift check over synthesized stacks (one normal plan per stack, bounded parallelism,
// progress on stderr) and the explicit reconcile actions. Everything provider-specific is in `locators`.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { docker, failedJobs, StoppedContainer, stoppedContainers } from "../engine/docker";
import { liveContainers, readLiveObjects } from "../engine/fingerprint";
import type { Masker } from "../engine/mask";
import { PreparedStacks, prepareStacks } from "../engine/prepare";
import { lineStream, ProgressView } from "../engine/progress";
import { engineEvent, forEachBounded, planStack, runEngine, showPlan, SynthesizedStack } from "../engine/stacks";
import { REPO_ROOT } from "../engine/toolchain";
import { Ownership, ownershipOf } from "../../constructs/github/ownership";
import { readStackConfig, StackConfig } from "../engine/variables";
import { describeReason, summarizePlan } from "../plan-preview/summary";
import { AnalyzeOptions, analyzeStack, DriftReport, StackReport, summarize } from "./analyze";
import type { IgnoreEntry } from "./ignore";

/**
 * Stacks checked at once. Higher than the core count on purpose: much of a Docker stack's check is waiting
 * (the docker provider pauses about 2 s in every network read): checking all 5 stacks of both blueprints at once
 * rather than 4 at a time took their check from about 12 s to 10 s on 2 cores (measured).
 */
export const DEFAULT_CONCURRENCY = 8;

export interface CheckOptions {
  /** A synthesized output directory (the check never synthesizes). */
  outdir: string;
  /** Stack name globs, comma- or space-separated (default: every stack). */
  stacks?: string;
  ignore?: readonly IgnoreEntry[];
  concurrency?: number;
  env?: NodeJS.ProcessEnv;
  progress?: (line: string) => void;
}

const IMPORT_FILE = "sparky-drift-import.tf.json";

/** The selected stacks with their secrets checked, and the masker for everything the check reports. */
function prepare(options: CheckOptions): PreparedStacks {
  return prepareStacks({
    env: { ...process.env, ...options.env },
    projectRoot: REPO_ROOT,
    outdir: options.outdir,
    stacks: options.stacks,
    synth: false,
  });
}

const stackConfig = (stack: SynthesizedStack): StackConfig => readStackConfig(stack.dir);

/** Each resource's ownership note (what people own or share), by address. */
function ownershipIn(stack: SynthesizedStack): Record<string, Ownership> {
  const out: Record<string, Ownership> = {};
  for (const [type, blocks] of Object.entries(stackConfig(stack).resource ?? {}))
    for (const [name, block] of Object.entries(blocks)) {
      const own = ownershipOf(block);
      if (own) out[`${type}.${name}`] = own;
    }
  return out;
}

/**
 * Finds the object that now holds the name of a resource refresh reported deleted (a container recreated by
 * hand): its import id, plus live attributes the provider never reads back (docker: a container's env and
 * labels). Only types listed in `locators` are looked up; others stay "deleted".
 */
export type Locator = (
  stack: SynthesizedStack,
  before: Record<string, unknown>,
) => { id: string; live?: Record<string, unknown> } | undefined;

const byName =
  (kind: "network" | "volume" | "service", format: string): Locator =>
  (stack, before) => {
    const id = typeof before.name === "string" ? docker(stack, [kind, "inspect", "--format", format, before.name]) : undefined;
    return id ? { id } : undefined;
  };

const dockerContainer: Locator = (stack, before) => {
  if (typeof before.name !== "string") return undefined;
  const inspected = docker(stack, ["container", "inspect", "--format", "{{json .}}", before.name]);
  if (!inspected) return undefined;
  const c = JSON.parse(inspected) as { Id: string; Image: string; Config: { Env?: string[]; Labels?: Record<string, string> } };
  const imageEnv = new Set(
    (JSON.parse(docker(stack, ["image", "inspect", "--format", "{{json .Config.Env}}", c.Image]) ?? "[]") as string[] | null) ?? [],
  );
  const env = (c.Config.Env ?? []).filter((e) => !imageEnv.has(e)).sort();
  const labels = Object.entries(c.Config.Labels ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([label, value]) => ({ label, value }));
  return { id: c.Id, live: { env, labels } };
};

export const locators: Record<string, Locator> = {
  docker_container: dockerContainer,
  docker_network: byName("network", "{{.Id}}"),
  docker_volume: byName("volume", "{{.Name}}"),
  docker_service: byName("service", "{{.ID}}"),
};

function writeImports(stack: { dir: string }, imports: Record<string, string>): void {
  const blocks = Object.entries(imports).map(([to, id]) => ({ to, id }));
  fs.writeFileSync(path.join(stack.dir, IMPORT_FILE), JSON.stringify({ import: blocks }, null, 2));
}

function removeImports(stack: SynthesizedStack): void {
  fs.rmSync(path.join(stack.dir, IMPORT_FILE), { force: true });
}

/**
 * Resource types whose refresh is mostly waiting: kreuzwerker/docker 3.6.2 pauses 2 s before it reads a network
 * (networkReadRefreshDelay; its volume reads do not wait), and what depends on one is read after. Stacks with them
 * start first; the others, whose plans keep a core busy (a GitHub stack's), start once those have begun to refresh,
 * so that their start-up does not slow the waiting stacks' own (a check of both blueprints on 2 cores: about 0.3 s
 * less, measured), or after HEAD_START_MS at most.
 */
const WAITING_READS = ["docker_network"];
const HEAD_START_MS = 1500;

const waitsToRefresh = (stack: SynthesizedStack) => {
  const resources = stackConfig(stack).resource ?? {};
  return WAITING_READS.some((type) => Object.keys(resources[type] ?? {}).length > 0);
};

/** `gate` resolves once each of the `waiting` stacks has begun to refresh (or ended), or after HEAD_START_MS. */
function headStart(waiting: readonly string[]): { gate: Promise<void>; refreshing: (stack: string) => void } {
  if (waiting.length === 0) return { gate: Promise.resolve(), refreshing: () => {} };
  const started = new Map<string, () => void>();
  const all = Promise.all(waiting.map((name) => new Promise<void>((resolve) => started.set(name, resolve))));
  let timer: NodeJS.Timeout | undefined;
  const capped = new Promise<void>((resolve) => (timer = setTimeout(resolve, HEAD_START_MS)));
  return { gate: Promise.race([all, capped]).then(() => clearTimeout(timer)), refreshing: (stack) => started.get(stack)?.() };
}

async function checkStack(
  stack: SynthesizedStack,
  options: CheckOptions,
  { env, masker }: PreparedStacks,
  onLine?: (line: string) => void,
): Promise<StackReport & { imports: Record<string, string>; stopped: StoppedContainer[] }> {
  const started = Date.now();
  removeImports(stack); // a leftover from an interrupted restore must not change what is planned
  // Stopped containers and failed one-shot jobs are found by inspecting them: a plan would remove the first and fail
  // on the second's postcondition.
  // One read over the engine's API when it answers (a docker CLI run blocks every other stack's check meanwhile).
  const containers = await readLiveObjects(stack).then(
    (live) => live && liveContainers(live),
    () => undefined,
  );
  const stopped = [...stoppedContainers(stack, containers), ...failedJobs(stack, containers)];
  const exclude = stopped.map((s) => s.address);
  // One normal plan: its refresh lists what changed outside the code (`resource_drift`), its changes what the code
  // would do (`resource_changes`); read only when there is either. It only reads state, so it runs without the lock.
  const plan = await planStack(stack, { env, lock: false, exclude, showOnlyChanges: true, driftOnlyWhenUnchanged: true, onLine });
  const analyzeOptions = { ignore: options.ignore, masker, ownership: ownershipIn(stack) };
  // A refresh that only re-read what the provider fills in after an apply (unset -> empty, etags) leaves the stack
  // clean, which its drift alone shows; anything else is judged, and reported, from the plan's whole JSON.
  const json =
    plan.driftOnly && analyzeStack(stack.name, plan.json, analyzeOptions).status !== "clean"
      ? await showPlan(stack, plan.planFile, { env })
      : plan.json;

  // Resources gone from state: did another object take their name (recreated by hand)?
  const imports: Record<string, string> = {};
  const extra: Record<string, Record<string, unknown>> = {};
  const occupants: NonNullable<AnalyzeOptions["occupants"]> = {};
  for (const c of json.resource_drift ?? []) {
    const locate = locators[c.type];
    if (!locate || !c.change.actions.includes("delete") || !c.change.before) continue;
    const found = locate(stack, c.change.before as Record<string, unknown>);
    if (!found) continue;
    imports[c.address] = found.id;
    if (found.live) extra[c.address] = found.live;
  }
  if (Object.keys(imports).length > 0) Object.assign(occupants, await probeOccupants(stack, imports, env));
  for (const [address, live] of Object.entries(extra)) {
    const o = occupants[address] ?? { id: imports[address] };
    occupants[address] = { ...o, live: { ...(o.live ?? {}), ...live } };
  }
  const report = analyzeStack(stack.name, json, { ...analyzeOptions, occupants });
  if (stopped.length > 0) {
    report.drift.unshift(
      ...stopped.map((s) => ({
        address: s.address,
        type: "docker_container",
        kind: s.failedJob ? ("failed" as const) : ("stopped" as const),
        attributes: [{ path: "state", before: s.failedJob ? "exited (0)" : "running", after: s.state }],
      })),
    );
    report.status = "drift";
  }
  return {
    ...report,
    stopped,
    imports,
    planSha256: plan.planSha256,
    ms: Date.now() - started,
  };
}

/**
 * What the objects that took over managed names look like, read by the provider itself: the stack's config in a
 * scratch directory without its backend (empty state, the real state is never touched) plus import blocks; the
 * plan's `importing` entries carry each object's live attributes.
 */
async function probeOccupants(
  stack: SynthesizedStack,
  imports: Record<string, string>,
  env?: NodeJS.ProcessEnv,
): Promise<NonNullable<AnalyzeOptions["occupants"]>> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), `sparky-drift-probe-${stack.name}-`));
  try {
    const config = stackConfig(stack) as { terraform?: { backend?: unknown } };
    delete config.terraform?.backend;
    fs.writeFileSync(path.join(scratch, "cdk.tf.json"), JSON.stringify(config));
    const probeStack = { name: stack.name, dir: scratch, dependencies: [] };
    writeImports(probeStack, imports);
    const probe = await planStack(probeStack, { env, planFile: "probe.tfplan" });
    const occupants: NonNullable<AnalyzeOptions["occupants"]> = {};
    for (const c of probe.json.resource_changes ?? [])
      if (c.address in imports)
        occupants[c.address] = {
          id: imports[c.address],
          live: c.change.importing ? (c.change.before as Record<string, unknown>) : undefined,
          planned: c.change.after as Record<string, unknown>,
          plannedUnknown: c.change.after_unknown,
        };
    return occupants;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

const errorText = (e: unknown, masker: Masker) => masker.text(e instanceof Error ? e.message : String(e));

/** Drift check of every selected stack; never throws for one stack's failure (that stack reports "error"). */
export function checkDrift(options: CheckOptions): Promise<DriftCheck> {
  return checkPrepared(options, prepare(options));
}

type DriftCheck = DriftReport & { imports: Record<string, Record<string, string>>; stopped: Record<string, StoppedContainer[]> };

async function checkPrepared(options: CheckOptions, prepared: PreparedStacks): Promise<DriftCheck> {
  const { selected: stacks, masker } = prepared;
  const view = new ProgressView(
    stacks.map((s) => s.name),
    "drift",
    options.progress ? lineStream(options.progress) : process.stderr,
  );
  const waiting = stacks.filter(waitsToRefresh);
  const { gate, refreshing } = headStart(waiting.map((s) => s.name));
  // The waiting stacks first: with a low concurrency the others must not hold every slot while they wait for the gate.
  const order = [...waiting, ...stacks.filter((s) => !waiting.includes(s))];
  const settled = await forEachBounded(
    order,
    options.concurrency ?? DEFAULT_CONCURRENCY,
    async (s) => {
      const waits = waiting.includes(s);
      if (!waits) await gate;
      view.set(s.name, "checking");
      const onLine = (line: string) => engineEvent(line)?.type === "refresh_start" && refreshing(s.name);
      try {
        const report = await checkStack(s, options, prepared, waits ? onLine : undefined);
        view.set(s.name, "done", report.status);
        return report;
      } finally {
        refreshing(s.name);
      }
    },
    (e) => e.state === "failed" && view.set(e.item.name, "failed"),
  );
  const results = stacks.map((s) => settled[order.indexOf(s)]);
  view.finish();
  const imports: Record<string, Record<string, string>> = {};
  const stopped: Record<string, StoppedContainer[]> = {};
  const reports = results.map((r, i): StackReport => {
    if (r.status === "rejected")
      return {
        stack: stacks[i].name,
        status: "error",
        drift: [],
        unapplied: [],
        explainedByDrift: [],
        ignored: [],
        error: errorText(r.reason, masker),
      };
    const { imports: found, stopped: halted, ...report } = r.value;
    if (Object.keys(found).length > 0) imports[report.stack] = found;
    if (halted.length > 0) stopped[report.stack] = halted;
    return report;
  });
  return { ...summarize(reports), imports, stopped };
}

/** Throws, listing them, when a restore would destroy or replace something without --allow-destroy. */
function refuseDestroys(destructive: readonly string[]): void {
  if (destructive.length === 0) return;
  throw new Error(
    `refused: restoring would destroy or replace ${destructive.length} resource(s); nothing was applied:\n` +
      destructive.map((d) => `  ${d}`).join("\n") +
      "\nCheck them (data in a replaced container's writable layer is lost), then run again with --allow-destroy.",
  );
}

export interface ReconcileResult {
  stack: string;
  action: "restore" | "accept";
  ok: boolean;
  output: string;
}

/**
 * Explicit reconcile of the stacks a fresh check found out of sync. restore: a normal plan and apply (the code
 * wins; objects recreated by hand under a managed name are imported first, then replaced as the code says).
 * accept: a refresh-only plan and apply (reality is written to state; the code is not touched).
 */
export async function reconcile(
  mode: "restore" | "accept",
  options: CheckOptions & {
    /** restore: go on when it destroys or replaces something (otherwise such a stack is refused, with the list). */
    allowDestroy?: boolean;
  },
): Promise<{ before: DriftReport; results: ReconcileResult[] }> {
  const prepared = prepare(options);
  const { selected: stacks, masker, env } = prepared;
  const before = await checkPrepared(options, prepared);
  const targets = before.stacks.filter((s) => (mode === "accept" ? s.drift.length > 0 : s.status === "drift"));
  const results: ReconcileResult[] = [];
  for (const report of targets) {
    const stack = stacks.find((s) => s.name === report.stack)!;
    const imports = before.imports[report.stack] ?? {};
    const halted = (before.stopped[report.stack] ?? []).filter((h) => !h.failedJob);
    const failed = (before.stopped[report.stack] ?? []).filter((h) => h.failedJob);
    try {
      // Recreated by hand: restoring imports the new object and then replaces it, so it needs --allow-destroy
      // before the first change (the refresh-only apply below).
      if (mode === "restore" && !options.allowDestroy)
        refuseDestroys(Object.keys(imports).map((address) => `${address} (replace: recreated by hand)`));
      if (failed.length > 0 && mode === "accept")
        throw new Error(
          `cannot accept failed job runs (${failed.map((h) => h.name).join(", ")}): a job's run is not state. ` +
            "`just drift reconcile --restore` or `just deploy` runs them again.",
        );
      if (halted.length > 0 && mode === "accept")
        throw new Error(
          `cannot accept stopped containers (${halted.map((h) => h.name).join(", ")}): kreuzwerker/docker 3.6.2 cannot record a ` +
            `stopped container in state (refreshing one removes it). Start them with \`just drift reconcile --restore\`, or remove them by hand.`,
        );
      // A stopped container is started as it is (its configuration is the code's, only its state drifted); a
      // plan would first remove it (see stoppedContainers).
      for (const h of halted) if (docker(stack, ["start", h.name]) === undefined) throw new Error(`docker start ${h.name} failed`);
      if (mode === "restore" && Object.keys(imports).length > 0) {
        // Objects recreated by hand under managed names: drop the vanished objects from state (refresh-only apply),
        // then import the new ones so the plan replaces them as the code says instead of failing on the name.
        const forget = await planStack(stack, { env, refreshOnly: true, planFile: "restore-refresh.tfplan" });
        const applied = await runEngine(stack.dir, ["apply", "-input=false", "-no-color", "-lock-timeout=60s", forget.planFile], { env });
        if (applied.code !== 0) throw new Error(`refresh-only apply failed for ${stack.name}:\n${applied.stderr || applied.stdout}`);
        writeImports(stack, imports);
      }
      const plan = await planStack(stack, {
        env,
        refreshOnly: mode === "accept",
        planFile: `${mode}.tfplan`,
        replace: failed.map((f) => f.address),
      });
      if (mode === "restore" && !options.allowDestroy)
        refuseDestroys(
          summarizePlan(plan.json)
            // A failed job's replacement is its next run, not a loss.
            .changes.filter((c) => (c.kind === "delete" || c.kind === "replace") && !failed.some((f) => f.address === c.address))
            .map((c) => `${c.address} (${c.kind === "delete" ? "destroy" : "replace"}: ${describeReason(c)})`),
        );
      const applied = await runEngine(stack.dir, ["apply", "-input=false", "-no-color", "-lock-timeout=60s", plan.planFile], { env });
      results.push({
        stack: stack.name,
        action: mode,
        ok: applied.code === 0,
        output: masker.text((applied.code === 0 ? applied.stdout : applied.stderr || applied.stdout).slice(-4000)),
      });
    } catch (e) {
      results.push({ stack: stack.name, action: mode, ok: false, output: errorText(e, masker) });
    } finally {
      removeImports(stack);
    }
  }
  return { before, results };
}
