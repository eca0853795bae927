import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { stackEndpoint } from "./docker";
import { ensureControlDirectory } from "./ssh-control";
import { DEFAULT_LOCK_TIMEOUT, stateLockedMessage } from "./state-lock";
import { stateServerEnv } from "./state-server";
import { withPrivateUmask } from "./file-modes";
import { refreshDriftOf } from "./plan-file";
import { ENGINE_BIN, toolchainEnv } from "./toolchain";
import { variablesFromEnvironment } from "./variables";

/** Stacks in a synthesized cdktf.out, in the manifest's order, with the stacks each depends on. */
export interface SynthesizedStack {
  name: string;
  dir: string;
  dependencies: string[];
}

export function synthesizedStacks(outdir: string): SynthesizedStack[] {
  const manifestFile = path.join(outdir, "manifest.json");
  if (!fs.existsSync(manifestFile)) throw new Error(`${manifestFile} not found; synthesize first (npm run synth)`);
  const manifest = JSON.parse(fs.readFileSync(manifestFile, "utf8")) as {
    stacks: Record<string, { name: string; workingDirectory: string; dependencies: string[] }>;
  };
  return Object.values(manifest.stacks).map((s) => ({
    name: s.name,
    dir: path.resolve(outdir, s.workingDirectory),
    dependencies: s.dependencies ?? [],
  }));
}

/** Stacks ordered so that each comes after the stacks it depends on (manifest order otherwise). */
export function dependencyOrder<T extends { name: string; dependencies: readonly string[] }>(stacks: readonly T[]): T[] {
  const byName = new Map(stacks.map((s) => [s.name, s]));
  const done = new Set<string>();
  const out: T[] = [];
  const visit = (s: T) => {
    if (done.has(s.name)) return;
    done.add(s.name);
    for (const d of s.dependencies) {
      const dep = byName.get(d);
      if (dep) visit(dep);
    }
    out.push(s);
  };
  stacks.forEach(visit);
  return out;
}

export interface EngineResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface EngineOptions {
  env?: NodeJS.ProcessEnv;
  /** Kills the engine after this long (default 10 minutes). */
  timeoutMs?: number;
  /** Called with each complete line of the engine's stdout as it arrives (e.g. `apply -json` events). */
  onLine?: (line: string) => void;
  /** The command never reads state (`validate`; `init` then skips the backend): no tunnel to a state server. */
  withoutState?: boolean;
}

/**
 * Go GC target for the engine and its providers (short-lived processes, often ten at once): less collecting for a
 * little more memory. It took about a fifth off a drift check of every stack of both blueprints on 2 cores (paired
 * runs, GOGC 100 vs 400). A GOGC in the caller's environment wins.
 */
const ENGINE_GOGC = "400";

/**
 * Runs the pinned engine in a stack directory with the project-local CLI config, never interactively (a missing
 * input is an error, not a hidden prompt), with the tunnel to the stack's state server open (PG_CONN_STR); never
 * throws on a non-zero exit.
 */
export async function runEngine(dir: string, args: string[], options: EngineOptions = {}): Promise<EngineResult> {
  const env = { ...process.env, ...options.env };
  const docker = fs.existsSync(path.join(dir, "cdk.tf.json")) ? stackEndpoint({ dir }) : {};
  if (docker.host?.startsWith("ssh://")) ensureControlDirectory(docker.sshOpts ?? []);
  const state = options.withoutState ? {} : await stateServerEnv({ dir }, env);
  return spawnEngine(dir, args, { ...options, env: { ...env, ...state } });
}

function spawnEngine(dir: string, args: string[], options: EngineOptions): Promise<EngineResult> {
  const base = options.env ?? {};
  return new Promise((resolve, reject) => {
    // The engine writes state, backups and saved plans, which hold secrets: owner-only (umask 077).
    const child = withPrivateUmask(() =>
      spawn(ENGINE_BIN, args, {
        cwd: dir,
        // toolchainEnv drops the machine's TF_* settings and sets TF_INPUT=0; automation output on top.
        env: {
          ...toolchainEnv({ ...base, ...variablesFromEnvironment(dir, base) }),
          TF_IN_AUTOMATION: "1",
          GOGC: base.GOGC ?? ENGINE_GOGC,
        },
        stdio: ["ignore", "pipe", "pipe"],
      }),
    );
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let partial = "";
    child.stdout.on("data", (d: Buffer) => {
      out.push(d);
      if (!options.onLine) return;
      const lines = (partial + d.toString("utf8")).split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) options.onLine(line);
    });
    child.stderr.on("data", (d) => err.push(d));
    const timer = setTimeout(() => child.kill("SIGTERM"), options.timeoutMs ?? 600_000);
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (partial && options.onLine) options.onLine(partial);
      resolve({
        code: code ?? (signal ? 124 : 1),
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8") + (signal ? `\n(engine stopped by ${signal})` : ""),
      });
    });
  });
}

// Two inits in one stack directory (e.g. drift's two plans of a stack) must not overlap; other stacks' inits may.
const initsByDir = new Map<string, Promise<unknown>>();

/** `init` once per stack directory; skipped when the providers are already installed for this config. */
export function ensureInitialized(dir: string, options: EngineOptions = {}): Promise<void> {
  const key = path.resolve(dir);
  const next = (initsByDir.get(key) ?? Promise.resolve()).then(() => initialize(dir, options));
  initsByDir.set(
    key,
    next.catch(() => undefined),
  );
  return next;
}

async function initialize(dir: string, options: EngineOptions): Promise<void> {
  const config = fs.readFileSync(path.join(dir, "cdk.tf.json"));
  const providers = JSON.stringify((JSON.parse(config.toString()) as { terraform?: unknown }).terraform ?? {});
  const stamp = path.join(dir, ".terraform", "sparky-init.sha256");
  const digest = createHash("sha256").update(providers).digest("hex");
  // An init without the backend installs the providers only; one with it serves both.
  const providersOnly = `${digest} providers-only`;
  const done = fs.existsSync(stamp) ? fs.readFileSync(stamp, "utf8") : "";
  if (done === digest || (options.withoutState && done === providersOnly)) return;
  const args = ["init", "-input=false", "-no-color", ...(options.withoutState ? ["-backend=false"] : [])];
  const result = await runEngine(dir, args, options);
  if (result.code !== 0) throw new Error(`init failed in ${dir}:\n${result.stderr || result.stdout}`);
  fs.writeFileSync(stamp, options.withoutState ? providersOnly : digest);
}

export interface PlanOptions extends EngineOptions {
  refreshOnly?: boolean;
  /** Take the state lock (default). Read-only checks that run two plans of one stack at once turn it off. */
  lock?: boolean;
  /** How long to wait for the state lock, e.g. "0s" (default 60s). */
  lockTimeout?: string;
  /** Saved plan file name, relative to the stack directory. */
  planFile?: string;
  /** Resource addresses left out of the plan, with everything that depends on them (`-exclude`). */
  exclude?: readonly string[];
  /** Resource addresses planned replaced although unchanged (`-replace`): a failed one-shot job runs again. */
  replace?: readonly string[];
  /** A plan that destroys every resource of the stack. */
  destroy?: boolean;
  /** Resources the engine works on at once (`-parallelism`; its default is 10). */
  parallelism?: number;
  /** Read every object before planning (default). See fingerprint.ts for when it may be skipped. */
  refresh?: boolean;
  /**
   * Read the plan's JSON only when it changes something (`-detailed-exitcode`) or its refresh found something changed
   * outside the code; else it is NO_CHANGES. (The engine then reports in its machine-readable form.)
   */
  showOnlyChanges?: boolean;
  /**
   * With showOnlyChanges, a plan that changes nothing but whose refresh found something gives that refresh's drift
   * alone, read from the saved plan (plan-file.ts), instead of its JSON: the result is `driftOnly`, and showPlan reads
   * the whole when the drift alone does not settle the caller's question.
   */
  driftOnlyWhenUnchanged?: boolean;
}

/** The JSON of a plan that changes nothing, for a plan whose JSON was not read (`showOnlyChanges`). */
export const NO_CHANGES: PlanJson = { format_version: "1.2", resource_changes: [], output_changes: {} };

export interface StackPlan {
  stack: string;
  /** The saved plan; none when no plan was made because it would change nothing (see planKnowingState). */
  planFile?: string;
  /** sha256 of the saved plan file: what a reviewer saw is what apply applies. */
  planSha256?: string;
  /** `show -json` of the saved plan. */
  json: PlanJson;
  /**
   * The JSON holds only the refresh's drift, read from the saved plan's states (no sensitivity marks): the plan changes
   * nothing (see PlanOptions.driftOnlyWhenUnchanged).
   */
  driftOnly?: boolean;
}

/** A plan that was made: its file is saved. */
export interface SavedPlan extends StackPlan {
  planFile: string;
  planSha256: string;
}

/** The parts of OpenTofu's JSON plan format this project reads. */
export interface PlanJson {
  format_version: string;
  resource_changes?: ResourceChange[];
  resource_drift?: ResourceChange[];
  /** Attributes of other resources (mostly drifted ones) that this plan's changes depend on. */
  relevant_attributes?: { resource: string; attribute: (string | number)[] }[];
  output_changes?: Record<string, { actions: string[] }>;
  errored?: boolean;
}

export interface ResourceChange {
  address: string;
  type: string;
  name: string;
  mode: string;
  provider_name?: string;
  action_reason?: string;
  previous_address?: string;
  change: {
    actions: string[];
    before: unknown;
    after: unknown;
    after_unknown?: unknown;
    before_sensitive?: unknown;
    after_sensitive?: unknown;
    replace_paths?: (string | number)[][];
    importing?: unknown;
  };
}

/** `plan -out` then `show -json`: the plan is judged from JSON, never from the engine's exit code. */
export async function planStack(stack: SynthesizedStack, options: PlanOptions = {}): Promise<SavedPlan> {
  await ensureInitialized(stack.dir, options);
  const planFile = options.planFile ?? (options.refreshOnly ? "drift.tfplan" : "plan.tfplan");
  const lockTimeout = options.lockTimeout ?? DEFAULT_LOCK_TIMEOUT;
  const args = [
    "plan",
    "-input=false",
    "-no-color",
    options.lock === false ? "-lock=false" : `-lock-timeout=${lockTimeout}`,
    `-out=${planFile}`,
  ];
  if (options.refreshOnly) args.push("-refresh-only");
  if (options.destroy) args.push("-destroy");
  if (options.parallelism) args.push(`-parallelism=${options.parallelism}`);
  if (options.refresh === false) args.push("-refresh=false");
  for (const address of options.exclude ?? []) args.push(`-exclude=${address}`);
  for (const address of options.replace ?? []) args.push(`-replace=${address}`);
  if (options.showOnlyChanges) args.push("-detailed-exitcode", "-json");
  const plan = await runEngine(stack.dir, args, options);
  if (plan.code !== 0 && !(plan.code === 2 && options.showOnlyChanges)) {
    const failure = options.showOnlyChanges ? engineErrors(plan) : plan.stderr || plan.stdout;
    throw new Error(stateLockedMessage(stack.name, failure, lockTimeout) ?? `plan failed for ${stack.name}:\n${failure}`);
  }
  const planSha256 = createHash("sha256")
    .update(fs.readFileSync(path.join(stack.dir, planFile)))
    .digest("hex");
  const result = { stack: stack.name, planFile: path.join(stack.dir, planFile), planSha256 };
  // With -detailed-exitcode, 0 is a plan that changes nothing (outputs included); with -json, what its refresh found
  // changed outside the code are `resource_drift` events (the same set `show -json` lists). Neither: nothing to show.
  if (options.showOnlyChanges && plan.code === 0) {
    const drifted = engineEvents(plan.stdout).filter((e) => e.type === "resource_drift");
    if (drifted.length === 0) return { ...result, json: NO_CHANGES };
    const addresses = drifted.map((e) => e.change?.resource?.addr);
    const drift =
      options.driftOnlyWhenUnchanged && addresses.every((a): a is string => a !== undefined)
        ? refreshDriftOf(result.planFile, new Set(addresses))
        : undefined;
    if (drift) return { ...result, json: { ...NO_CHANGES, resource_drift: drift }, driftOnly: true };
  }
  return { ...result, json: await showPlan(stack, result.planFile, options) };
}

/** `show -json` of a saved plan. */
export async function showPlan(stack: SynthesizedStack, planFile: string, options: EngineOptions = {}): Promise<PlanJson> {
  const shown = await runEngine(stack.dir, ["show", "-json", planFile], options);
  if (shown.code !== 0) throw new Error(`show failed for ${stack.name}:\n${shown.stderr}`);
  return JSON.parse(shown.stdout) as PlanJson;
}

/** One line of the engine's machine-readable output (`-json`). */
export interface EngineEvent {
  type?: string;
  "@message"?: string;
  hook?: { resource?: { addr?: string }; action?: string };
  /** A `resource_drift` or planned change: the resource and what happened to it. */
  change?: { resource?: { addr?: string }; action?: string };
  diagnostic?: { severity?: string; summary?: string; detail?: string; address?: string };
}

export function engineEvent(line: string): EngineEvent | undefined {
  try {
    return JSON.parse(line) as EngineEvent;
  } catch {
    return undefined;
  }
}

const engineEvents = (output: string) => output.split("\n").flatMap((line) => engineEvent(line) ?? []);

/** An error diagnostic of the engine's machine-readable output, as the engine would print it. */
export function diagnosticText(event: EngineEvent): string | undefined {
  const d = event.diagnostic;
  if (event.type !== "diagnostic" || d?.severity !== "error") return undefined;
  return `Error: ${d.summary ?? ""}${d.address ? ` (${d.address})` : ""}${d.detail ? `\n\n${d.detail}` : ""}`;
}

/** The errors of a failed run with `-json`: its error diagnostics, else whatever it printed. */
function engineErrors(run: EngineResult): string {
  const errors = engineEvents(run.stdout).flatMap((e) => diagnosticText(e) ?? []);
  return errors.join("\n\n") || run.stderr || run.stdout;
}

/**
 * Runs `work` for every item with at most `limit` at a time, reporting each start and finish so long runs
 * show progress. Results keep the input order.
 */
export async function forEachBounded<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
  progress: (event: { item: T; done: number; total: number; state: "started" | "finished" | "failed"; ms?: number }) => void = () => {},
): Promise<PromiseSettledResult<R>[]> {
  const results: PromiseSettledResult<R>[] = new Array(items.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      const item = items[index];
      const started = Date.now();
      progress({ item, done, total: items.length, state: "started" });
      try {
        results[index] = { status: "fulfilled", value: await work(item) };
        done++;
        progress({ item, done, total: items.length, state: "finished", ms: Date.now() - started });
      } catch (reason) {
        results[index] = { status: "rejected", reason };
        done++;
        progress({ item, done, total: items.length, state: "failed", ms: Date.now() - started });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
